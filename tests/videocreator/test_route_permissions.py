"""Every URL route against the permission matrix: a new route without a check fails here.

Each route the project serves is classified as one of
- ALLOWLIST: public on purpose (or gated by its own mechanism), with the reason;
- USER_LEVEL: signed-in pages/API without an object id, scoped to the user's current workspace:
  anonymous is sent to log in (pages) or refused (API); members need the action given (if any);
- MAPPING: routes about one workspace-owned object: outsiders get 404, members whose role lacks
  the action 403, members with it a success (or a form error for our empty POSTs).
A route in none of them fails `test_every_route_is_classified`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from billing import entitlements
from billing import services as billing_services
from billing.models import Plan
from teams.models import Role
from teams.permissions import role_allows
from teams.services.invitations import invitations_create
from teams.services.notifications import notify
from teams.services.review import comment_create
from teams.services.workspaces import workspace_create
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.videos.conftest import (  # noqa: F401 - fixtures used below
    make_template,
    media_dir,
    mp4_path,
    png_bytes,
    ready_video,
    template,
    upload,
)
from videos import services as video_services
from videos.services import versions as version_services

# -- the routes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str
    name: str | None
    converters: tuple[str, ...]
    callback: Callable

    @property
    def key(self) -> str:
        return self.name or self.route


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            regex = pattern.pattern.regex
            names = tuple(getattr(pattern.pattern, "converters", {}) or regex.groupindex)
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(prefix + str(pattern.pattern), name, names, pattern.callback)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


# -- the classification -------------------------------------------------------------------------

ALLOWLIST: dict[str, str] = {
    "home": "landing page; signed-in users are redirected to the dashboard",
    "healthz": "health probe for load balancers and monitoring",
    "billing:pricing": "public pricing page",
    "billing:stripe_webhook": "Stripe calls it; authenticated by the Stripe signature",
    "accounts:set_language": "language switch, also for anonymous visitors",
    "videos:file": "signed /files/<token>/ link: the signed token is the authorisation",
    "videos:export_download": "signed export link: the signed token is the authorisation",
    "videos:template": "templates are global, not owned by a workspace",
    "api:template-detail": "templates are global, not owned by a workspace",
    "api:billing-plans": "public plan list with prices",
    "api-schema": "public OpenAPI schema",
    "api-docs": "public API documentation",
    "teams:invitation": "e-mailed /team/invitations/<token>/ link: the token is the authorisation "
    "(accepting also needs a sign-in with the invited address)",
}
# Whole families, by URL name or route prefix.
ALLOWLIST_PREFIXES: dict[str, str] = {
    "account_": "allauth account pages (login, signup, password reset...)",
    "socialaccount_": "allauth social login pages",
    "admin:": "Django admin: its own staff-only login gate",
    "admin/": "Django admin: its own staff-only login gate",
    "static/": "static files",
    "media/": "media files (DEBUG only)",
}

# Signed-in, no object id; the action (if any) checked in the user's current workspace.
USER_LEVEL: dict[str, str | None] = {
    "dashboard": None,
    "accounts:profile": None,
    "accounts:api_tokens": None,
    "teams:team": None,
    "analytics:overview": None,
    "videos:templates": None,
    "videos:schedule": None,
    "videos:list": "view",
    "videos:brand_kits": "view",
    "videos:brand_kit_create": "brand",
    "videos:exports": "export",
    "videos:export_create": "export",
    "billing:page": "view_billing",
    "billing:checkout": "billing",
    "billing:cancel": "billing",
    "billing:resume": "billing",
    "billing:switch": "billing",
    "billing:payment_method": "billing",
    "billing:sandbox_payment_method": "billing",
    "api:me": None,
    "api:api-root": None,
    "api:template-list": None,
    "teams:new": None,  # anyone may start a workspace of their own
    "api:workspaces": None,  # the user's own workspaces; POST makes a new one
    "teams:notifications": None,  # one's own notifications
    "teams:notifications_read_all": None,
    "teams:notification_preferences": None,
    "api:notifications": None,
    "api:notifications-read-all": None,
    "integrations:accounts": "view",
    "integrations:connect": "schedule",
    # The OAuth return: the single-use state in the user's session is the authorisation.
    "integrations:callback": None,
}
# Path arguments of USER_LEVEL routes that are not object ids.
USER_LEVEL_KWARGS: dict[str, dict[str, str]] = {
    "integrations:connect": {"platform": "youtube"},
    "integrations:callback": {"platform": "youtube"},
}

# Personal objects (OWNER_PATH): their user may act, everyone else gets 404.
PERSONAL = "personal"
# One's own comment: its author (the owner here) may act; other members 403, outsiders 404.
AUTHOR = "author"

# Object routes: the action needed, per HTTP method where the methods differ.
MAPPING: dict[str, str | dict[str, str]] = {
    "teams:switch": "view",
    "teams:rename": "rename_workspace",
    "teams:delete": "delete_workspace",
    "teams:transfer": "transfer_ownership",
    "teams:member_role": "manage_members",
    "teams:member_remove": "manage_members",  # of someone else; leaving oneself needs "view"
    "teams:invite": "invite",
    "teams:invitation_resend": "invite",
    "teams:invitation_revoke": "invite",
    "api:workspace-members": "view",
    "api:workspace-invitations": {"GET": "invite", "POST": "invite"},
    "api:workspace-member": {"PATCH": "manage_members", "DELETE": "manage_members"},
    "accounts:api_token_revoke": PERSONAL,
    "teams:invitation_received": PERSONAL,  # only its addressee (here: the owner) sees it
    "teams:notification_open": PERSONAL,
    "teams:notification_read": PERSONAL,
    "api:notification-read": PERSONAL,
    "integrations:disconnect": "schedule",
    "videos:schedule_new": "schedule",
    "videos:schedule_detail": "view",
    "videos:schedule_cancel": "schedule",
    "videos:schedule_reschedule": "schedule",
    "videos:post_detail": "view",
    "api:schedule-list": {"GET": "view", "POST": "schedule"},
    "api:schedule-detail": "view",
    "api:schedule-cancel": "schedule",
    "videos:comment_post": "comment",
    "videos:comment_edit": AUTHOR,
    "videos:comment_delete": AUTHOR,
    "videos:comment_resolve": "approve",  # the owner's thread: others need an editor's role
    "videos:version_decide": "approve",
    "api:video-comments": {"GET": "view", "POST": "comment"},
    "api:video-review": "approve",
    "api:comment-detail": {"GET": "view", "PATCH": AUTHOR, "DELETE": AUTHOR},
    "api:comment-resolve": "approve",
    "api:comment-unresolve": "approve",
    "billing:checkout_return": "billing",
    "billing:invoice": "billing",
    "billing:sandbox_checkout": "billing",
    "videos:detail": "view",
    "videos:status": "view",
    "videos:edit": "edit",
    "videos:render": "render",
    "videos:apply_branding": "brand",
    "videos:delete": "delete",
    "videos:download": "download",
    "videos:history": "view",
    "videos:version": "view",
    "videos:version_restore": "edit",
    "videos:compare": "view",
    "videos:brand_kit_edit": "brand",
    "videos:brand_kit_delete": "brand",
    "videos:brand_kit_preview": "view",
    "videos:export_detail": "export",
    "videos:export_status": "export",
    "videos:export_cancel": "export",
    # API: the workspace is in the query (?workspace=) or body for list/create routes.
    "api:billing-subscription": "view_billing",
    "api:billing-invoices": "billing",
    "api:video-list": {"GET": "view", "POST": "create"},
    "api:video-detail": {"GET": "view", "PATCH": "edit", "DELETE": "delete"},
    "api:video-download": "download",
    "api:video-render": "render",
    "api:video-apply-branding": "brand",
    "api:video-versions": "view",
    "api:video-versions-compare": "view",
    "api:video-version-restore": "edit",
    "api:brand-kit-list": {"GET": "view", "POST": "brand"},
    "api:export-list": {"POST": "export"},
    "api:export-detail": "export",
    "api:export-cancel": "export",
}


def allowlisted(route: Route) -> bool:
    if route.key in ALLOWLIST:
        return True
    return any(
        (route.name or "").startswith(prefix) or route.route.startswith(prefix)
        for prefix in ALLOWLIST_PREFIXES
    )


ROUTES = all_routes()
_NAMED = {}
for _route in ROUTES:
    _NAMED.setdefault(_route.key, _route)  # the first of a name is what reverse() builds
OBJECT_ROUTES = [_NAMED[name] for name in MAPPING if name in _NAMED]
USER_ROUTES = [_NAMED[name] for name in USER_LEVEL if name in _NAMED]

CAST_ORDER = ("outsider", "viewer", "editor", "admin", "owner")
OK = {200, 201, 202, 204, 302, 400}  # 400: our empty/minimal data, after the permission check


def test_every_route_is_classified():
    unknown = sorted(
        {
            route.key
            for route in ROUTES
            if not allowlisted(route) and route.key not in USER_LEVEL and route.key not in MAPPING
        }
    )
    assert not unknown, (
        "Routes with no permission classification; add each to MAPPING (object routes: the "
        "action the role matrix needs), USER_LEVEL, or ALLOWLIST (with a reason):\n  "
        + "\n  ".join(f"{name}  ({_NAMED[name].route})" for name in unknown)
    )
    stale = sorted(set(MAPPING) - set(_NAMED)) + sorted(set(USER_LEVEL) - set(_NAMED))
    assert not stale, f"MAPPING/USER_LEVEL name routes that no longer exist: {stale}"


def test_object_routes_carry_an_id():
    """An object route names its object in the path, or (API lists) in ?workspace=/the body."""
    for route in OBJECT_ROUTES:
        if not route.name.startswith("api:") and route.name != "teams:switch":
            assert route.converters, f"{route.name} has no path converter: USER_LEVEL?"


# -- the objects --------------------------------------------------------------------------------


def _is_api(route: Route) -> bool:
    return route.route.startswith("api/")


def _api_methods(route: Route) -> list[str]:
    view_class = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
    return [
        m.upper()
        for m in ("get", "post", "put", "patch", "delete")
        if view_class is not None and hasattr(view_class, m)
    ]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast is made for every route: a cheap hasher keeps that quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class World:
    """One object of each kind in the cast's workspace, each made when first needed."""

    def __init__(self, *, workspace, owner, video_template, make_video):
        self.workspace, self.owner, self.template = workspace, owner, video_template
        self._make_video = make_video
        self.version = 1
        # Our workspace on Pro, paid through the sandbox checkout: an invoice and a session.
        self.session = billing_services.checkout_start(
            workspace=workspace,
            plan=Plan.objects.get(key="pro-monthly"),
            currency="USD",
            actor=owner,
        )
        billing_services.checkout_complete(session=self.session, provider_payment_id="sbx_routes")
        entitlements.forget_tier(workspace)

    @cached_property
    def invoice(self):
        return self.workspace.invoices.get()

    @cached_property
    def video(self):
        """A ready video with a real file, and its version 1."""
        video = self._make_video()
        version_services.version_create(
            video=video,
            kind="render",
            file_key=video.file.name,
            thumbnail_key=video.thumbnail.name,
            info=SimpleNamespace(
                size=video.size, duration=2.0, width=64, height=36, fps=10.0, checksum="c" * 64
            ),
            author=self.owner,
        )
        assert default_storage.exists(video.file.name)
        return video

    @cached_property
    def kit(self):
        return video_services.brand_kit_create(
            workspace=self.workspace,
            actor=self.owner,
            name="Acme",
            logo=upload("logo.png", png_bytes(), "image/png"),
            position="bottom-right",
            opacity=80,
            scale=0.15,
            margin=24,
        )

    @cached_property
    def export(self):
        return video_services.export_create(
            workspace=self.workspace, video_ids=[self.video.pk], actor=self.owner
        )

    @cached_property
    def token(self):
        return account_services.api_token_create(user=self.owner, name="CI")[0]

    @cached_property
    def invitation(self):
        return invitations_create(
            workspace=self.workspace,
            emails=["invitee@example.com"],
            role="editor",
            actor=self.owner,
        )[0]

    @cached_property
    def received_invitation(self):
        """An invitation to the owner from someone else's workspace."""
        other = workspace_create(owner=self.stranger, name="Elsewhere")
        return invitations_create(
            workspace=other, emails=[self.owner.email], role="viewer", actor=self.stranger
        )[0]

    @cached_property
    def stranger(self):
        return UserFactory(email="stranger@example.com")

    @cached_property
    def comment(self):
        """The owner's comment on version 1 of the video."""
        return comment_create(
            version=self.video.versions.get(number=1),
            author=self.owner,
            text="Brighter here",
            time_ms=500,
        )

    @cached_property
    def notification(self):
        return notify(
            recipient=self.owner, kind="mention", key="routes", workspace=self.workspace, url="/"
        )

    @cached_property
    def account(self):
        from integrations.models import ConnectedAccount

        return ConnectedAccount.objects.create(
            workspace=self.workspace, platform="youtube", external_id="UC1", name="Acme TV"
        )

    @cached_property
    def post(self):
        """A scheduled post of the video to the connected account, tomorrow."""
        import datetime as dt

        from django.utils import timezone

        from videos.models import PlatformPost, PublishSchedule

        when = timezone.now() + dt.timedelta(days=1)
        schedule = PublishSchedule.objects.create(
            workspace=self.workspace,
            video=self.video,
            version=self.video.versions.get(number=1),
            requested_by=self.owner,
            publish_at=when,
        )
        return PlatformPost.objects.create(
            schedule=schedule, platform="youtube", account=self.account, next_attempt_at=when
        )

    @cached_property
    def member(self):
        """A member the member routes act on (not one of the cast, who could "leave")."""
        user = UserFactory(email="member@example.com", name="Mo Member")
        MembershipFactory(team=self.workspace, user=user, role=Role.VIEWER)
        return user


@pytest.fixture
def world(cast, workspace, owner, ready_video, template) -> World:  # noqa: F811
    return World(workspace=workspace, owner=owner, video_template=template, make_video=ready_video)


def _kwargs(route: Route, o) -> dict:
    values = {
        "video_id": lambda: o.video.pk,
        "number": lambda: o.version,
        "kit_id": lambda: o.kit.pk,
        "export_id": lambda: o.export.pk,
        "session_id": lambda: o.session.pk,
        "invoice_id": lambda: o.invoice.pk,
        "token_id": lambda: o.token.pk,
        "workspace_id": lambda: o.workspace.pk,
        "user_id": lambda: o.member.pk,
        "invitation_id": lambda: (
            o.received_invitation.pk
            if route.name == "teams:invitation_received"
            else o.invitation.pk
        ),
        "comment_id": lambda: o.comment.pk,
        "notification_id": lambda: o.notification.pk,
        "account_id": lambda: o.account.pk,
        "schedule_id": lambda: o.post.schedule_id,
        "post_id": lambda: o.post.pk,
    }
    missing = [c for c in route.converters if c not in values]
    assert not missing, f"{route.name}: no test object for converter(s) {missing}; add one"
    return {c: values[c]() for c in route.converters}


def _payload(name: str, method: str, o) -> tuple[dict, str | None]:
    """(data, format) for one request: the query for GET, the body otherwise."""
    ws = {"workspace": o.workspace.pk}
    table: dict[tuple[str, str], Callable[[], tuple[dict, str | None]]] = {
        ("teams:switch", "POST"): lambda: (ws, None),
        ("api:billing-subscription", "GET"): lambda: (ws, None),
        ("api:billing-invoices", "GET"): lambda: (ws, None),
        ("api:video-list", "GET"): lambda: (ws, None),
        ("api:brand-kit-list", "GET"): lambda: (ws, None),
        ("api:video-list", "POST"): lambda: (
            {**ws, "template": o.template.key, "title": "New", "fields": {"headline": "Hi"}},
            "json",
        ),
        ("api:brand-kit-list", "POST"): lambda: (
            {**ws, "name": "New kit", "logo": upload("logo.png", png_bytes(), "image/png")},
            "multipart",
        ),
        ("api:export-list", "POST"): lambda: ({**ws, "video_ids": [o.video.pk]}, "json"),
        ("api:video-detail", "PATCH"): lambda: ({"title": "Renamed"}, "json"),
        ("api:schedule-list", "GET"): lambda: (ws, None),
        ("api:schedule-list", "POST"): lambda: (
            {
                "video": o.video.pk,
                "publish_at": "2030-01-01T09:00:00+01:00",
                "platforms": [{"platform": "youtube", "account": o.account.pk}],
            },
            "json",
        ),
        ("api:video-apply-branding", "POST"): lambda: ({"brand_kit": o.kit.pk}, "json"),
        ("api:video-versions-compare", "GET"): lambda: ({"a": 1, "b": 1}, None),
        ("api:workspace-member", "PATCH"): lambda: ({"role": "editor"}, "json"),
    }
    default = ({}, "json" if method != "GET" else None)
    return table[(name, method)]() if (name, method) in table else default


def _send(client, method: str, url: str, data: dict, fmt: str | None):
    """One request whose database changes are rolled back, so every role meets the same data."""
    with transaction.atomic():
        if isinstance(client, APIClient):
            call = getattr(client, method.lower())
            response = call(url, data, format=fmt) if method != "GET" else call(url, data)
        else:
            response = getattr(client, method.lower())(url, data)
        transaction.set_rollback(True)
    return response


def _clients(cast, workspace, *, api: bool) -> dict:
    clients = {}
    for role in CAST_ORDER:
        user = cast[role]
        if api:
            client = APIClient()
            client.force_authenticate(user)
        else:
            client = client_for(user)
        if role != "outsider" and not api:  # the header's choice: our workspace
            client.post(reverse("teams:switch"), {"workspace": workspace.pk})
        clients[role] = client
    return clients


def _expected_ok(role: str, action: str) -> bool:
    if action in (PERSONAL, AUTHOR):
        return role == "owner"  # the fixture's token, notification and comment are the owner's
    return role != "outsider" and role_allows(role, action)


def _describe(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}{' -> ' + location if location else ''}"


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", OBJECT_ROUTES, ids=lambda r: r.name)
def test_object_route_permissions(route, cast, world):
    api = _is_api(route)
    clients = _clients(cast, world.workspace, api=api)
    url = reverse(route.name, kwargs=_kwargs(route, world))
    spec = MAPPING[route.name]
    failures = []

    if isinstance(spec, dict):
        methods = dict(spec)
    elif api:
        methods = dict.fromkeys(_api_methods(route), spec)
    else:
        probe = clients["owner"].get(url)
        post_only = probe.status_code == 405 and "POST" in probe.get("Allow", "")
        methods = {"POST" if post_only else "GET": spec}
    if api:
        declared = set(_api_methods(route))
        assert set(methods) == declared, (
            f"{route.name}: MAPPING covers {sorted(methods)}, the view has {sorted(declared)}"
        )

    for method, action in methods.items():
        for role in CAST_ORDER:
            data, fmt = _payload(route.name, method, world)
            try:
                response = _send(clients[role], method, url, data, fmt)
            except Exception as error:  # a 500
                failures.append(f"{method} {url} as {role}: raised {error!r}")
                continue
            status = response.status_code
            if role == "outsider" and action != PERSONAL:
                expected = "404"
                good = status == 404
            elif _expected_ok(role, action):
                expected = f"one of {sorted(OK)}"
                good = status in OK
            elif action == AUTHOR:
                expected = "403"
                good = status == 403
            else:
                expected = "404" if action == PERSONAL else "403"
                good = status == int(expected)
            if not good:
                failures.append(
                    f"{method} {url} ({route.name}, needs {action!r}) as {role}: "
                    f"got {_describe(response)}, expected {expected}"
                )
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("route", USER_ROUTES, ids=lambda r: r.name)
def test_user_level_route_permissions(route, cast, world, client):
    api = _is_api(route)
    url = reverse(route.name, kwargs=USER_LEVEL_KWARGS.get(route.name))
    action = USER_LEVEL[route.name]
    failures = []

    anonymous = APIClient() if api else client
    probe = anonymous.get(url)
    if api:
        if probe.status_code not in (401, 403):
            failures.append(f"GET {url} anonymous: got {_describe(probe)}, expected 401/403")
    elif probe.status_code != 302 or not re.search(r"/accounts/login/", probe["Location"]):
        failures.append(f"GET {url} anonymous: got {_describe(probe)}, expected login redirect")

    clients = _clients(cast, world.workspace, api=api)
    if api:
        methods = _api_methods(route)
    else:
        probe = clients["owner"].get(url)
        methods = ["POST" if probe.status_code == 405 and "POST" in probe["Allow"] else "GET"]
    for method in methods:
        for role in CAST_ORDER[1:]:  # the outsider is in their own workspace here
            try:
                response = _send(
                    clients[role], method, url, {}, None if method == "GET" else "json"
                )
            except Exception as error:
                failures.append(f"{method} {url} as {role}: raised {error!r}")
                continue
            allowed = action is None or role_allows(role, action)
            good = response.status_code in OK if allowed else response.status_code == 403
            if not good:
                failures.append(
                    f"{method} {url} ({route.name}, needs {action!r}) as {role}: got "
                    f"{_describe(response)}, expected {'success' if allowed else '403'}"
                )
    assert not failures, "\n".join(failures)
