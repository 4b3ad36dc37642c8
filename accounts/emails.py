"""The e-mail sending helper: one place renders and sends in the recipient's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from .models import User


def language_for(user: User | None) -> str:
    """The recipient's saved language, else the one active now, else English."""
    profile = getattr(user, "profile", None) if user is not None else None
    return (profile.language if profile else "") or translation.get_language() or "en"


def send_templated_email(
    *,
    template: str,
    to: Sequence[str],
    context: dict[str, Any],
    language: str,
    headers: dict[str, str] | None = None,
) -> None:
    """Render templates/emails/<template>_subject.txt, .txt and (if present) .html, and send."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        try:
            html = render_to_string(f"emails/{template}.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to), headers=headers or {})
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
