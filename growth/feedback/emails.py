"""One function per e-mail."""

from __future__ import annotations

from accounts.emails import language_for, send_templated_email, time_zone_for
from accounts.http import absolute_url

from .models import StatusEmail
from .unsubscribe import unsubscribe_token


def send_status_changed(*, row: StatusEmail) -> None:
    """To one subscriber, in their language and time zone: the request's status changed."""
    change = row.change
    feature_request = change.request
    user = row.user
    token = unsubscribe_token(user=user, feature_request=feature_request)
    unsubscribe_url = absolute_url("feedback:unsubscribe", token)
    send_templated_email(
        template="feedback_status_changed",
        to=[user.email],
        language=language_for(user),
        time_zone=time_zone_for(user),
        context={
            "feature_request": feature_request,
            "change": change,
            "request_url": absolute_url("feedback:detail", feature_request.pk),
            "unsubscribe_url": unsubscribe_url,
        },
        headers={
            "X-Entity-Ref-ID": f"feature-request-status-{change.pk}-{user.pk}",
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
