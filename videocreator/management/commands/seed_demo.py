import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import user_create
from analytics.metrics import rollups
from analytics.metrics.seeding import seed_history, seeded_data_exists
from billing import services as billing
from billing.models import Coupon, CouponDuration, Plan, SubscriptionChange
from billing.providers import stripe_configured
from growth.feedback.demo import demo_feedback
from growth.referrals.demo import demo_referrals
from teams.models import Role, Team
from teams.services.memberships import membership_add, membership_mark_used
from teams.services.workspaces import workspace_create
from videocreator import demo

DEMO_EMAIL = "demo@videocreator.local"
# A generated history for the analytics dashboards (analytics.metrics.seeding): enough for every
# chart to show something, a few seconds to write.
HISTORY_USERS, HISTORY_MONTHS, HISTORY_SEED = 2000, 12, 1
DEMO_TEAM_NAME = "Demo Agency"
# Staff, not a member of the demo team: the business dashboard (/analytics/business/) and the
# admin are staff-only, and a first run should be able to open them.
DEMO_STAFF_EMAIL = "staff@videocreator.local"
DEMO_TEAMMATES = [
    ("editor@videocreator.local", Role.EDITOR),
    ("viewer@videocreator.local", Role.VIEWER),
]


DEMO_VIDEOS = [
    (
        "instagram-product-showcase",
        "Spring launch: Aurora headphones",
        {"product_name": "Aurora Wireless Headphones", "price": "$129"},
    ),
    (
        "youtube-quote",
        "今週の名言 (Japanese)",
        {
            "quote": "未来を予測する最良の方法は、それを創ることだ。",
            "author": "ピーター・ドラッカー",
        },
    ),
    (
        "animated-statistics",
        "Our year in numbers",
        {"title": "Our year in numbers", "insight": "Up 29 points since January"},
    ),
]


class Command(BaseCommand):
    help = (
        "Create (once) demo users and a Demo Agency workspace that shows every feature: "
        "rendered videos in two languages, a brand kit applied, versions, a review thread, "
        "an export, schedules and two months of sandbox posts with their statistics; and "
        "(once) a generated analytics history of 2,000 accounts over 12 months; print every "
        "demo sign-in."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", default="demo-video-creator", help="Demo password.")
        parser.add_argument("--dry-run", action="store_true", help="Show what would be created.")
        parser.add_argument(
            "--no-history", action="store_true", help="Skip the generated analytics history."
        )

    def handle(
        self, *args, password: str, dry_run: bool = False, no_history: bool = False, **options
    ) -> None:
        created: list[str] = []
        self.password = password
        with transaction.atomic():
            demo = self._user(DEMO_EMAIL, password, created)
            team = Team.objects.filter(created_by=demo, name=DEMO_TEAM_NAME).first()
            if team is None:
                team = workspace_create(owner=demo, name=DEMO_TEAM_NAME)
                created.append(f"workspace {DEMO_TEAM_NAME}")
            for email, role in DEMO_TEAMMATES:
                mate = self._user(email, password, created)
                membership_add(workspace=team, user=mate, role=role, actor=demo)
            staff = self._user(DEMO_STAFF_EMAIL, password, created)
            if not staff.is_staff:
                User.objects.filter(pk=staff.pk).update(is_staff=True)
            _coupon, coupon_created = Coupon.objects.get_or_create(
                code="WELCOME20",
                defaults={
                    "name": "20% off the first month",
                    "percent_off": 20,
                    "duration": CouponDuration.ONCE,
                },
            )
            if coupon_created:
                created.append("coupon WELCOME20")
            if self._upgrade_demo_team(team, demo):
                created.append(f"Pro monthly for {DEMO_TEAM_NAME} (sandbox)")
            # The demo user's first session opens in Demo Agency, not the empty personal space.
            membership_mark_used(workspace=team, user=demo)
            if dry_run:
                transaction.set_rollback(True)
        if not dry_run:
            created.extend(self._content(team, demo).created)
        if not no_history:
            created.extend(self._history(dry_run=dry_run))
        verb = "Would create" if dry_run else "Created"
        self.stdout.write(
            f"{verb}: {', '.join(created) if created else 'nothing (already seeded)'}"
        )
        for email, role in [(DEMO_EMAIL, Role.OWNER), *DEMO_TEAMMATES]:
            self.stdout.write(self.style.SUCCESS(f"Demo sign-in ({role}): {email} / {password}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo sign-in (staff, /analytics/business/): {DEMO_STAFF_EMAIL} / {password}"
            )
        )

    def _content(self, team: Team, owner: User) -> demo.DemoContent:
        """Videos and all that happens to them; each step skipped when already there."""
        content = demo.DemoContent()
        editor, viewer = (User.objects.get(email=email) for email, _role in DEMO_TEAMMATES)
        demo.demo_webhooks(workspace=team, actor=owner, content=content)
        videos = [
            demo.demo_video(
                workspace=team, actor=owner, key=key, title=title, fields=fields, content=content
            )
            for key, title, fields in DEMO_VIDEOS
        ]
        kit = demo.demo_brand_kit(workspace=team, actor=owner, content=content)
        demo.demo_versions(video=videos[0], kit=kit, actor=owner, content=content)
        demo.demo_review(
            video=videos[0], owner=owner, editor=editor, viewer=viewer, content=content
        )
        demo.demo_export(workspace=team, videos=videos[:2], actor=owner, content=content)
        demo.demo_schedules(workspace=team, videos=videos, actor=owner, content=content)
        demo.demo_performance(workspace=team, videos=videos, actor=owner, content=content)
        content.created.extend(demo_referrals(referrer=owner, password=self.password))
        content.created.extend(
            demo_feedback(staff=User.objects.get(email=DEMO_STAFF_EMAIL), author=editor)
        )
        return content

    def _history(self, *, dry_run: bool) -> list[str]:
        """The analytics history, once: a second run finds the seeded accounts and adds none
        (`manage.py seed_analytics --reset-only` removes them)."""
        if seeded_data_exists():
            return []
        what = f"an analytics history of {HISTORY_USERS:,} accounts over {HISTORY_MONTHS} months"
        if dry_run:
            return [what]
        summary = seed_history(users=HISTORY_USERS, months=HISTORY_MONTHS, seed=HISTORY_SEED)
        # The dashboards read the daily rollup: fill it for the history, as beat would have.
        today = timezone.now().date()
        figures = rollups.rollups_write(
            start=today - datetime.timedelta(days=31 * (HISTORY_MONTHS + 1)), end=today
        ).figures
        return [
            f"{what} ({summary.total_rows:,} rows, {summary.seconds:.1f} s; "
            f"{figures:,} daily figures)"
        ]

    def _upgrade_demo_team(self, team: Team, owner: User) -> bool:
        """Put the demo team on Pro through the sandbox, once, and only when it is offline."""
        subscription = billing.subscription_for(team)
        if (
            stripe_configured()
            or SubscriptionChange.objects.filter(subscription=subscription).exists()
        ):
            return False
        session = billing.checkout_start(
            workspace=team, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
        )
        billing.checkout_complete(session=session, provider_payment_id=f"sbx_demo_{team.pk}")
        return True

    def _user(self, email: str, password: str, created: list[str]) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            created.append(f"user {email}")
            return user_create(email=email, password=password, verified=True)
        if not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        return user
