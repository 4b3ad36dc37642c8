"""A browser's history becomes its person's at sign-up and at every sign-in."""

from __future__ import annotations

from allauth.account.signals import user_signed_up
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .consent import tracking_of
from .tracking import visitor_link_user


def _link(request, user) -> None:
    if request is None or user is None:
        return
    decision = tracking_of(request)
    # Without consent there is no visitor to link (the cookie is not read, nor kept).
    if decision.allowed and decision.visitor_id:
        visitor_link_user(visitor_id=decision.visitor_id, user=user)


@receiver(user_signed_up, dispatch_uid="analytics_link_visitor_at_sign_up")
def link_visitor_at_sign_up(sender, request, user, **kwargs) -> None:
    _link(request, user)


@receiver(user_logged_in, dispatch_uid="analytics_link_visitor_at_sign_in")
def link_visitor_at_sign_in(sender, request, user, **kwargs) -> None:
    _link(request, user)
