from html import escape

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import client_for

NAV_PAGES = [
    "videos:list",
    "videos:templates",
    "videos:schedule",
    "teams:team",
    "creators:dashboard",
]


@pytest.mark.django_db
def test_landing_page_explains_and_invites_sign_up(client):
    page = client.get("/")
    assert page.status_code == 200
    assert reverse("account_signup") in page.content.decode()


@pytest.mark.django_db
def test_signed_in_visitor_of_landing_goes_to_dashboard(owner_client):
    assert owner_client.get("/")["Location"] == reverse("dashboard")


@pytest.mark.django_db
def test_dashboard_shows_workspace_and_empty_states(owner_client, owner):
    page = owner_client.get(reverse("dashboard"))
    assert page.status_code == 200
    text = page.content.decode()
    assert escape(owner.teams.get(is_personal=True).name) in text
    assert "no videos yet" in text


@pytest.mark.django_db
def test_dashboard_query_count_is_bounded(owner_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        owner_client.get(reverse("dashboard"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAV_PAGES)
def test_navigation_pages_exist_and_are_honest(owner_client, name):
    page = owner_client.get(reverse(name))
    assert page.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", [*NAV_PAGES, "dashboard", "accounts:profile", "accounts:api_tokens"]
)
def test_pages_need_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_profile_settings_save(owner):
    client = client_for(owner)
    response = client.post(
        reverse("accounts:profile"),
        {"language": "ko", "time_zone": "Asia/Seoul", "marketing_emails": "on"},
    )
    assert response.status_code == 302
    owner.profile.refresh_from_db()
    assert (owner.profile.language, owner.profile.time_zone) == ("ko", "Asia/Seoul")
    assert owner.profile.marketing_emails


@pytest.mark.django_db
def test_profile_settings_reject_bad_time_zone(owner):
    client = client_for(owner)
    response = client.post(
        reverse("accounts:profile"), {"language": "", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone == "UTC"


@pytest.mark.django_db
def test_times_are_shown_in_the_users_time_zone(owner):
    from accounts.services import api_token_create

    owner.profile.time_zone = "Asia/Tokyo"
    owner.profile.save()
    _token, _key = api_token_create(user=owner, name="tz")
    page = client_for(owner).get(reverse("accounts:api_tokens"))
    assert page.context["TIME_ZONE"] == "Asia/Tokyo"


@pytest.mark.django_db
def test_404_page_uses_the_layout(client):
    page = client.get("/no/such/page/")
    assert page.status_code == 404
    assert "site-header" in page.content.decode()


@pytest.mark.django_db
def test_500_page_renders_without_context():
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "Video Creator" in html


@pytest.mark.django_db
def test_csrf_is_enforced_on_language_switch():
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("accounts:set_language"), {"language": "fr"}).status_code == 403


@pytest.mark.django_db
def test_admin_lists_every_model(owner):
    from django.apps import apps
    from django.contrib import admin

    ours = ["accounts", "teams", "analytics"]
    missing = [
        model._meta.label
        for app in ours
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry
    ]
    assert missing == []
