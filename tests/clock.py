"""A clock the test controls: `timezone.now()`, and every model field defaulting to it."""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.utils import timezone


class Clock:
    """What `timezone.now()` returns while a test runs; time moves only when the test moves it."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now

    @property
    def today(self) -> dt.date:
        return self.now.date()


def install_clock(monkeypatch, now: dt.datetime, *, model_defaults: bool = True) -> Clock:
    clock = Clock(now)
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", clock)
    if model_defaults:
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.default is real_now:
                    # Django caches the default's callable on the field: cache the real one
                    # first, so that undoing the patch puts it back.
                    field._get_default  # noqa: B018
                    monkeypatch.delattr(field, "_get_default")
                    monkeypatch.setattr(field, "default", clock)
    return clock
