"""The connected accounts page: connecting through the platform and back, unconfigured
platforms, disconnecting, and a fixed query count."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from integrations.models import AccountStatus, ConnectedAccount
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.integrations.conftest import account_with_tokens


@pytest.mark.django_db
def test_the_page_connects_through_the_platform_and_back(platforms, workspace, owner):
    client = client_for(owner)
    page = client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert page.status_code == 200
    response = client.post(
        reverse("integrations:connect", args=["tiktok"]) + f"?workspace={workspace.pk}"
    )
    assert response.status_code == 302
    params = {k: v[0] for k, v in parse_qs(urlsplit(response["Location"]).query).items()}
    platforms.expect_request("/v2/oauth/token/", method="POST").respond_with_json(
        {"access_token": "act.1", "refresh_token": "rft.1", "expires_in": 86400}
    )
    platforms.expect_request("/v2/user/info/").respond_with_json(
        {"data": {"user": {"open_id": "open-1", "display_name": "Acme TikTok"}}}
    )
    back = client.get(
        reverse("integrations:callback", args=["tiktok"]), {"state": params["state"], "code": "c"}
    )
    assert back.status_code == 302 and back["Location"] == reverse("integrations:accounts")
    assert ConnectedAccount.objects.get(workspace=workspace).name == "Acme TikTok"
    listing = client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert "Acme TikTok" in listing.content.decode()
    forged = client.get(reverse("integrations:callback", args=["tiktok"]), {"state": "x"})
    assert forged.status_code == 302
    assert ConnectedAccount.objects.count() == 1


@pytest.mark.django_db
def test_without_credentials_a_platform_says_not_configured(settings, workspace, owner):
    settings.SOCIAL_PLATFORMS = {
        key: {**value, "client_id": "", "client_secret": ""}
        for key, value in settings.SOCIAL_PLATFORMS.items()
    }
    page = client_for(owner).get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert page.content.decode().count("Not configured") == 5


@pytest.mark.django_db
def test_disconnecting_forgets_the_tokens(workspace, owner, viewer, outsider):
    account = account_with_tokens(workspace)
    url = reverse("integrations:disconnect", args=[account.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(viewer).post(url).status_code == 403
    assert client_for(owner).post(url).status_code == 302
    account.refresh_from_db()
    assert account.status == AccountStatus.DISCONNECTED
    assert (account.access_token, account.refresh_token) == ("", "")


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_the_accounts_page_query_count_is_fixed(
    workspace, owner, count, django_assert_max_num_queries
):
    for n in range(count):
        connected_by = UserFactory(email=f"member{n}@example.com")
        account_with_tokens(
            workspace,
            platform=("youtube", "x", "tiktok")[n % 3],
            external_id=f"a{n}",
            connected_by=connected_by,
        )
    client = client_for(owner)
    client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    # session, user, profile, the membership, the accounts (with who connected them),
    # the header's memberships and the bell's unread count
    with django_assert_max_num_queries(7):
        page = client.get(reverse("integrations:accounts") + f"?workspace={workspace.pk}")
    assert page.content.decode().count('class="connected-account"') == count
