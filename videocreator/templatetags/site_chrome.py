"""The page header's and footer's links, worked out once per language a process serves.

Every page repeats them: about twenty `{% url %}` and `{% translate %}` tags that depend only
on the language (and, for the account menu, on whether the reader is staff), which cost a
signed-in page about 1.5 ms of its header. Each set is built once per language, URL
configuration and script prefix, and only what depends on the request (which link is the
current page) is decided per request.
"""

from __future__ import annotations

from functools import cache

from django import template
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from teams.permissions import role_allows

register = template.Library()

MAIN_NAV = (
    ("videos:list", gettext_noop("Videos")),
    ("videos:templates", gettext_noop("Templates")),
    ("videos:schedule", gettext_noop("Schedule")),
    ("teams:team", gettext_noop("Team")),
    ("creators:dashboard", gettext_noop("Analytics")),
)
# Who sees a link: everyone (None), staff (STAFF), or whoever may manage webhooks in the
# workspace chosen in the header (WEBHOOKS).
STAFF, WEBHOOKS = "staff", "webhooks"
ACCOUNT_MENU = (
    ("accounts:profile", gettext_noop("Settings"), None),
    ("accounts:api_tokens", gettext_noop("API tokens"), None),
    ("teams:notification_preferences", gettext_noop("Notification settings"), None),
    ("billing:page", gettext_noop("Billing"), None),
    ("referrals:page", gettext_noop("Refer a friend"), None),
    ("integrations:accounts", gettext_noop("Connected accounts"), None),
    ("webhooks:list", gettext_noop("Webhooks"), WEBHOOKS),
    ("feedback:board", gettext_noop("Feature requests"), None),
    ("teams:new", gettext_noop("New workspace"), None),
    ("account_change_password", gettext_noop("Change password"), None),
    ("account_email", gettext_noop("E-mail addresses"), None),
    ("admin:index", gettext_noop("Administration"), STAFF),
    ("metrics:business", gettext_noop("Business dashboard"), STAFF),
    ("referrals:staff", gettext_noop("Referral programme"), STAFF),
)
FOOTER = (
    ("billing:pricing", gettext_noop("Pricing")),
    ("api-docs", gettext_noop("API documentation")),
    ("healthz", gettext_noop("System status")),
)


def _key() -> tuple:
    return get_language(), get_script_prefix(), get_urlconf()


@cache
def _main_nav(_key: tuple) -> tuple[tuple[str, str], ...]:
    return tuple((reverse(name), gettext(label)) for name, label in MAIN_NAV)


@cache
def _account_menu(_key: tuple, staff: bool, webhooks: bool) -> SafeString:
    shown = {None, *([STAFF] if staff else []), *([WEBHOOKS] if webhooks else [])}
    return format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((reverse(name), gettext(label)) for name, label, who in ACCOUNT_MENU if who in shown),
    )


@cache
def _footer(_key: tuple) -> SafeString:
    return format_html_join(
        "", '<li><a href="{}">{}</a></li>', ((reverse(n), gettext(label)) for n, label in FOOTER)
    )


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """The main navigation's `<li>`s, the current page's link marked."""
    path = context["request"].path
    return mark_safe(  # noqa: S308 - each part built by format_html
        "".join(
            format_html(
                '<li><a href="{}"{}>{}</a></li>',
                url,
                mark_safe(' aria-current="page"') if url == path else "",
                label,
            )
            for url, label in _main_nav(_key())
        )
    )


@register.simple_tag
def account_menu(staff: bool, role: str | None = None) -> SafeString:
    """The account menu's links without "Sign out": the staff ones only for staff, Webhooks
    only for those whose `role` in the header's workspace may manage them."""
    return _account_menu(_key(), bool(staff), role_allows(role or None, "manage_webhooks"))


@register.simple_tag
def footer_links() -> SafeString:
    return _footer(_key())
