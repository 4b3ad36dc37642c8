"""One function per e-mail."""

from __future__ import annotations

from accounts.emails import language_for, send_templated_email, time_zone_for
from accounts.http import absolute_url
from teams.models import Membership, Role

from .models import Endpoint


def send_endpoint_disabled(*, endpoint: Endpoint) -> None:
    """To each owner and admin of the endpoint's workspace, in their language and time zone:
    it failed every delivery for five days and was disabled."""
    admins = (
        Membership.objects.filter(team_id=endpoint.workspace_id, role__in=[Role.OWNER, Role.ADMIN])
        .select_related("user__profile", "team")
        .order_by("pk")
    )
    for membership in admins:
        user = membership.user
        send_templated_email(
            template="webhook_endpoint_disabled",
            to=[user.email],
            language=language_for(user),
            time_zone=time_zone_for(user),
            context={
                "endpoint": endpoint,
                "workspace": membership.team,
                "failing_since": endpoint.failing_since,
                "disabled_at": endpoint.disabled_at,
                "endpoint_url": absolute_url("webhooks:endpoint", endpoint.pk),
            },
            headers={"X-Entity-Ref-ID": f"webhook-endpoint-disabled-{endpoint.pk}"},
        )
