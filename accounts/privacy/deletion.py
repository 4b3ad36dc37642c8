"""Deleting an account: refused while the person is the only owner of a workspace that has other
members; otherwise everything personal goes in one transaction, and a confirmation e-mail goes
to the address the account had, after the commit.

What each app deletes or keeps is its own business (its `privacy_erase`, see `providers`):
videos and files of the workspaces that go with the person, their memberships; comments stay
with no author ("Deleted user"). Accounts then forgets its own rows, cuts the event log's links
to the person (analytics.events), and deletes the user row: every other table's link to it is
SET_NULL (kept, anonymous) or CASCADE (personal: profile, tokens, addresses, notifications).
"""

from __future__ import annotations

import logging

from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from accounts.emails import queue_unsent, send_once
from accounts.models import ApiToken, Profile, User
from analytics.events import EventName, events_forget_person, record

from . import providers
from .exports import data_exports_forget
from .models import AccountDeletion
from .providers import Blocker

logger = logging.getLogger(__name__)


def account_deletion_blockers(*, user: User) -> list[Blocker]:
    """What keeps `user`'s account from being deleted now (empty: nothing)."""
    return providers.deletion_blockers(user=user)


def _refuse_if_blocked(user: User) -> None:
    blockers = account_deletion_blockers(user=user)
    if blockers:
        messages = [_("Your account can't be deleted yet."), *(b.message for b in blockers)]
        raise ValidationError([ValidationError(text, code="sole_owner") for text in messages])


def account_delete(*, user: User, password: str) -> AccountDeletion | None:
    """Delete `user`'s account once their password is confirmed; None if it is gone already
    (a second submit). Raises ValidationError (nothing changed) for a wrong password, or
    listing the workspaces that need another owner first."""
    if not password or not user.check_password(password):
        raise ValidationError(_("That is not your password."), code="password")
    return _delete(user)


@transaction.atomic
def _delete(user: User) -> AccountDeletion | None:
    user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None:
        return None
    _refuse_if_blocked(user)
    profile = Profile.objects.filter(user=user).first()
    deletion = AccountDeletion.objects.create(
        email=user.email,
        language=profile.language if profile else "",
        time_zone=profile.time_zone if profile else "",
    )
    user_id, email = user.pk, user.email
    data_exports_forget(user=user)
    providers.erase(user=user)
    # Personal rows go with the user row too (CASCADE); deleted first, explicitly, so a
    # reader of this function sees them end.
    ApiToken.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    events_forget_person(user_id=user_id, email=email)
    user.delete()
    record(EventName.USER_DELETED, idempotency_key=f"user.deleted:{deletion.pk}")
    from accounts import tasks

    deletion_id = str(deletion.pk)
    transaction.on_commit(lambda: tasks.end_user_sessions.delay(user_id))
    transaction.on_commit(lambda: tasks.send_account_deleted_email.delay(deletion_id))
    return deletion


# -- after the commit -----------------------------------------------------------------------------


def sessions_end(*, user_id: int) -> int:
    """Delete every stored session signed in as `user_id`. The user row is gone already, so
    those sessions sign nobody in any more; this removes them rather than wait for expiry.
    Stores without a table to search (signed cookies, cache only) are left to expire."""
    from django.conf import settings

    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    get_model = getattr(store, "get_model_class", None)
    if get_model is None:
        return 0
    live = get_model().objects.filter(expire_date__gt=timezone.now()).order_by("pk")
    rows = live.values_list("session_key", "session_data").iterator(chunk_size=2000)
    # Read to the end first, then delete: SQLite does not isolate a running read from writes.
    theirs = [key for key, data in rows if store().decode(data).get(SESSION_KEY) == str(user_id)]
    for key in theirs:
        store(session_key=key).delete()
    return len(theirs)


def deletions_to_email():
    return AccountDeletion.objects.exclude(email="")


def account_deleted_send_email(*, deletion_id: str) -> bool:
    """The confirmation, once (`send_once`); the address, language and time zone are then
    forgotten in the same transaction."""
    from .emails import send_account_deleted

    def send(deletion: AccountDeletion) -> None:
        send_account_deleted(deletion)
        deletion.email, deletion.language, deletion.time_zone = "", "", ""
        deletion.save(update_fields=["email", "language", "time_zone"])

    return send_once(deletions_to_email(), deletion_id, send)


def account_deleted_queue_unsent(*, task) -> int:
    from datetime import timedelta

    return queue_unsent(
        deletions_to_email(), task, older_than=timedelta(minutes=5), since="deleted_at"
    )
