"""What the board's services share: the locked row, the staff check, text checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.http import is_staff
from accounts.models import User

from ..models import FeatureRequest, Subscription


def lock_request(feature_request: FeatureRequest) -> FeatureRequest:
    return FeatureRequest.objects.select_for_update().get(pk=feature_request.pk)


def ensure_staff(actor: User) -> None:
    if not is_staff(actor):
        raise PermissionDenied


def ensure_not_merged(feature_request: FeatureRequest) -> None:
    if feature_request.merged_into_id is not None:
        raise ValidationError(
            _("This request was merged into #%(id)s; continue there.")
            % {"id": feature_request.merged_into_id},
            code="merged",
        )


def clean_text(value: str, *, field: str, max_length: int, required: bool = True) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("Null characters are not allowed.")}, code="null")
    if required and not text:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(text) > max_length:
        raise ValidationError(
            {field: _("At most %(max)d characters.") % {"max": max_length}}, code="max_length"
        )
    return text


def subscribe_quietly(*, feature_request: FeatureRequest, user: User) -> None:
    """Follow the request after submitting, voting or commenting, unless `user` chose to
    unsubscribe from it before (their choice stands)."""
    Subscription.objects.get_or_create(request=feature_request, user=user)
