"""The header's and footer's links: built once per language, the same as writing them out."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_in
from tests.factories import UserFactory

NAV = re.compile(r'<nav class="main-nav"[^>]*>(.*?)</nav>', re.S)
MENU = re.compile(r'<details class="account-menu">(.*?)</details>', re.S)
FOOTER = re.compile(r'<ul class="footer-links">(.*?)</ul>', re.S)


def _links(html: str) -> list[tuple[str, str, bool]]:
    return [
        (href, html_module.unescape(text), "aria-current" in attrs)
        for href, attrs, text in re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', html)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "de", "ja"])
def test_the_main_navigation_marks_the_current_page_in_the_readers_language(
    owner, workspace, language
):
    owner.profile.language = language
    owner.profile.save()
    client = client_in(owner, workspace)
    html = client.get(reverse("videos:schedule")).content.decode()
    with translation.override(language):
        expected = [
            (reverse("videos:list"), translation.gettext("Videos"), False),
            (reverse("videos:templates"), translation.gettext("Templates"), False),
            (reverse("videos:schedule"), translation.gettext("Schedule"), True),
            (reverse("teams:team"), translation.gettext("Team"), False),
            (reverse("creators:dashboard"), translation.gettext("Analytics"), False),
        ]
    assert _links(NAV.search(html)[1]) == expected
    if language != "en":
        assert expected[2][1] != "Schedule"  # really translated


@pytest.mark.django_db
@pytest.mark.parametrize("staff", [False, True])
def test_the_account_menu_shows_staff_links_only_to_staff(workspace, staff):
    person = UserFactory(is_staff=staff)
    client = client_in(person, person.memberships.first().team)
    html = client.get(reverse("videos:list")).content.decode()
    hrefs = [href for href, _text, _current in _links(MENU.search(html)[1])]
    assert reverse("accounts:profile") in hrefs
    assert (reverse("admin:index") in hrefs) is staff
    assert (reverse("metrics:business") in hrefs) is staff
    assert 'action="{}"'.format(reverse("account_logout")) in MENU.search(html)[1]


@pytest.mark.django_db
def test_the_footer_links_are_translated(client):
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("billing:pricing"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    with translation.override("fr"):
        expected = [
            (reverse("billing:pricing"), translation.gettext("Pricing"), False),
            (reverse("api-docs"), translation.gettext("API documentation"), False),
            (reverse("healthz"), translation.gettext("System status"), False),
        ]
    assert _links(FOOTER.search(html)[1]) == expected
