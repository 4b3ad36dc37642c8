"""Finding a user by e-mail in any case, and sign-ups by date, without reading every user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import User


@pytest.fixture
def many_users(db):
    """5,000 users (an unusable password each: hashing is not what this is about), analysed."""
    joined = timezone.now()
    User.objects.bulk_create(
        User(email=f"person{n}@example.com", password="!", date_joined=joined - dt.timedelta(n))
        for n in range(5000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE accounts_user")


def plan_of(queryset) -> str:
    return queryset.explain()


@pytest.mark.django_db
def test_email_lookups_ignore_case(many_users):
    assert User.objects.filter(email__iexact="Person42@Example.COM").get().email == (
        "person42@example.com"
    )


@pytest.mark.django_db
def test_case_insensitive_email_lookup_uses_the_upper_index(many_users):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes iexact as LIKE, which no expression index serves.")
    plan = plan_of(User.objects.filter(email__iexact="Person42@Example.COM"))
    assert "user_email_upper" in plan, plan


@pytest.mark.django_db
def test_sign_ups_by_date_use_the_date_joined_index(many_users):
    since = timezone.now() - dt.timedelta(days=7)
    assert User.objects.filter(date_joined__gte=since).count() == 7
    week = User.objects.filter(date_joined__gte=since).order_by()
    assert "user_date_joined" in plan_of(week), plan_of(week)
