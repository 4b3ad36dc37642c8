"""Sign-in backends that read the user and their profile in one query.

Every signed-in request needs the profile before the view runs (language and time zone, see
accounts.middleware); loading it with the user saves a query on every page and API call.
"""

from __future__ import annotations

from allauth.account import auth_backends as allauth_backends
from django.contrib.auth import backends as django_backends
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser


def signed_in_user(
    backend: django_backends.ModelBackend, user_id: object
) -> AbstractBaseUser | None:
    """The session's user with `profile` already loaded (None cached when there is none)."""
    users = get_user_model()._default_manager.select_related("profile")
    user = users.filter(pk=user_id).first()
    return user if user is not None and backend.user_can_authenticate(user) else None


class ModelBackend(django_backends.ModelBackend):
    def get_user(self, user_id: object) -> AbstractBaseUser | None:
        return signed_in_user(self, user_id)


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    def get_user(self, user_id: object) -> AbstractBaseUser | None:
        return signed_in_user(self, user_id)


# Sessions signed in before these backends existed name Django's and allauth's own classes;
# without this they would be signed out on deploy.
RENAMED_BACKENDS = {
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "accounts.backends.AuthenticationBackend"
    ),
}
