import pytest

from billing import entitlements
from billing.entitlements import EntitlementError
from billing.models import Plan, Subscription, SubscriptionStatus


def _make_pro(workspace, status=SubscriptionStatus.ACTIVE):
    Subscription.objects.filter(workspace=workspace).update(
        plan=Plan.objects.get(key="pro-monthly"), status=status
    )
    entitlements.forget_tier(workspace)


@pytest.mark.django_db
def test_every_workspace_starts_on_free(workspace):
    assert Subscription.objects.get(workspace=workspace).plan.key == "free"
    assert entitlements.tier_for(workspace) == "free"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "free", "pro"),
    [
        ("brand_kits", 1, 10),
        ("team_seats", 3, 20),
        ("batch_export_size", 5, 50),
        ("versions_per_video", 5, 50),
        ("scheduling_platforms", 2, 5),
        ("render_minutes_per_month", 10, 300),
    ],
)
def test_each_limit_is_enforced_at_its_value(workspace, key, free, pro):
    entitlements.check_limit(workspace, key, current=free - 1)  # the last one fits
    with pytest.raises(EntitlementError) as error:
        entitlements.check_limit(workspace, key, current=free)
    assert error.value.upgrade_url == "/billing/pricing/"
    assert str(free) in error.value.messages[0]
    _make_pro(workspace)
    entitlements.check_limit(workspace, key, current=pro - 1)
    with pytest.raises(EntitlementError):
        entitlements.check_limit(workspace, key, current=pro)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["pro_templates", "output_1080p"])
def test_pro_features(workspace, key):
    with pytest.raises(EntitlementError):
        entitlements.require_feature(workspace, key)
    _make_pro(workspace)
    entitlements.require_feature(workspace, key)


@pytest.mark.django_db
def test_past_due_keeps_pro_and_canceled_falls_back_to_free(workspace):
    _make_pro(workspace, SubscriptionStatus.PAST_DUE)
    assert entitlements.has_feature(workspace, "output_1080p")
    _make_pro(workspace, SubscriptionStatus.CANCELED)
    assert not entitlements.has_feature(workspace, "output_1080p")


@pytest.mark.django_db
def test_over_limit_after_downgrade_is_read_only(workspace):
    assert entitlements.is_over_limit(workspace, "brand_kits", current=4)
    assert not entitlements.is_over_limit(workspace, "brand_kits", current=1)


@pytest.mark.django_db
def test_limit_message_is_translated(workspace):
    from django.utils import translation

    with translation.override("de"), pytest.raises(EntitlementError) as error:
        entitlements.check_limit(workspace, "brand_kits", current=1)
    assert "Upgrade to Pro" not in error.value.messages[0]
