"""Removing what seed_analytics wrote, and only that: the accounts at the seed's address domain
with their personal workspaces and everything in them or about them (whatever wrote it: a
renewal the worker ran since, a video made by hand while signed in as one of them), the
browsers that never signed up (their ids carry the seed's mark), the seed's coupons once
nothing uses them, its marketing spend rows, and the exchange rates it generated that are
still as generated.

The tables the seed fills are emptied with one DELETE each, by subquery (no ids are read into
Python); the workspaces and accounts themselves go through Django's deletion, so rows that
other features attached to them since are removed (or refused) by their own `on_delete` rules.
"""

from __future__ import annotations

import uuid
from collections import Counter

from allauth.account.models import EmailAddress
from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest

from accounts.models import Profile
from analytics.metrics.models import FxRate, MarketingSpend
from analytics.models import Event, PageView, UserTouch, Visitor
from billing.models import (
    BillingNotice,
    CheckoutSession,
    Coupon,
    CouponRedemption,
    Credit,
    DunningNotice,
    Invoice,
    InvoiceLine,
    Payment,
    Subscription,
    SubscriptionChange,
)
from teams.models import Membership, Notification, Team
from videos.models import RenderJob, Template, Video
from videos.publishing.models import PlatformPost, PublishSchedule

from . import catalog, reference
from .people import is_anonymous_visitor_id
from .run import seeded_users

ANONYMOUS_ID_PATTERN = rf"^{catalog.VISITOR_ID_PREFIX:08x}-[0-9a-f]{{4}}-8"
BATCH = 10_000


def _delete(queryset: QuerySet) -> int:
    """DELETE … WHERE pk IN (the queryset's SQL): one statement, nothing read."""
    model = queryset.model
    inner, params = queryset.values("pk").query.sql_with_params()
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({inner})", params)  # noqa: S608
        return cursor.rowcount


def _delete_unreferenced(queryset: QuerySet) -> int:
    """Delete the rows nothing points at (by any foreign key, whatever its app) with one
    statement; the others, which features attached rows to since, go through Django's
    deletion and their `on_delete` rules."""
    model = queryset.model
    unreferenced = queryset
    for relation in model._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        pointing = relation.related_model._base_manager.filter(
            **{relation.field.attname: OuterRef(relation.field.target_field.attname)}
        )
        unreferenced = unreferenced.exclude(Exists(pointing))
    deleted = _delete(unreferenced)
    return deleted + queryset.delete()[1].get(model._meta.label, 0)


def _anonymous_visitors() -> int:
    low = uuid.UUID(int=catalog.VISITOR_ID_PREFIX << 96)
    high = uuid.UUID(int=((catalog.VISITOR_ID_PREFIX + 1) << 96) - 1)
    ids = [
        pk
        for pk in Visitor.objects.filter(user__isnull=True, id__gte=low, id__lte=high)
        .values_list("pk", flat=True)
        .iterator(chunk_size=BATCH)
        if is_anonymous_visitor_id(pk)
    ]
    deleted = 0
    for start in range(0, len(ids), BATCH):
        deleted += Visitor.objects.filter(pk__in=ids[start : start + BATCH]).delete()[0]
    return deleted


def _template_uses(workspaces: QuerySet) -> Counter:
    return Counter(
        dict(
            Video.objects.filter(workspace__in=workspaces)
            .values_list("template_id")
            .annotate(count=Count("pk"))
            .values_list("template_id", "count")
        )
    )


def _fx_rates() -> int:
    generated = [
        pk
        for pk, currency, day, rate in FxRate.objects.filter(
            currency__in=reference.FX_CURRENCIES
        ).values_list("pk", "currency", "day", "rate_per_eur")
        if reference.is_generated_rate(currency, day, rate)
    ]
    return sum(
        FxRate.objects.filter(pk__in=generated[start : start + BATCH]).delete()[0]
        for start in range(0, len(generated), BATCH)
    )


def _unused_coupons() -> QuerySet:
    return Coupon.objects.filter(code__startswith=catalog.COUPON_PREFIX).exclude(
        Exists(CouponRedemption.objects.filter(coupon=OuterRef("pk")))
        | Exists(Invoice.objects.filter(coupon=OuterRef("pk")))
        | Exists(CheckoutSession.objects.filter(coupon=OuterRef("pk")))
    )


@transaction.atomic
def seed_reset() -> dict[str, int]:
    """Remove every seeded row; returns the rows removed per table."""
    users = seeded_users().values("pk")
    workspaces = Team.objects.filter(created_by__in=users, is_personal=True).values("pk")
    uses = _template_uses(workspaces)
    removed: dict[str, int] = {}

    def gone(model, queryset: QuerySet) -> None:
        removed[model._meta.label] = removed.get(model._meta.label, 0) + _delete(queryset)

    gone(Event, Event.objects.filter(Q(workspace__in=workspaces) | Q(actor__in=users)))
    gone(
        PageView,
        PageView.objects.filter(Q(user__in=users) | Q(anonymous_id__regex=ANONYMOUS_ID_PATTERN)),
    )
    gone(Visitor, Visitor.objects.filter(user__in=users))
    removed["analytics.Visitor"] += _anonymous_visitors()
    gone(UserTouch, UserTouch.objects.filter(user__in=users))
    gone(
        Notification,
        Notification.objects.filter(Q(recipient__in=users) | Q(workspace__in=workspaces)),
    )
    gone(PlatformPost, PlatformPost.objects.filter(schedule__workspace__in=workspaces))
    gone(PublishSchedule, PublishSchedule.objects.filter(workspace__in=workspaces))
    gone(RenderJob, RenderJob.objects.filter(video__workspace__in=workspaces))
    for model in (BillingNotice, DunningNotice, SubscriptionChange):
        gone(model, model.objects.filter(subscription__workspace__in=workspaces))
    gone(Payment, Payment.objects.filter(workspace__in=workspaces))
    gone(InvoiceLine, InvoiceLine.objects.filter(invoice__workspace__in=workspaces))
    for model in (Invoice, Credit, CouponRedemption, CheckoutSession, Subscription):
        gone(model, model.objects.filter(workspace__in=workspaces))
    gone(Membership, Membership.objects.filter(Q(team__in=workspaces) | Q(user__in=users)))
    gone(Profile, Profile.objects.filter(user__in=users))
    gone(EmailAddress, EmailAddress.objects.filter(user__in=users))
    for model, queryset in (
        (Video, Video.objects.filter(workspace__in=workspaces)),
        (Team, Team.objects.filter(pk__in=workspaces)),
        (users.model, seeded_users()),
    ):
        removed[model._meta.label] = _delete_unreferenced(queryset)
    for template_id, count in uses.items():
        Template.objects.filter(pk=template_id).update(
            usage_count=Greatest(F("usage_count") - count, 0)
        )
    removed["billing.Coupon"] = _unused_coupons().delete()[0]
    removed["metrics.MarketingSpend"] = MarketingSpend.objects.filter(
        note__startswith=catalog.SPEND_NOTE_PREFIX
    ).delete()[0]
    removed["metrics.FxRate"] = _fx_rates()
    # No ANALYZE here: statistics taken inside this transaction would show the tables empty,
    # and PostgreSQL would check the deferred foreign keys at COMMIT with a sequential scan per
    # deleted row. The caller refreshes them once committed (`writer.analyze`).
    return {label: count for label, count in removed.items() if count}
