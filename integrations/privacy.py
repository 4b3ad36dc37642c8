"""What integrations holds about a person, for accounts.privacy (listed in
`PRIVACY_PROVIDERS`): when their account is deleted, the connected accounts of the workspaces
that go with it are disconnected (their tokens forgotten) and removed."""

from __future__ import annotations

from django.db import transaction

from teams.privacy import workspaces_leaving_with

from .models import AccountStatus, ConnectedAccount
from .services import account_disconnect


@transaction.atomic
def privacy_erase(*, user) -> None:
    accounts = ConnectedAccount.objects.filter(workspace__in=workspaces_leaving_with(user))
    for account in accounts.select_related("workspace").order_by("pk"):
        if account.status != AccountStatus.DISCONNECTED:
            account_disconnect(account=account, actor=user)
    accounts.delete()
