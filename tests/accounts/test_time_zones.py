"""Time zones are offered and shown as people know them: "(UTC+09:00) Tokyo" grouped by
region, the city in the reader's language; never as raw IDs like "Asia/Tokyo"."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.zones import zone_choices, zone_label
from tests.conftest import client_for

WINTER = dt.datetime(2026, 1, 15, 12, tzinfo=dt.UTC)
SUMMER = dt.datetime(2026, 7, 15, 12, tzinfo=dt.UTC)


def _options(html: str) -> dict[str, str]:
    select = re.search(r'<select name="time_zone".*?</select>', html, re.S).group(0)
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select))


def _groups(choices) -> dict[str, list]:
    return {label: options for label, options in choices if isinstance(options, list)}


@pytest.mark.django_db
def test_the_profile_select_shows_offsets_and_cities_grouped_by_region(owner):
    html = client_for(owner).get(reverse("accounts:profile")).content.decode()
    options = _options(html)
    assert re.fullmatch(r"\(UTC\+09:00\) Tokyo", options["Asia/Tokyo"])
    assert re.fullmatch(r"\(UTC[+-]0[45]:00\) New York", options["America/New_York"])
    assert options["UTC"] == "UTC"
    assert not [label for label in options.values() if "/" in label or "_" in label]
    assert '<optgroup label="Asia">' in html and '<optgroup label="Europe">' in html


def test_cities_and_regions_are_in_the_readers_language():
    with translation.override("ja"):
        assert zone_label("Asia/Tokyo", at=WINTER) == "東京 (UTC+09:00)"
        assert "アジア" in _groups(zone_choices(at=WINTER))
    with translation.override("de"):
        assert zone_label("Europe/Vienna", at=WINTER) == "Wien (UTC+01:00)"
    # Zones renamed in the tz database keep their translated city.
    with translation.override("ja"):
        assert zone_label("Asia/Kolkata", at=WINTER) == "コルカタ (UTC+05:30)"


def test_the_offset_is_the_one_in_force_at_the_time_shown():
    assert zone_label("Europe/Paris", at=WINTER) == "Paris (UTC+01:00)"
    assert zone_label("Europe/Paris", at=SUMMER) == "Paris (UTC+02:00)"
    assert zone_label("America/St_Johns", at=WINTER) == "St. John’s (UTC-03:30)"


def test_every_zone_has_one_label_in_its_group_in_every_language():
    for language in ("en", "es", "fr", "de", "pt", "ja", "ko", "zh-hans", "hi"):
        with translation.override(language):
            for region, options in _groups(zone_choices(at=WINTER)).items():
                labels = [label for _value, label in options]
                assert len(labels) == len(set(labels)), (language, region)
                assert all("/" not in label and "_" not in label for label in labels)


def test_a_zone_outside_the_list_is_still_offered_when_it_is_the_current_one():
    flat = dict(zone_choices(at=WINTER, current="Etc/GMT+5"))
    assert flat["Etc/GMT+5"] == "(UTC-05:00) Etc/GMT+5"


@pytest.mark.django_db
def test_an_old_name_of_a_zone_is_shown_as_its_current_name(owner):
    owner.profile.time_zone = "Asia/Calcutta"  # what some browsers still report
    owner.profile.save()
    page = client_for(owner).get(reverse("accounts:profile"))
    assert page.context["form"]["time_zone"].value() == "Asia/Kolkata"


@pytest.mark.django_db
def test_saving_a_listed_zone(owner):
    client = client_for(owner)
    data = {"language": "", "time_zone": "Asia/Tokyo"}
    assert client.post(reverse("accounts:profile"), data).status_code == 302
    owner.profile.refresh_from_db()
    assert owner.profile.time_zone == "Asia/Tokyo"
