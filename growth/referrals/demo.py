"""The referral programme in the demo (`manage.py seed_demo`): the demo user has referred three
friends. One paid through the sandbox with the referral discount, so a free month waits to be
claimed; one looks like the same person (same sign-up network) and waits for staff review; one
has not paid yet. Each step is skipped when it is already there."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Profile, User
from accounts.services import user_create
from billing import services as billing
from billing.models import Plan
from billing.providers import stripe_configured

from .codes import code_for
from .models import Referral, ReferralClick, Source
from .services import owned_workspaces, referral_apply
from .sync import rewards_grant_due

DEMO_NETWORK = "198.51.100.0/24"  # a documentation range (RFC 5737): nobody's real network
FRIENDS = [
    # (e-mail, pays, shares the referrer's sign-up network)
    ("friend.pays@videocreator.local", True, False),
    ("friend.same-network@videocreator.local", True, True),
    ("friend.trying@videocreator.local", False, False),
]


def demo_referrals(*, referrer: User, password: str) -> list[str]:
    created: list[str] = []
    code = code_for(user=referrer)
    if not ReferralClick.objects.filter(code=code).exists():
        ReferralClick.objects.bulk_create([ReferralClick(code=code) for _ in range(7)])
        created.append(f"7 visits of {code.code}'s share link")
    Profile.objects.filter(user=referrer, signup_network="").update(signup_network=DEMO_NETWORK)
    for email, pays, same_network in FRIENDS:
        friend = User.objects.filter(email=email).first()
        if friend is not None and Referral.objects.filter(referee=friend).exists():
            continue
        with transaction.atomic():
            friend = friend or user_create(email=email, password=password, verified=True)
            if same_network:
                Profile.objects.filter(user=friend).update(signup_network=DEMO_NETWORK)
            referral_apply(referee=friend, code=code.code, source=Source.SIGNUP)
            if pays and not stripe_configured():
                workspace = owned_workspaces(friend).get(is_personal=True)
                session = billing.checkout_start(
                    workspace=workspace,
                    plan=Plan.objects.get(key="pro-monthly"),
                    currency="USD",
                    actor=friend,
                )
                billing.checkout_complete(
                    session=session, provider_payment_id=f"sbx_demo_referral_{friend.pk}"
                )
        created.append(f"referral of {email}")
    granted = rewards_grant_due()
    if granted:
        created.append(f"{granted} referral reward(s)")
    return created
