"""The board's test kit: a member of staff, a quick way to make requests and voters."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from growth.feedback import services
from growth.feedback.models import Category
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _quick_passwords(fast_passwords):
    """Every test here makes voters: tests/conftest.py's cheap hasher for all of them."""


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", name="Sam Staff", is_staff=True)


@pytest.fixture
def make_request(owner):
    def make(title: str = "Dark mode", *, author=None, category: str = Category.UI_UX, **extra):
        return services.feature_request_create(
            author=author or owner, title=title, category=category, **extra
        )

    return make


@pytest.fixture
def voters(db):
    def make(count: int, prefix: str = "voter") -> list:
        return [UserFactory(email=f"{prefix}{n}@example.com") for n in range(count)]

    return make


def api_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def api():
    return api_for
