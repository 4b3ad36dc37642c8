"""Demo data for the board (`manage.py seed_demo` calls `demo_feedback` once per run): the five
most-voted requests of the seed, shipped with notes, and a few open, planned and in-progress ones,
voted on by demo voters. Idempotent: a request already there (by title) is left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import Category, Comment, FeatureRequest, Status, StatusChange, Subscription, Vote

VOTER_EMAIL = "demo-voter-{:02d}@videocreator.local"

# (title, category, status, votes, days ago shipped or made, note, description)
DEMO_REQUESTS = [
    (
        "Templates library",
        Category.TEMPLATES,
        Status.SHIPPED,
        45,
        60,
        "A searchable library of ready-made templates, by platform and purpose.",
        "Start from a finished design instead of a blank canvas.",
    ),
    (
        "Batch export",
        Category.PUBLISHING,
        Status.SHIPPED,
        32,
        45,
        "Pick several videos in the library and download them as one ZIP.",
        "Download many finished videos at once.",
    ),
    (
        "Custom branding",
        Category.EDITING,
        Status.SHIPPED,
        28,
        30,
        "Brand kits: your logo on every render, placed and sized your way.",
        "Put our logo on every video automatically.",
    ),
    (
        "Scheduling",
        Category.PUBLISHING,
        Status.SHIPPED,
        25,
        20,
        "Schedule a video to YouTube, Instagram, TikTok, Facebook and X from one calendar.",
        "Publish at the best time without being at the desk.",
    ),
    (
        "Collaboration comments",
        Category.COLLABORATION,
        Status.SHIPPED,
        22,
        10,
        "Time-coded review comments with mentions, replies and approvals.",
        "Let teammates comment on a frame of the video.",
    ),
    (
        "Subtitles from the voice-over",
        Category.EDITING,
        Status.IN_PROGRESS,
        19,
        40,
        "We are testing automatic captions in English first.",
        "Generate captions automatically and let us correct them.",
    ),
    (
        "Canva import",
        Category.INTEGRATIONS,
        Status.PLANNED,
        14,
        35,
        "Planned for next quarter.",
        "Bring designs over from Canva.",
    ),
    ("Dark mode", Category.UI_UX, Status.OPEN, 11, 12, "", "Easier on the eyes at night."),
    (
        "Stock music library",
        Category.TEMPLATES,
        Status.OPEN,
        8,
        6,
        "",
        "Royalty-free tracks to put under a video.",
    ),
    (
        "Invoices in my own currency",
        Category.BILLING,
        Status.DECLINED,
        3,
        50,
        "We bill in USD, EUR, GBP and JPY for now; more currencies are not planned.",
        "Pay in Swiss francs.",
    ),
]
DEMO_RICE = {
    "Subtitles from the voice-over": (8, Decimal("0.8"), 5),
    "Canva import": (5, None, 3),
    "Dark mode": (3, Decimal("1"), 2),
    "Stock music library": (6, Decimal("0.5"), 4),
}


def demo_voters(count: int) -> list[User]:
    """`count` demo voters (demo-voter-NN@videocreator.local) who cannot sign in; made once."""
    emails = [VOTER_EMAIL.format(n) for n in range(1, count + 1)]
    have = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = []
    for n, email in enumerate(emails, start=1):
        if email not in have:
            user = User(email=email, name=f"Demo voter {n}")
            user.set_unusable_password()
            missing.append(user)
    User.objects.bulk_create(missing, ignore_conflicts=True)
    by_email = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


@transaction.atomic
def demo_feedback(*, staff: User, author: User | None = None) -> list[str]:
    """Add the demo requests not there yet; what was made, for the seed's summary."""
    existing = set(
        FeatureRequest.objects.filter(title__in=[r[0] for r in DEMO_REQUESTS]).values_list(
            "title", flat=True
        )
    )
    todo = [r for r in DEMO_REQUESTS if r[0] not in existing]
    if not todo:
        return []
    voters = demo_voters(max(r[3] for r in DEMO_REQUESTS))
    now = timezone.now()
    for title, category, status, votes, days, note, description in todo:
        made = now - dt.timedelta(days=days + 30)
        changed = now - dt.timedelta(days=days)
        impact, confidence, effort = DEMO_RICE.get(title, (None, None, None))
        # The author (a member of the paying demo workspace) backs the requests still to
        # build, so the RICE page shows MRR behind voters; the shipped ones keep the seed's
        # exact counts from demo voters.
        backers = voters[:votes]
        if author is not None and status != Status.SHIPPED:
            backers = [author, *voters[: votes - 1]]
        feature_request = FeatureRequest.objects.create(
            title=title,
            description=description,
            category=category,
            status=status,
            author=author or voters[0],
            created_at=made,
            vote_score=votes,
            status_note=note,
            status_changed_at=changed if status != Status.OPEN else None,
            shipped_at=changed if status == Status.SHIPPED else None,
            impact=impact,
            confidence=confidence,
            effort=effort,
        )
        Vote.objects.bulk_create(
            [
                Vote(
                    request=feature_request,
                    user=voter,
                    value=1,
                    voted_at=made + dt.timedelta(hours=n),
                )
                for n, voter in enumerate(backers)
            ]
        )
        Subscription.objects.bulk_create(
            [Subscription(request=feature_request, user=voter) for voter in backers]
        )
        if status != Status.OPEN:
            StatusChange.objects.create(
                request=feature_request,
                from_status=Status.OPEN,
                to_status=status,
                note=note,
                actor=staff,
                created_at=changed,
            )
        if votes >= 20:
            Comment.objects.create(
                request=feature_request,
                author=voters[1],
                body="This would save us hours every week.",
                created_at=made + dt.timedelta(days=1),
            )
            FeatureRequest.objects.filter(pk=feature_request.pk).update(comment_count=1)
    return [f"{len(todo)} feature requests"]
