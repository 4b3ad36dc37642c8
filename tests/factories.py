import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from billing.models import Invoice, Plan, Subscription
from teams.models import Membership, Role, Team
from videos.models import Template, Video

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            if extracted is not False:
                EmailAddress.objects.create(user=obj, email=obj.email, primary=True, verified=True)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    created_by = factory.SubFactory(UserFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.VIEWER


# -- videos and billing, for the analytics metrics' fixed histories -----------------------------


class VideoFactory(factory.django.DjangoModelFactory):
    """A video row as `video_create` leaves it (a draft); set `created_at` for history."""

    class Meta:
        model = Video

    workspace = factory.SubFactory(TeamFactory)
    # One of the starter templates the data migration made.
    template = factory.LazyFunction(lambda: Template.objects.order_by("pk").first())
    title = factory.Sequence(lambda n: f"Video {n}")
    duration_seconds = 10


class PaidInvoiceFactory(factory.django.DjangoModelFactory):
    """A paid Pro invoice of a workspace (its subscription made on the way); set `paid_at`,
    `total` and `currency`."""

    class Meta:
        model = Invoice

    workspace = factory.SubFactory(TeamFactory)
    subscription = factory.LazyAttribute(
        lambda invoice: Subscription.objects.get_or_create(
            workspace=invoice.workspace, defaults={"plan": invoice.plan}
        )[0]
    )
    plan = factory.LazyFunction(lambda: Plan.objects.get(key="pro-monthly"))
    number = factory.Sequence(lambda n: f"TEST-{n:06d}")
    reason = "renewal"
    currency = "USD"
    subtotal = factory.SelfAttribute("total")
    total = 1000
    status = "paid"
    period_start = factory.SelfAttribute("paid_at")
    period_end = factory.SelfAttribute("paid_at")
    issued_at = factory.SelfAttribute("paid_at")
    paid_at = factory.LazyFunction(timezone.now)
