"""Staff replay deliveries from the admin: the same id and body go out again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from integrations.webhooks import fanout, sending, services
from integrations.webhooks.models import Delivery, DeliveryStatus
from tests.conftest import client_for

from .conftest import make_videos

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    from accounts.models import User

    return User.objects.create_superuser(email="root@example.com", password="root-pass-123")


def test_staff_replay_failed_deliveries_with_their_ids(
    clock, workspace, owner, receiver, staff, django_capture_on_commit_callbacks
):
    services.endpoint_create(workspace=workspace, actor=owner, url=receiver.url)
    clock.advance(seconds=1)
    make_videos(workspace, owner, 2)
    fanout.fan_out()
    receiver.status = 500
    sending.send_due()
    Delivery.objects.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    receiver.status = 200
    first_ids = receiver.ids()

    changelist = reverse("admin:webhooks_delivery_changelist")
    page = client_for(staff).get(
        reverse("admin:webhooks_delivery_change", args=[Delivery.objects.first().pk])
    )
    assert page.status_code == 200 and b"whsec_" not in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            changelist,
            {
                "action": "replay",
                "_selected_action": [
                    str(pk) for pk in Delivery.objects.values_list("pk", flat=True)
                ],
            },
            follow=True,
        )
    assert response.status_code == 200
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SUCCEEDED}
    assert sorted(receiver.ids()[2:]) == sorted(first_ids)


def test_the_endpoint_admin_never_shows_a_secret(workspace, owner, staff, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True
    endpoint = services.endpoint_create(
        workspace=workspace,
        actor=owner,
        url="http://127.0.0.1:9/hook",
        headers={"X-Key": "header-value-7f3a9c"},
    )
    page = client_for(staff).get(reverse("admin:webhooks_endpoint_change", args=[endpoint.pk]))
    assert page.status_code == 200
    assert (
        endpoint.secret.encode() not in page.content and b"header-value-7f3a9c" not in page.content
    )
