"""One function per e-mail."""

from __future__ import annotations

from accounts.emails import language_for, send_templated_email, time_zone_for
from accounts.http import absolute_url

from .models import StatusEmail


def send_status_changed(*, row: StatusEmail) -> None:
    """To one subscriber, in their language and time zone: the request's status changed."""
    change = row.change
    feature_request = change.request
    user = row.user
    send_templated_email(
        template="feedback_status_changed",
        to=[user.email],
        language=language_for(user),
        time_zone=time_zone_for(user),
        context={
            "feature_request": feature_request,
            "change": change,
            "request_url": absolute_url("feedback:detail", feature_request.pk),
            "unsubscribe_url": absolute_url("feedback:subscription", feature_request.pk),
        },
        headers={"X-Entity-Ref-ID": f"feature-request-status-{change.pk}-{user.pk}"},
    )
