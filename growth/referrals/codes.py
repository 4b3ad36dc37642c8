"""Referral codes: making one per person, and reading what someone typed."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction

from accounts.models import User

from .models import CODE_ALPHABET, CODE_PREFIX, ReferralCode

# Random draws at one length before trying a longer code: when most 4-character codes are
# taken (31⁴ ≈ 923,000), collisions become likely and the next length has room again.
DRAWS_PER_LENGTH = 8
FIRST_LENGTH = 4
LONGEST = 12


def code_normalise(text: str) -> str:
    """What someone typed, as stored: upper case, trimmed ("user-ab2c" → "USER-AB2C")."""
    return (text or "").replace("\x00", "").strip().upper()[:20]


def code_for(*, user: User) -> ReferralCode:
    """The person's code, made on first use."""
    existing = ReferralCode.objects.filter(user=user).first()
    if existing is not None:
        return existing
    for length in range(FIRST_LENGTH, LONGEST + 1):
        for _draw in range(DRAWS_PER_LENGTH):
            code = CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))
            try:
                with transaction.atomic():
                    return ReferralCode.objects.create(user=user, code=code)
            except IntegrityError:
                # Either the code is taken (draw again) or this person got one meanwhile.
                existing = ReferralCode.objects.filter(user=user).first()
                if existing is not None:
                    return existing
    raise RuntimeError("No free referral code up to the longest length")


def code_named(text: str) -> ReferralCode | None:
    code = code_normalise(text)
    if not code:
        return None
    return ReferralCode.objects.select_related("user").filter(code=code).first()
