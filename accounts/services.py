from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.events import EventName, record

from .models import ApiToken, Profile, User

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
# Writing last_used_at on every API call would turn reads into writes.
TOKEN_LAST_USED_RESOLUTION = timedelta(minutes=1)


def _check_language(language: str) -> None:
    if language and language not in LANGUAGE_CODES:
        raise ValidationError(
            _("Unknown language %(code)s. Choose one of: %(choices)s.")
            % {"code": language, "choices": ", ".join(sorted(LANGUAGE_CODES))}
        )


@transaction.atomic
def user_create(
    *,
    email: str,
    password: str,
    is_staff: bool = False,
    language: str = "",
    verified: bool = True,
) -> User:
    """Create a user exactly as sign-up does: profile, personal workspace, e-mail, events."""
    _check_language(language)
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(_("A user with this e-mail address already exists."))
    user = User.objects.create_user(email=email, password=password, is_staff=is_staff)
    if language:
        Profile.objects.filter(user=user).update(language=language)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    user_signed_up_record(user=user, method="command")
    if verified:
        user_verified_record(user=user)
    return user


def user_signed_up_record(*, user: User, method: str = "web") -> None:
    record(
        EventName.USER_SIGNED_UP,
        actor=user,
        subject=user,
        workspace=user.teams.filter(is_personal=True).first(),
        properties={"method": method},
        idempotency_key=f"user.signed_up:{user.pk}",
    )


def user_verified_record(*, user: User) -> None:
    record(
        EventName.USER_VERIFIED,
        actor=user,
        subject=user,
        idempotency_key=f"user.verified:{user.pk}",
    )


def user_logged_in_record(*, user: User, request: HttpRequest | None = None) -> None:
    record(EventName.USER_LOGGED_IN, actor=user, subject=user)


@transaction.atomic
def profile_update(*, user: User, language: str, time_zone: str, marketing_emails: bool) -> Profile:
    _check_language(language)
    profile = Profile.objects.select_for_update().get(user=user)
    changed = {
        field: value
        for field, value in (
            ("language", language),
            ("time_zone", time_zone),
            ("marketing_emails", marketing_emails),
        )
        if getattr(profile, field) != value
    }
    for field, value in changed.items():
        setattr(profile, field, value)
    profile.full_clean()
    profile.save()
    if "marketing_emails" in changed:
        record(
            EventName.USER_MARKETING_CONSENT_CHANGED,
            actor=user,
            subject=user,
            properties={"consent": marketing_emails},
        )
    return profile


def profile_set_language(*, user: User, language: str) -> None:
    _check_language(language)
    Profile.objects.filter(user=user).update(language=language)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the returned key is never stored and cannot be shown again."""
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the token a name, so you can recognise it later."))
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=key[:10], key_hash=ApiToken.hash_key(key)
    )
    record(EventName.API_TOKEN_CREATED, actor=user, subject=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise ValidationError(_("This token is not yours."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(EventName.API_TOKEN_REVOKED, actor=user, subject=token)


def api_token_authenticate(*, key: str) -> ApiToken | None:
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=ApiToken.hash_key(key))
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOKEN_LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
