"""The seeded history looks like what the product writes: the same events (subjects,
properties, actor, workspace, idempotency keys) and the same fields set on each row, compared
with one account taken through the product's own services."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Q

from accounts.models import Profile, User
from accounts.services import user_create
from analytics.metrics.seeding import EMAIL_DOMAIN
from analytics.models import Event
from billing import services as billing
from billing.models import (
    CheckoutSession,
    CouponRedemption,
    Credit,
    Invoice,
    InvoiceLine,
    Payment,
    Plan,
    Subscription,
    SubscriptionChange,
)
from teams.models import Membership, Team
from videos.models import Template, Video, VideoStatus
from videos.services import video_create, video_render

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_analytics", users=300, months=6, seed=7, stdout=io.StringIO())


# -- like the product's own rows -----------------------------------------------------------------


def product_history(ledger, coupons) -> tuple[Team, User]:
    """One account through the product's services: sign-up, a Pro plan with a coupon, a
    cancellation undone, a switch each way, a declined renewal recovered, a refund, a
    declined checkout after churning, a video asked to render."""
    owner = user_create(email="real@example.com", password="x" * 12)
    workspace = owner.teams.get(is_personal=True)
    ledger.owners[workspace.pk] = owner
    ledger.subscribe(workspace, coupon="QUARTER3")
    ledger.cancel(workspace)
    ledger.resume(workspace)
    ledger.days_pass(5)
    ledger.switch(workspace, "pro-annual")
    ledger.days_pass(40)
    ledger.switch(workspace, "pro-monthly")  # unused annual time: a credit
    ledger.refund_last_payment(workspace, Decimal("0.5"))
    ledger.card(workspace, "decline")
    ledger.days_pass(400)  # the credit runs out, a renewal is declined, retried, moved to Free
    session = billing.checkout_start(workspace=workspace, plan=Plan.objects.get(key="pro-monthly"),
                                     currency="USD", actor=owner)  # fmt: skip
    billing.checkout_fail(session=session, provider_payment_id="sbx_x", reason="declined")
    ledger.card(workspace, "ok")
    ledger.subscribe(workspace, coupon="TWOOFF")
    ledger.card(workspace, "decline")
    ledger.days_pass(32)
    ledger.card(workspace, "ok")
    ledger.days_pass(3)  # recovered
    template = Template.objects.filter(tier="free").first()
    video = video_create(workspace=workspace, template=template, title="Mine", actor=owner)
    video_render(video=video, actor=owner)
    return workspace, owner


def event_shapes(events) -> dict[str, set]:
    shapes: dict[str, set] = {}
    for event in events:
        shape = (
            event.subject_type,
            frozenset(event.properties),
            event.actor_id is not None,
            event.workspace_id is not None,
            event.idempotency_key is not None,
        )
        shapes.setdefault(event.name, set()).add(shape)
    return shapes


def test_seeded_events_have_the_products_subjects_properties_and_keys(clock, ledger, coupons):
    workspace, owner = product_history(ledger, coupons)
    product = event_shapes(Event.objects.filter(Q(workspace=workspace) | Q(actor=owner)))
    clock.advance(days=10)
    seed()
    seeded_people = User.objects.filter(email__endswith=EMAIL_DOMAIN)
    seeded = event_shapes(Event.objects.filter(actor__in=seeded_people) | Event.objects.filter(
        workspace__created_by__in=seeded_people))  # fmt: skip
    # Sign-up by command says method "command", by the web "web": the same key.
    assert {name: seeded[name] for name in product if name in seeded} == {
        name: shapes for name, shapes in product.items() if name in seeded
    }
    # Every kind the product recorded here, the seed records too.
    assert set(product) - set(seeded) == {"credit.granted"} & set(product)


def filled(rows, model) -> set[str]:
    """The fields that are set (not None, not empty) in at least one of the rows."""
    names = [field.attname for field in model._meta.concrete_fields]
    return {
        name for row in rows.values(*names) for name in names if row[name] not in (None, "", {}, [])
    }


def test_seeded_rows_set_the_fields_the_product_sets(clock, ledger, coupons):
    workspace, owner = product_history(ledger, coupons)
    clock.advance(days=10)
    seed()
    people = User.objects.filter(email__endswith=EMAIL_DOMAIN)
    teams = Team.objects.filter(created_by__in=people)
    by_workspace = [Subscription, Invoice, Payment, CheckoutSession, CouponRedemption, Credit]
    pairs = [
        (
            model,
            model.objects.filter(workspace=workspace),
            model.objects.filter(workspace__in=teams),
        )
        for model in by_workspace
    ]
    pairs += [
        (
            model,
            model.objects.filter(**{path: mine}),
            model.objects.filter(**{f"{path}__in": theirs}),
        )
        for model, path, mine, theirs in [
            (InvoiceLine, "invoice__workspace", workspace, teams),
            (SubscriptionChange, "subscription__workspace", workspace, teams),
            (Team, "pk", workspace.pk, teams),
            (Membership, "team", workspace, teams),
            (Profile, "user", owner, people),
            (EmailAddress, "user", owner, people),
        ]
    ]
    # A video as `video_create` leaves it (the product's is queued for a render no worker runs
    # here; seeded drafts were never rendered).
    drafts = Video.objects.filter(workspace__in=teams, status=VideoStatus.DRAFT)
    pairs.append((Video, Video.objects.filter(workspace=workspace), drafts))
    differences = {
        model._meta.label: (filled(product, model) ^ filled(seeded, model))
        - EXPECTED.get(model._meta.label, set())
        for model, product, seeded in pairs
    }
    assert {label: names for label, names in differences.items() if names} == {}


# Fields set on one side only, for a reason that is not a difference in what is written.
EXPECTED = {
    # A web sign-up stores the browser's language and time zone and the e-mail choice;
    # `user_create` (the command's way, used here) leaves them empty or off.
    "accounts.Profile": {"language", "time_zone", "marketing_emails"},
    # The product's workspace here ends back on Pro (a checkout clears `canceled_at`); seeded
    # ones also end on Free.
    "billing.Subscription": {"canceled_at"},
}
