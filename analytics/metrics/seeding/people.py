"""People: a browser arriving from a channel, signing up, confirming the address, coming back.

Each account is written as sign-up writes it (accounts' and teams' signals, allauth, the
visitor linking of analytics.tracking): the user with its profile and primary address, the
personal workspace with its owner membership and Free subscription, `team.workspace_created`,
`user.signed_up`; with the confirmation, `user.verified` and the sign-in that follows it. The
browser (`Visitor`) and its page views belong to the person from sign-up on, and the first and
latest touch are stored then. Browsers that never sign up are written too: they are the
funnel's first step.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.utils import translation

from accounts.models import Profile, User
from analytics.events import EventName
from analytics.models import PageView, UserTouch, Visitor
from billing.models import Subscription
from teams.models import Membership, Role, Team
from teams.naming import NAME_MAX_LENGTH, personal_workspace_name

from . import catalog
from .context import Context, after, event, new_uuid, pick, subject_of

DAY = dt.timedelta(days=1)
_WORKSPACE_NAMES: dict[str, str] = {}


@dataclass
class View:
    at: dt.datetime
    path: str
    channel: catalog.Channel | None = None  # set for a landing page: its UTM and referrer


@dataclass
class Person:
    user_id: int
    team_id: int
    subscription_id: int
    email: str
    language: str
    time_zone: str
    currency: str
    joined_at: dt.datetime
    verified_at: dt.datetime | None
    behaviour: catalog.Behaviour | None
    # When they used the product, the first being the sign-in that confirmed the address.
    visits: list[dt.datetime] = field(default_factory=list)
    active_until: dt.datetime | None = None
    logins: list[dt.datetime] = field(default_factory=list)
    visitor_id: str = ""
    views: list[View] = field(default_factory=list)


def workspace_name(language: str, person: str) -> str:
    """The personal workspace's name as sign-up stores it, in the language of the sign-up."""
    pattern = _WORKSPACE_NAMES.get(language)
    if pattern is None:
        with translation.override(language):
            pattern = _WORKSPACE_NAMES[language] = personal_workspace_name("{person}")
    name = pattern.replace("{person}", person)
    return name if len(name) <= NAME_MAX_LENGTH else personal_workspace_name(person)


def _landing(rng: random.Random, channel: catalog.Channel, at: dt.datetime) -> View:
    return View(at=at, path=rng.choice(channel.landing_paths), channel=channel)


def _view_values(rng: random.Random, view: View) -> dict:
    channel = view.channel
    if channel is None:
        return {"path": view.path, "is_touch": False}
    values = {
        "path": view.path,
        "referrer": rng.choice(channel.referrers) if channel.referrers else "",
        "utm_source": channel.source,
        "utm_medium": channel.medium,
        "utm_campaign": rng.choice(channel.campaigns) if channel.campaigns else "",
        "utm_term": rng.choice(channel.terms) if channel.terms else "",
        "utm_content": rng.choice(channel.contents) if channel.contents else "",
    }
    values["is_touch"] = bool(values["referrer"] or values["utm_source"])
    return values


def _month(moment: dt.datetime) -> dt.date:
    return moment.date().replace(day=1)


def sign_up(ctx: Context, rng: random.Random, index: int, joined_at: dt.datetime) -> Person:
    """The account, its workspace, and the visits that led to it; confirmed or not."""
    locale = pick(rng, catalog.LOCALES, [locale.share for locale in catalog.LOCALES])
    time_zone = rng.choice(locale.time_zones)
    local = f"{rng.choice(locale.names)}.{rng.choice(catalog.SURNAMES)}.{index + 1}"
    person = Person(
        user_id=ctx.ids.take(User),
        team_id=ctx.ids.take(Team),
        subscription_id=ctx.ids.take(Subscription),
        email=f"{local}@{catalog.EMAIL_DOMAIN}",
        language=locale.language,
        time_zone=time_zone,
        currency=catalog.currency_for(time_zone),
        joined_at=joined_at,
        verified_at=None,
        behaviour=None,
        visitor_id=str(new_uuid(rng)),
    )
    channels = catalog.CHANNELS
    channel = pick(rng, channels, [c.share * c.sign_up_affinity for c in channels])
    same_visit = rng.random() < 0.35
    lead = dt.timedelta(
        seconds=rng.uniform(60, 1800)
        if same_visit
        else min(20 * 86400, rng.expovariate(1 / 3 / 86400))
    )
    first_seen = joined_at - lead
    ctx.visits[channel.key, _month(first_seen)] += 1
    person.views.append(_landing(rng, channel, first_seen))
    if not same_visit and rng.random() < 0.25:  # came back another way before signing up
        back = pick(rng, channels, [c.share for c in channels])
        returned = first_seen + (joined_at - first_seen) / 2
        ctx.visits[back.key, _month(returned)] += 1
        person.views.append(_landing(rng, back, returned))
    person.views.append(
        View(joined_at - dt.timedelta(seconds=rng.uniform(30, 300)), "/accounts/signup/")
    )
    person.views.append(View(after(rng, joined_at, seconds=3), "/accounts/confirm-email/"))

    _account_rows(ctx, rng, person, local)
    verified = rng.random() < catalog.VERIFIED_SHARE
    if verified:
        delay = rng.uniform(20, 600) if rng.random() < 0.7 else rng.uniform(600, 3 * 86400)
        verified_at = joined_at + dt.timedelta(seconds=delay)
        if verified_at < ctx.now:
            person.verified_at = verified_at
    _email_row(ctx, person)
    if person.verified_at is not None:
        user = subject_of(User, person.user_id)
        event(
            ctx,
            rng,
            EventName.USER_VERIFIED,
            person.verified_at,
            actor_id=person.user_id,
            subject=user,
            idempotency_key=f"user.verified:{person.user_id}",
        )
        behaviours = catalog.BEHAVIOURS
        person.behaviour = pick(rng, behaviours, [b.share for b in behaviours])
        _visits(ctx, rng, person)
    return person


def _account_rows(ctx: Context, rng: random.Random, person: Person, local: str) -> None:
    at = person.joined_at
    ctx.out[Profile].add(
        id=ctx.ids.take(Profile),
        user_id=person.user_id,
        language=person.language,
        time_zone=person.time_zone,
        marketing_emails=rng.random() < catalog.MARKETING_EMAILS_SHARE,
        updated_at=at,
    )
    ctx.out[Team].add(
        id=person.team_id,
        name=workspace_name(person.language, local),
        is_personal=True,
        named_after=local,
        created_by_id=person.user_id,
        created_at=at,
    )
    ctx.out[Membership].add(
        id=ctx.ids.take(Membership),
        team_id=person.team_id,
        user_id=person.user_id,
        role=Role.OWNER,
        joined_at=at,
        last_used_at=None,
    )
    team = subject_of(Team, person.team_id)
    event(
        ctx,
        rng,
        EventName.TEAM_WORKSPACE_CREATED,
        at,
        workspace_id=person.team_id,
        actor_id=person.user_id,
        subject=team,
    )
    event(
        ctx,
        rng,
        EventName.USER_SIGNED_UP,
        at + dt.timedelta(milliseconds=5),
        workspace_id=person.team_id,
        actor_id=person.user_id,
        subject=subject_of(User, person.user_id),
        properties={"method": "web"},
        idempotency_key=f"user.signed_up:{person.user_id}",
    )


def _email_row(ctx: Context, person: Person) -> None:
    ctx.out[EmailAddress].add(
        id=ctx.ids.take(EmailAddress),
        user_id=person.user_id,
        email=person.email,
        verified=person.verified_at is not None,
        primary=True,
    )


def _visits(ctx: Context, rng: random.Random, person: Person) -> None:
    """The sign-in that confirmed the address, then visits at the behaviour's rate until the
    person stops coming (or today); a visit signs in when the session has expired, or by
    chance."""
    behaviour = person.behaviour
    # Confirming the address signs in (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION).
    start = person.verified_at + dt.timedelta(milliseconds=40)
    lifetime = dt.timedelta(days=rng.expovariate(1 / behaviour.mean_lifetime_days))
    person.active_until = start + lifetime
    end = min(person.active_until, ctx.now)
    visits = [start]
    rate_per_second = behaviour.visits_per_week / (7 * 86400)
    moment = start
    while True:
        moment += dt.timedelta(seconds=rng.expovariate(rate_per_second))
        if moment >= end:
            break
        visits.append(moment)
    person.visits = visits
    last_login = start
    person.logins = [start]
    for visit in visits[1:]:
        if visit - last_login > dt.timedelta(days=catalog.SESSION_DAYS) or (
            rng.random() < catalog.SIGN_IN_ANYWAY
        ):
            person.logins.append(visit)
            last_login = visit
    user = subject_of(User, person.user_id)
    for login in person.logins:
        event(ctx, rng, EventName.USER_LOGGED_IN, login, actor_id=person.user_id, subject=user)
    for visit in visits:
        path = "/dashboard/" if visit == start or rng.random() < 0.5 else "/videos/"
        person.views.append(View(after(rng, visit, seconds=2), path))


def finish(ctx: Context, rng: random.Random, person: Person) -> None:
    """Rows written once the whole story is known: the user (its last sign-in), the browser
    (when it was last seen), its page views and the touches stored at sign-up."""
    ctx.out[User].add(
        id=person.user_id,
        password=ctx.password_hash,
        last_login=person.logins[-1] if person.logins else None,
        is_superuser=False,
        email=person.email,
        name="",
        is_staff=False,
        is_active=True,
        date_joined=person.joined_at,
    )
    views = sorted((view for view in person.views if view.at < ctx.now), key=lambda v: v.at)
    table = ctx.out[PageView]
    stored = []
    for view in views:
        values = _view_values(rng, view)
        stored.append((view, values))
        table.add(
            id=ctx.ids.take(PageView),
            anonymous_id=person.visitor_id,
            user_id=person.user_id,
            at=view.at,
            **values,
        )
    last_day = views[-1].at.date()
    last_seen = min(view.at for view in views if view.at.date() == last_day)
    if person.logins:
        last_seen = max(last_seen, person.logins[-1])
    ctx.out[Visitor].add(
        id=person.visitor_id, user_id=person.user_id, first_seen=views[0].at, last_seen=last_seen
    )
    _touch_row(ctx, person, [pair for pair in stored if pair[0].at <= person.joined_at])


def _touch_row(ctx: Context, person: Person, stored: list[tuple[View, dict]]) -> None:
    first = stored[0]
    touches = [pair for pair in stored if pair[1]["is_touch"]]
    latest = touches[-1] if touches else first

    def values(prefix: str, pair: tuple[View, dict]) -> dict:
        view, columns = pair
        parts = {f"{prefix}_{part}": columns.get(f"utm_{part}", "") for part in _PARTS}
        parts[f"{prefix}_referrer"] = columns.get("referrer", "")
        parts[f"{prefix}_landing_path"] = view.path
        parts[f"{prefix}_at"] = view.at
        return parts

    ctx.out[UserTouch].add(
        id=ctx.ids.take(UserTouch),
        user_id=person.user_id,
        **values("first", first),
        **values("latest", latest),
    )


_PARTS = ("source", "medium", "campaign", "term", "content")


def anonymous_visitor(ctx: Context, rng: random.Random, first_seen: dt.datetime) -> None:
    """A browser that looked around and never signed up: one or two visits."""
    channel = pick(rng, catalog.CHANNELS, [c.share for c in catalog.CHANNELS])
    ctx.visits[channel.key, _month(first_seen)] += 1
    visitor_id = str(anonymous_visitor_id(rng))
    views = [_landing(rng, channel, first_seen)]
    if rng.random() < 0.4:
        views.append(View(after(rng, first_seen, seconds=600), rng.choice(_BROWSING)))
    if rng.random() < 0.15:
        back = first_seen + dt.timedelta(days=rng.uniform(1, 20))
        if back < ctx.now:
            views.append(View(back, rng.choice(_BROWSING)))
    views = [view for view in views if view.at < ctx.now]
    for view in views:
        ctx.out[PageView].add(
            id=ctx.ids.take(PageView),
            anonymous_id=visitor_id,
            user_id=None,
            at=view.at,
            **_view_values(rng, view),
        )
    last_day = views[-1].at.date()
    ctx.out[Visitor].add(
        id=visitor_id,
        user_id=None,
        first_seen=views[0].at,
        last_seen=min(view.at for view in views if view.at.date() == last_day),
    )


_BROWSING = ("/templates/", "/billing/pricing/", "/", "/accounts/signup/")


def anonymous_visitor_id(rng: random.Random):
    """A version-8 UUID starting with the seed's prefix (catalog.VISITOR_ID_PREFIX)."""
    value = new_uuid(rng, version=8)
    return type(value)(int=(value.int & ((1 << 96) - 1)) | (catalog.VISITOR_ID_PREFIX << 96))


def is_anonymous_visitor_id(value) -> bool:
    return value.version == 8 and value.int >> 96 == catalog.VISITOR_ID_PREFIX


def sign_up_times(rng: random.Random, *, users: int, start: dt.datetime, now: dt.datetime):
    """`users` sign-up instants between `start` and `now`, in order, each month bringing
    MONTHLY_GROWTH more than the one before."""
    span = (now - start).total_seconds()
    growth = math.log1p(catalog.MONTHLY_GROWTH) / (30.4375 * 86400)
    # Inverse of the cumulative exponential density over [0, span].
    total = math.expm1(growth * span)
    offsets = sorted(math.log1p(rng.random() * total) / growth for _ in range(users))
    return [start + dt.timedelta(seconds=offset) for offset in offsets]
