"""The permission matrix of every URL route, as data for the route tests.

Each route the project serves is classified as one of
- ALLOWLIST: public on purpose (or gated by its own mechanism), with the reason;
- USER_LEVEL: signed-in pages/API without an object id, scoped to the user's current workspace:
  anonymous is sent to log in (pages) or refused (API); members need the action given (if any);
- MAPPING: routes about one workspace-owned object: outsiders get 404, members whose role lacks
  the action 403, members with it a success (or a form error for our empty POSTs).
A route in none of them fails `test_every_route_is_classified` (test_route_classification.py);
test_object_route_permissions.py and test_user_route_permissions.py try each route as each
role. Not a test module: pytest collects nothing here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

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
    "favicon": "/favicon.ico: the site's icon, public",
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
    "analytics:consent": "the consent banner's answer: a cookie, for anonymous visitors too",
    "api:events-batch": "client events: an API token, a session, or an anonymous visitor's "
    "cookie (tests/analytics/test_events_batch.py checks each)",
    "referrals:share": "the /r/<code> share link: for visitors who have no account yet",
    "teams:invitation": "e-mailed /team/invitations/<token>/ link: the token is the authorisation "
    "(accepting also needs a sign-in with the invited address)",
    "feedback:roadmap": "the public roadmap of feature requests (planned, in progress, shipped)",
    "feedback:changelog": "the public changelog: feature requests we shipped",
    "feedback:unsubscribe": "a status e-mail's signed unsubscribe link: the signature is the "
    "authorisation (no sign-in, one-click POST from mail clients)",
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

# Staff only: everyone else, signed in or not, gets 404 (pages and API alike); staff a success.
STAFF_ONLY: dict[str, str] = {
    "metrics:business": "the business dashboard",
    "metrics:business_movement": "the workspaces behind an MRR movement",
    "api:analytics-business": "the business dashboard's figures",
    "api:analytics-funnel": "any funnel over every account",
    "referrals:staff": "the referral programme's figures over every account",
    "feedback:prioritized": "feature requests by RICE score, with the MRR behind their voters",
    "api:feature-requests-prioritized": "feature requests by RICE score",
    # A feature request's staff actions (POST; a GET goes back to the request's page).
    "feedback:set_status": "set a feature request's status (e-mails its followers)",
    "feedback:merge": "merge a duplicate feature request into another",
    "feedback:set_rice": "a feature request's RICE values",
    "feedback:vote_on_behalf": "add a customer's vote to a feature request",
    "feedback:comment_hide": "hide a comment on a feature request",
}
STAFF_KWARGS: dict[str, dict[str, str]] = {"metrics:business_movement": {"kind": "new"}}

# Signed-in, no object id; the action (if any) checked in the user's current workspace.
USER_LEVEL: dict[str, str | None] = {
    "dashboard": None,
    "accounts:profile": None,
    "accounts:api_tokens": None,
    "accounts:privacy": None,
    "accounts:data_export_request": None,  # one's own data
    "accounts:data_export_status": None,
    "accounts:account_delete": None,  # one's own account; our empty POST lacks the password
    "api:account": None,
    "api:account-export": None,
    "teams:team": None,
    "creators:dashboard": "view",
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
    # -- webhook pages (integrations/webhooks/urls.py) --
    "webhooks:list": "manage_webhooks",
    "webhooks:event_types": None,  # the reference of event types: for any signed-in person
    # -- end of webhook pages --
    "api:webhook-event-types": None,  # documentation of the event catalogue
    # Referrals are a person's own (their code, their referrals and rewards), not a workspace's.
    "referrals:page": None,
    "referrals:apply": None,
    "referrals:invite": None,
    "api:referrals-code": None,
    "api:referrals-stats": None,
    "api:referrals-apply": None,
    # -- the feature-request board (growth/feedback): any signed-in person, whatever the role --
    "feedback:board": None,
    "feedback:new": None,
    "feedback:similar": None,
    "api:feature-requests": None,
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
    "accounts:data_export_download": PERSONAL,
    "api:account-export-download": PERSONAL,
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
    "videos:post_download": "download",
    "videos:post_mark_published": "schedule",
    "videos:post_skip": "schedule",
    "videos:sandbox_post": "view",
    "api:schedule-list": {"GET": "view", "POST": "schedule"},
    "api:schedule-detail": "view",
    "api:schedule-cancel": "schedule",
    "api:schedule-post-mark-published": "schedule",
    "api:schedule-post-skip": "schedule",
    "videos:comment_post": "comment",
    "videos:mention_candidates": "comment",
    "videos:comment_markers": "view",
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
    "videos:performance": "view",
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
    "api:analytics-overview": "view",
    "api:billing-invoices": "billing",
    "api:video-list": {"GET": "view", "POST": "create"},
    "api:video-detail": {"GET": "view", "PATCH": "edit", "DELETE": "delete"},
    "api:video-download": "download",
    "api:video-render": "render",
    "api:video-apply-branding": "brand",
    "api:video-performance": "view",
    "api:video-versions": "view",
    "api:video-versions-compare": "view",
    "api:video-version-restore": "edit",
    "api:brand-kit-list": {"GET": "view", "POST": "brand"},
    "api:export-list": {"POST": "export"},
    "api:export-detail": "export",
    "api:export-cancel": "export",
    # -- webhook pages (integrations/webhooks/urls.py) --
    "webhooks:endpoint": "manage_webhooks",
    "webhooks:edit": "manage_webhooks",
    "webhooks:test": "manage_webhooks",
    "webhooks:recover": "manage_webhooks",
    "webhooks:pause": "manage_webhooks",
    "webhooks:resume": "manage_webhooks",
    "webhooks:disable": "manage_webhooks",
    "webhooks:rotate": "manage_webhooks",
    "webhooks:secret": "manage_webhooks",
    "webhooks:delete": "manage_webhooks",
    "webhooks:delivery": "manage_webhooks",
    "webhooks:resend": "manage_webhooks",
    # -- end of webhook pages --
    # Webhooks: the list takes ?workspace= (GET) or a body `workspace` (POST), as do REST hooks
    # (subscribe; samples); without one a hook goes to the caller's personal workspace.
    "api:webhook-list": {"GET": "manage_webhooks", "POST": "manage_webhooks"},
    "api:webhook-detail": "manage_webhooks",
    "api:webhook-secret": "manage_webhooks",
    "api:webhook-rotate-secret": "manage_webhooks",
    "api:webhook-test": "manage_webhooks",
    "api:webhook-recover": "manage_webhooks",
    "api:webhook-deliveries": "manage_webhooks",
    "api:webhook-delivery": "manage_webhooks",
    "api:webhook-delivery-resend": "manage_webhooks",
    "api:hook-list": {"POST": "manage_webhooks"},
    "api:hook-detail": "manage_webhooks",
    "api:hook-samples": "manage_webhooks",
    "referrals:claim": PERSONAL,  # only the referrer who earned it (here: the owner)
    "api:referral-reward-claim": PERSONAL,
}


# Routes about one object that is not a workspace's (a feature request, its comment): every
# signed-in person may act (outsiders too); AUTHOR: only its author (the owner here), others 403.
# Anonymous visitors are sent to log in (pages) or refused (API).
SIGNED_IN_OBJECTS: dict[str, str | None] = {
    "feedback:detail": None,
    "feedback:vote": None,
    "feedback:comment": None,
    "feedback:subscription": None,
    "feedback:comment_edit": AUTHOR,
    "feedback:comment_delete": AUTHOR,
    "api:feature-request-vote": None,
}


def allowlisted(route: Route) -> bool:
    if route.key in ALLOWLIST:
        return True
    return any(
        (route.name or "").startswith(prefix) or route.route.startswith(prefix)
        for prefix in ALLOWLIST_PREFIXES
    )


ROUTES = all_routes()
NAMED = {}
for _route in ROUTES:
    NAMED.setdefault(_route.key, _route)  # the first of a name is what reverse() builds
OBJECT_ROUTES = [NAMED[name] for name in MAPPING if name in NAMED]
USER_ROUTES = [NAMED[name] for name in USER_LEVEL if name in NAMED]
STAFF_ROUTES = [NAMED[name] for name in STAFF_ONLY if name in NAMED]
SIGNED_IN_OBJECT_ROUTES = [NAMED[name] for name in SIGNED_IN_OBJECTS if name in NAMED]

CAST_ORDER = ("outsider", "viewer", "editor", "admin", "owner")
OK = {200, 201, 202, 204, 302, 400}  # 400: our empty/minimal data, after the permission check
