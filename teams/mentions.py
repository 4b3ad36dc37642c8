"""@mentions in comment text: what the autocomplete offers, and whom a text names."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser

from .models import Membership


def mention_handles(members: Iterable[Membership]) -> list[dict]:
    """What the autocomplete offers: '@Name' where the name is unique, else '@e-mail'."""
    users = [m.user for m in members]
    names = Counter(user.display_name.casefold() for user in users)
    return [
        {
            "id": user.pk,
            "name": user.display_name,
            "email": user.email,
            "handle": user.display_name
            if names[user.display_name.casefold()] == 1 and " @" not in user.display_name
            else user.email,
        }
        for user in users
    ]


def find_mentions(text: str, members: Iterable[Membership]) -> list[AbstractBaseUser]:
    """The members named after an '@' in `text`: by e-mail address or by display name,
    the longest match winning ('@Ann Lee' beats '@Ann'), case-insensitive."""
    candidates: list[tuple[str, AbstractBaseUser]] = []
    for membership in members:
        user = membership.user
        candidates.append((user.email.casefold(), user))
        candidates.append((user.display_name.casefold(), user))
    candidates.sort(key=lambda pair: len(pair[0]), reverse=True)
    folded = text.casefold()
    found: dict[int, AbstractBaseUser] = {}
    for at in (m.start() for m in re.finditer("@", text)):
        if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "._-+"):
            continue  # the @ inside someone@example.com
        rest = folded[at + 1 :]
        for handle, user in candidates:
            if handle and rest.startswith(handle):
                after = rest[len(handle) : len(handle) + 1]
                if not after or not (after.isalnum() or after in "_-"):
                    found.setdefault(user.pk, user)
                    break
    return list(found.values())
