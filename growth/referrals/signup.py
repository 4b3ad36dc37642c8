"""What the sign-up form (accounts) calls through REFERRAL_CODE_CHECK and REFERRAL_CODE_APPLY:
accounts may not import growth (DESIGN.md)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts.models import User

from .services import referral_apply, referral_refusal


def referral_code_check(code: str) -> None:
    refusal = referral_refusal(referee=None, code=code)
    if refusal:
        raise ValidationError(refusal)


def referral_code_apply(*, user: User, code: str, source: str) -> None:
    referral_apply(referee=user, code=code, source=source)
