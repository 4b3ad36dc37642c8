"""The scheduling pages name the user's time zone as people know it ("Tokyo (UTC+09:00)", the
city in their language), not by its raw id ("Asia/Tokyo")."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.conftest import client_in


@pytest.fixture(autouse=True)
def _language_and_zone_reset():
    """A request leaves its reader's language and time zone active in the thread."""
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.mark.django_db
def test_the_calendar_names_the_zone_by_city_and_offset(owner, workspace):
    owner.profile.time_zone = "Asia/Tokyo"
    owner.profile.save()
    html = client_in(owner, workspace).get(reverse("videos:schedule")).content.decode()
    assert "Tokyo (UTC+09:00)" in html and "Asia/Tokyo" not in html


@pytest.mark.django_db
def test_the_schedule_form_names_it_in_the_users_language(ready, account, owner, workspace):
    owner.profile.time_zone, owner.profile.language = "Asia/Tokyo", "ja"
    owner.profile.save()
    page = client_in(owner, workspace).get(reverse("videos:schedule_new", args=[ready.pk]))
    assert "東京 (UTC+09:00)" in page.content.decode()
