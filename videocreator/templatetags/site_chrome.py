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

register = template.Library()

MAIN_NAV = (
    ("videos:list", gettext_noop("Videos")),
    ("videos:templates", gettext_noop("Templates")),
    ("videos:schedule", gettext_noop("Schedule")),
    ("teams:team", gettext_noop("Team")),
    ("analytics:overview", gettext_noop("Analytics")),
)
ACCOUNT_MENU = (
    ("accounts:profile", gettext_noop("Settings"), False),
    ("accounts:api_tokens", gettext_noop("API tokens"), False),
    ("teams:notification_preferences", gettext_noop("Notification settings"), False),
    ("billing:page", gettext_noop("Billing"), False),
    ("integrations:accounts", gettext_noop("Connected accounts"), False),
    ("teams:new", gettext_noop("New workspace"), False),
    ("account_change_password", gettext_noop("Change password"), False),
    ("account_email", gettext_noop("E-mail addresses"), False),
    ("admin:index", gettext_noop("Administration"), True),
    ("metrics:business", gettext_noop("Business dashboard"), True),
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
def _account_menu(_key: tuple, staff: bool) -> SafeString:
    return format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        (
            (reverse(name), gettext(label))
            for name, label, only_staff in ACCOUNT_MENU
            if staff or not only_staff
        ),
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
def account_menu(staff: bool) -> SafeString:
    """The account menu's links (the staff ones only for staff), without "Sign out"."""
    return _account_menu(_key(), bool(staff))


@register.simple_tag
def footer_links() -> SafeString:
    return _footer(_key())
