"""Marketing spend: `manage.py import_marketing_spend FILE`, the admin, and spend over a period
(prorated by days, converted at the month's first day's rate)."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from analytics.metrics.models import MarketingSpend
from analytics.metrics.revenue import FxRateMissing, marketing_spend
from tests.conftest import client_for
from tests.factories import UserFactory

SPEND = Path(__file__).parent / "files" / "marketing-spend.csv"
D = datetime.date


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_marketing_spend", str(path), *args, stdout=out)
    return out.getvalue()


def _rows() -> set[tuple]:
    return set(MarketingSpend.objects.values_list("channel", "month", "amount", "currency", "note"))


@pytest.mark.django_db
def test_import_reads_major_units_into_minor_units():
    output = run(SPEND)
    assert _rows() == {
        ("Google Ads", D(2026, 1, 1), 123456, "USD", "search campaigns"),
        ("Newsletter sponsorship", D(2026, 1, 1), 150000, "JPY", ""),  # yen: no minor unit
        ("Google Ads", D(2026, 2, 1), 98000, "USD", ""),
        ("Podcast", D(2026, 2, 1), 40000, "EUR", "Episode 12, host read"),
    }
    assert "4 rows for 3 channels. 4 were added, 0 were changed, 0 already stored." in output


@pytest.mark.django_db
def test_importing_again_changes_nothing_and_a_new_figure_replaces_the_old(tmp_path):
    run(SPEND)
    assert "0 were added, 0 were changed, 4 already stored" in run(SPEND)
    update = tmp_path / "update.csv"
    update.write_text(
        "channel,month,amount,currency\nPodcast,2026-02,450,EUR\nTikTok,2026-02,10,USD\n"
    )
    assert "1 were added, 1 were changed, 0 already stored" in run(update)
    assert MarketingSpend.objects.get(channel="Podcast").amount == 45000
    assert MarketingSpend.objects.count() == 5


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    output = run(SPEND, "--dry-run")
    assert MarketingSpend.objects.count() == 0
    assert "4 would be added" in output and "Dry run: nothing was written." in output


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("channel,month,amount\nads,2026-01,1\n", "missing: currency"),
        ("channel,month,amount,currency\nads,2026-13,1,USD\n", "Line 2: “2026-13” is not a month"),
        ("channel,month,amount,currency\nads,2026-01-15,1,USD\n", "not a month's first day"),
        ("channel,month,amount,currency\nads,2026-01,1.001,USD\n", "more decimals than USD"),
        ("channel,month,amount,currency\nads,2026-01,10.5,JPY\n", "more decimals than JPY"),
        ("channel,month,amount,currency\nads,2026-01,-1,USD\n", "zero or more"),
        ("channel,month,amount,currency\nads,2026-01,1e30,USD\n", "too large"),
        ("channel,month,amount,currency\nads,2026-01,lots,USD\n", "“lots” is not an amount"),
        ("channel,month,amount,currency\nads,2026-01,1,XXQ\n", "“XXQ” is not a currency code"),
        ("channel,month,amount,currency\n,2026-01,1,USD\n", "the channel must have"),
        (
            "channel,month,amount,currency\nads,2026-01,1,USD\nads,2026-01-01,2,USD\n",
            "Line 3: ads in 2026-01 is already on line 2",
        ),
    ],
)
def test_a_bad_file_is_refused_whole(tmp_path, content, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    with pytest.raises(CommandError, match=message):
        run(bad)
    assert MarketingSpend.objects.count() == 0


@pytest.mark.django_db
def test_every_problem_is_listed_and_nothing_written(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("channel,month,amount,currency\ngood,2026-01,5,USD\nbad,2026-01,x,USD\n")
    with pytest.raises(CommandError, match="Line 3"):
        run(bad)
    assert MarketingSpend.objects.count() == 0


@pytest.mark.django_db
def test_spend_of_a_period_is_prorated_by_day(rates):
    run(SPEND)
    rates(
        (D(2025, 12, 31), "USD", "1.10"),
        (D(2025, 12, 31), "JPY", "160"),
        (D(2026, 1, 30), "USD", "1.25"),
    )
    # February: Google Ads 980.00 USD; Podcast 400.00 EUR at the rate of 1 February (a Sunday:
    # Friday 30 January's 1.25) = 500.00 USD. January's rows are outside.
    february = marketing_spend(start=D(2026, 2, 1), end=D(2026, 2, 28))
    assert (february.currency, february.total) == ("USD", 148000)
    assert february.by_channel == {"Google Ads": 98000, "Podcast": 50000}
    # 10 January to 9 February: 22 of January's 31 days, 9 of February's 28.
    span = marketing_spend(start=D(2026, 1, 10), end=D(2026, 2, 9))
    assert span.by_channel == {
        # 123456 × 22/31 = 87614.45 → 87614, plus 98000 × 9/28 = 31500: 119114.
        "Google Ads": 119114,
        # 150000 yen × 22/31 at 1 January's rates (31 December's: 1.10 USD, 160 yen per euro)
        # = 150000 × 22 × 1.10 / (31 × 160) USD = 731.8548 → 73185 cents.
        "Newsletter sponsorship": 73185,
        # 40000 euro cents × 9/28 × 1.25 = 16071.43 → 16071.
        "Podcast": 16071,
    }
    assert span.total == 119114 + 73185 + 16071


@pytest.mark.django_db
def test_spend_in_a_currency_without_a_rate_fails_clearly():
    run(SPEND)
    with pytest.raises(FxRateMissing):
        marketing_spend(start=D(2026, 1, 1), end=D(2026, 1, 31))


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
def test_spend_query_count(rates, size, django_assert_max_num_queries):
    rates((D(2025, 12, 31), "USD", "1.1"), (D(2025, 12, 31), "GBP", "0.9"))
    MarketingSpend.objects.bulk_create(
        MarketingSpend(
            channel=f"c{n}", month=D(2026, 1 + n % 3, 1), amount=100, currency=["EUR", "GBP"][n % 2]
        )
        for n in range(size)
    )
    with django_assert_max_num_queries(2):
        marketing_spend(start=D(2026, 1, 1), end=D(2026, 3, 31))


@pytest.mark.django_db
def test_staff_edit_spend_in_the_admin():
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(staff)
    add = reverse("admin:metrics_marketingspend_add")
    data = {
        "channel": "Ads",
        "month": "2026-03-01",
        "amount": "5000",
        "currency": "USD",
        "note": "",
    }
    assert client.post(add, data).status_code == 302
    assert client.post(add, {**data, "month": "2026-03-02", "channel": "Other"}).status_code == 200
    assert MarketingSpend.objects.count() == 1
    assert (
        "$50.00" in client.get(reverse("admin:metrics_marketingspend_changelist")).content.decode()
    )
