"""Applying a referral code, and the signs that a referral is someone referring themselves.

A referee is the person who came through the code; the referrer the code's owner. A referral is
applied at sign-up, or later on the referrals page or through the API, until the referee has
paid for anything (a payment of more than nothing by a workspace they own).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from analytics.events import EventName, record
from billing import services as billing
from billing.models import Coupon, CouponDuration, Payment, PaymentStatus
from teams.models import Role, Team

from .codes import code_named
from .models import FlagReason, Referral, ReferralCode, Source

REFERRAL_COUPON_CODE = "REFERRAL-FIRST-MONTH"


def owned_workspaces(user: User):
    return Team.objects.filter(memberships__user=user, memberships__role=Role.OWNER)


def has_paid(user: User) -> bool:
    """Whether any workspace the person owns has paid something (a zero invoice is not paying)."""
    return Payment.objects.filter(
        workspace__in=owned_workspaces(user),
        status__in=[PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED],
        amount__gt=0,
    ).exists()


def email_normalise(email: str) -> str:
    """ "Jo.Doe+promo@Example.com" → "jodoe@example.com": dots and +tags make no new person."""
    local, _at, domain = (email or "").strip().lower().rpartition("@")
    local = local.split("+", 1)[0].replace(".", "")
    return f"{local}@{domain}"


def flag_reasons(*, referrer: User, referee: User) -> list[str]:
    """Why this referral looks like one person on both sides (FlagReason values)."""
    reasons = []
    if email_normalise(referrer.email) == email_normalise(referee.email):
        reasons.append(FlagReason.EMAIL.value)
    networks = dict(
        User.objects.filter(pk__in=[referrer.pk, referee.pk]).values_list(
            "pk", "profile__signup_network"
        )
    )
    if networks.get(referrer.pk) and networks.get(referrer.pk) == networks.get(referee.pk):
        reasons.append(FlagReason.NETWORK.value)
    if shares_a_card(referrer=referrer, referee=referee):
        reasons.append(FlagReason.CARD.value)
    return reasons


def shares_a_card(*, referrer: User, referee: User) -> bool:
    def cards(user: User):
        return (
            Payment.objects.filter(workspace__in=owned_workspaces(user))
            .exclude(card_fingerprint="")
            .values("card_fingerprint")
        )

    return cards(referee).filter(card_fingerprint__in=cards(referrer)).exists()


def referral_coupon() -> Coupon:
    """The referee's discount on the first month of Pro. It cannot be typed at checkout
    (inactive): it is only ever set aside for a referee's workspace."""
    percent = settings.REFERRAL_DISCOUNT_PERCENT
    coupon, _created = Coupon.objects.get_or_create(
        code=REFERRAL_COUPON_CODE,
        defaults={
            "name": f"Referral: {percent}% off the first month",
            "percent_off": percent,
            "duration": CouponDuration.ONCE,
            "is_active": False,
        },
    )
    return coupon


def referral_refusal(*, referee: User | None, code: str) -> str | None:
    """Why `code` cannot be applied for `referee` (None: it can). `referee` is None at sign-up."""
    return _refusal(referee=referee, code=code, referral_code=code_named(code))


def _refusal(*, referee: User | None, code: str, referral_code: ReferralCode | None) -> str | None:
    if referral_code is None:
        return _("There is no referral code “%(code)s”. Check it and try again.") % {
            "code": code.strip()[:20]
        }
    if referee is None:
        return None
    if referral_code.user_id == referee.pk:
        return _("That is your own referral code: share it with someone else.")
    if Referral.objects.filter(referee=referee).exists():
        return _("You already used a referral code; only one can be applied.")
    if has_paid(referee):
        return _(
            "Referral codes can only be applied before the first payment, and you have "
            "already paid for a plan."
        )
    return None


@transaction.atomic
def referral_apply(*, referee: User, code: str, source: str = Source.PAGE) -> Referral:
    """Record that `referee` came through `code`: their personal workspace gets the discount on
    its first month of Pro, and the referrer a reward once they pay. Raises a ValidationError
    with the reason when the code cannot be applied."""
    referral_code = code_named(code)
    refusal = _refusal(referee=referee, code=code, referral_code=referral_code)
    if refusal:
        raise ValidationError(refusal, code="referral_refused")
    referrer = referral_code.user
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                referrer=referrer,
                referee=referee,
                code=referral_code,
                source=source,
                flag_reasons=flag_reasons(referrer=referrer, referee=referee),
            )
    except IntegrityError:  # applied concurrently by another request
        raise ValidationError(
            _("You already used a referral code; only one can be applied."),
            code="referral_refused",
        ) from None
    personal = owned_workspaces(referee).filter(is_personal=True).first()
    if personal is not None:
        billing.coupon_reserve(coupon=referral_coupon(), workspace=personal)
    record(
        EventName.REFERRAL_APPLIED,
        actor=referee,
        subject=referral,
        workspace=personal,
        properties={"referrer_id": referrer.pk, "source": source},
    )
    if referral.flag_reasons:
        record(
            EventName.REFERRAL_FLAGGED,
            subject=referral,
            properties={"reasons": referral.flag_reasons},
        )
    return referral


def referral_flag_again(*, referral: Referral) -> list[str]:
    """Look again (the referee has now paid, so a shared card can show): new reasons are kept."""
    reasons = flag_reasons(referrer=referral.referrer, referee=referral.referee)
    added = [reason for reason in reasons if reason not in referral.flag_reasons]
    if added:
        referral.flag_reasons = [*referral.flag_reasons, *added]
        referral.save(update_fields=["flag_reasons"])
        record(
            EventName.REFERRAL_FLAGGED,
            subject=referral,
            properties={"reasons": referral.flag_reasons},
        )
    return referral.flag_reasons
