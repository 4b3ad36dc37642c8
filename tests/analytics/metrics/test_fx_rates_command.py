"""`manage.py load_fx_rates FILE`: both ECB formats, idempotent, --dry-run, bad files refused
whole; and rates are editable in the admin."""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from analytics.metrics.models import FxRate
from tests.conftest import client_for
from tests.factories import UserFactory

FILES = Path(__file__).parent / "files"
DAILY, HISTORY = FILES / "eurofxref.csv", FILES / "eurofxref-hist.csv"
D = datetime.date


def load(path, *args) -> str:
    out = StringIO()
    call_command("load_fx_rates", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_daily_file():
    output = load(DAILY)
    # 30 currencies on one day ("05 December 2025"); the trailing comma adds no column.
    assert FxRate.objects.count() == 30
    assert FxRate.objects.get(currency="USD", day=D(2025, 12, 5)).rate_per_eur == Decimal("1.1645")
    assert FxRate.objects.get(currency="IDR").rate_per_eur == Decimal("19379.44")
    assert "30 rates for 30 currencies on 1 days" in output
    assert "30 were added, 0 were changed, 0 already stored" in output


@pytest.mark.django_db
def test_the_history_file_skips_what_was_not_quoted():
    output = load(HISTORY)
    # 14 currencies on 4 days = 56 cells; CYP, EEK and LTL are N/A on the three 2025 days
    # (9 cells): 47 rates.
    assert FxRate.objects.count() == 47
    assert not FxRate.objects.filter(currency="CYP", day__year=2025).exists()
    assert FxRate.objects.get(currency="CYP", day=D(2007, 12, 31)).rate_per_eur == Decimal(
        "0.585274"
    )
    assert "47 rates for 14 currencies on 4 days (9 not quoted, N/A)" in output


@pytest.mark.django_db
def test_loading_again_changes_nothing():
    load(DAILY)
    # The history repeats 5 December for 11 of the daily file's currencies, with the same
    # values written differently (24.250 and 24.25): unchanged; the other 36 are new.
    output = load(HISTORY)
    assert "36 were added, 0 were changed, 11 already stored" in output
    output = load(HISTORY)
    assert "0 were added, 0 were changed, 47 already stored" in output
    assert FxRate.objects.count() == 30 + 36


@pytest.mark.django_db
def test_a_corrected_rate_replaces_the_stored_one(tmp_path):
    load(HISTORY)
    corrected = tmp_path / "corrected.csv"
    corrected.write_text("Date,USD,\n2025-12-05,1.1700,\n")
    output = load(corrected)
    assert "0 were added, 1 were changed, 0 already stored" in output
    assert FxRate.objects.get(currency="USD", day=D(2025, 12, 5)).rate_per_eur == Decimal("1.17")


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    output = load(HISTORY, "--dry-run")
    assert FxRate.objects.count() == 0
    assert "47 would be added" in output
    assert "Dry run: nothing was written." in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Date,USD,\n2025-12-05,1.1645,\n2025-12-04,abc,\n", "Line 3, USD: “abc” is not a number"),
        ("Date,USD,\n2025-12-05,-1,\n", "is not a rate above zero"),
        ("Date,USD,\n2025-12-05,1e400,\n", "too large"),
        ("Date,USD,\n2025-12-05,1.1234567,\n", "more than 6 decimal places"),
        ("Date,USD,\n31 Smarch 2025,1.1,\n", "Line 2: “31 Smarch 2025” is not a date"),
        ("Date,USD,\n2025-12-05,1.1,\n2025-12-05,1.2,\n", "Line 3: 2025-12-05 appears twice"),
        ("Date,XYZ,\n2025-12-05,1.1,\n", "“XYZ” is not a currency code"),
        ("Date,EUR,\n2025-12-05,1,\n", "EUR is the base currency"),
        ("channel,month\nads,2026-01\n", "the header must start with “Date”"),
        ("Date,USD\n2025-12-05,1.1\x00\n", "NUL"),
        ("", "the header must start with “Date”"),
    ],
)
def test_a_bad_file_is_refused_whole(tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    with pytest.raises(CommandError, match=message):
        load(bad)
    assert FxRate.objects.count() == 0


@pytest.mark.django_db
def test_not_a_file():
    with pytest.raises(CommandError, match="no such file"):
        load(FILES / "missing.csv")


@pytest.mark.django_db
def test_a_binary_file_is_refused(tmp_path):
    binary = tmp_path / "rates.csv"
    binary.write_bytes(b"\xff\xfe\x00D\x00a")
    with pytest.raises(CommandError, match="not UTF-8"):
        load(binary)


@pytest.mark.django_db
def test_staff_correct_a_rate_in_the_admin():
    rate = FxRate.objects.create(day=D(2026, 1, 9), currency="USD", rate_per_eur=Decimal("1.17"))
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(staff)
    url = reverse("admin:metrics_fxrate_change", args=[rate.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"day": "2026-01-09", "currency": "USD", "rate_per_eur": "1.1745"})
    assert response.status_code == 302
    rate.refresh_from_db()
    assert rate.rate_per_eur == Decimal("1.1745")
    # The euro is the base; zero and unknown currencies are refused.
    add = reverse("admin:metrics_fxrate_add")
    for data in (
        {"day": "2026-01-09", "currency": "EUR", "rate_per_eur": "1"},
        {"day": "2026-01-09", "currency": "GBP", "rate_per_eur": "0"},
        {"day": "2026-01-09", "currency": "QQQ", "rate_per_eur": "1"},
    ):
        assert client.post(add, data).status_code == 200  # the form again, with its error
    assert FxRate.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_is_for_staff_only(owner):
    response = client_for(owner).get(reverse("admin:metrics_fxrate_changelist"))
    assert response.status_code == 302
