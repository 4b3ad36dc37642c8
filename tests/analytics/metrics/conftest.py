"""The metrics tests make many accounts that never sign in: a fast password hash keeps the
histories quick to build (the hasher is not what they test)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
