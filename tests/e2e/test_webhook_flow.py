"""In a real browser, under the Content-Security-Policy: an owner adds a webhook endpoint through
the form, copies its secret, sends a test event to a receiver on loopback and sees it delivered
on the endpoint's page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from standardwebhooks import Webhook
from werkzeug import Request, Response

from integrations.webhooks import catalogue
from integrations.webhooks.models import Endpoint
from tests.e2e.conftest import choose_workspace, sign_in

pytestmark = pytest.mark.e2e


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_add_an_endpoint_send_a_test_event_and_see_it_delivered(
    live_server, page, settings, httpserver, workspace, owner
):
    settings.WEBHOOKS_ALLOW_PRIVATE_HOSTS = True  # the receiver is on loopback, over http
    received: list[Request] = []

    def receive(request: Request) -> Response:
        received.append(request)
        return Response("thanks", status=200)

    httpserver.expect_request("/hook", method="POST").respond_with_handler(receive)
    base = live_server.url
    sign_in(page, base, owner.email)
    choose_workspace(page, workspace.pk)

    page.goto(base + reverse("webhooks:list"))
    page.fill("#id_url", httpserver.url_for("/hook"))
    page.fill("#id_description", "Our CRM")
    page.check("#event-type-videocreated")
    with page.expect_navigation():
        page.get_by_role("button", name="Add endpoint").click()

    endpoint = Endpoint.objects.get(workspace=workspace)
    assert endpoint.event_types == ["video.created"]
    expect(page.locator("#webhook-secret")).to_have_text(endpoint.secret)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    copy = page.locator("button[data-copy='webhook-secret']")
    copy.click()
    expect(copy).to_have_text("Copied")

    with page.expect_navigation():
        page.get_by_role("button", name="Send test event").click()
    expect(page.locator(".messages")).to_contain_text("A test event is on its way")
    row = page.locator("table.webhook-deliveries tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-status", "succeeded")
    expect(row).to_contain_text(catalogue.TEST_EVENT_TYPE)
    expect(page.locator("[data-success-rate]")).to_have_text("100%")

    assert len(received) == 1
    body = received[0].get_data(as_text=True)
    payload = Webhook(endpoint.secret).verify(body, dict(received[0].headers))
    assert payload["type"] == catalogue.TEST_EVENT_TYPE
