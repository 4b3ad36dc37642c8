"""Times around an export: the e-mail shows them in the recipient's time zone, labelled with
it; the page never writes "p.m.." (a date ending in "p.m." followed by a full stop)."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_in
from videos import services
from videos.models import ExportJob, ExportStatus

pytestmark = pytest.mark.django_db

# 21:00 UTC on 12 December: 6 a.m. the next day in Tokyo, 10 p.m. in Paris.
EXPIRES = dt.datetime(2026, 12, 12, 21, 0, tzinfo=dt.UTC)


@pytest.fixture
def ready_export(owner, workspace):
    def make(**values) -> ExportJob:
        return ExportJob.objects.create(
            workspace=workspace,
            requested_by=owner,
            video_ids=[1],
            status=ExportStatus.READY,
            file=f"exports/{workspace.pk}/2026/x.zip",
            file_count=1,
            size=2048,
            expires_at=values.pop("expires_at", timezone.now() + dt.timedelta(days=7)),
            **values,
        )

    return make


def _send(owner, export, *, zone: str, language: str = "en") -> None:
    owner.profile.time_zone = zone
    owner.profile.language = language
    owner.profile.save()
    ExportJob.objects.filter(pk=export.pk).update(expires_at=EXPIRES)
    assert services.export_send_ready_email(export_id=str(export.pk))


def test_the_email_shows_the_expiry_in_a_tokyo_users_time(owner, ready_export, mailoutbox):
    _send(owner, ready_export(), zone="Asia/Tokyo")
    body = mailoutbox[0].body
    assert "Dec. 13, 2026, 6 a.m. JST" in body, body
    assert "9 p.m." not in body


def test_the_email_in_japanese_shows_the_24_hour_tokyo_time(owner, ready_export, mailoutbox):
    _send(owner, ready_export(), zone="Asia/Tokyo", language="ja")
    assert "2026年12月13日6:00 JST" in mailoutbox[0].body, mailoutbox[0].body


def test_the_email_labels_utc_and_central_european_time(owner, ready_export, mailoutbox):
    _send(owner, ready_export(), zone="UTC")
    assert "Dec. 12, 2026, 9 p.m. UTC" in mailoutbox[0].body
    _send(owner, ready_export(), zone="Europe/Paris")
    assert "Dec. 12, 2026, 10 p.m. CET" in mailoutbox[1].body


def test_the_email_keeps_its_zone_whoever_triggers_it(owner, ready_export, mailoutbox):
    """A request by someone in another zone (the page's active zone) does not leak in."""
    with timezone.override(dt.timezone(dt.timedelta(hours=-8))):
        _send(owner, ready_export(), zone="Asia/Tokyo")
    assert "6 a.m. JST" in mailoutbox[0].body


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_the_export_page_has_no_doubled_full_stop_after_p_m(
    owner, workspace, ready_export, english
):
    export = ready_export(expires_at=EXPIRES)
    client = client_in(owner, workspace)
    detail = _text(client.get(reverse("videos:export_detail", args=[export.pk])).content.decode())
    assert "Dec. 12, 2026, 9 p.m." in detail
    assert ".." not in detail
    assert ".." not in _text(client.get(reverse("videos:exports")).content.decode())
    status = client.get(reverse("videos:export_status", args=[export.pk]), HTTP_HX_REQUEST="true")
    assert ".." not in _text(status.content.decode())
    assert "Dec. 12, 2026, 9 p.m." in _text(status.content.decode())
