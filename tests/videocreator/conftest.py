"""Videocreator test kit: the objects the route permission tests act on (`world`), a quick
password hasher for the cast they sign in, and the requests they send as each role."""

from __future__ import annotations

from functools import cached_property
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services as account_services
from billing import entitlements
from billing import services as billing_services
from billing.models import Plan
from teams.models import Role
from teams.services.invitations import invitations_create
from teams.services.notifications import notify
from teams.services.review import comment_create
from teams.services.workspaces import workspace_create
from tests.conftest import client_for
from tests.factories import MembershipFactory, UserFactory
from tests.videocreator.route_table import CAST_ORDER, Route
from tests.videos.conftest import (  # noqa: F401 - fixtures for world
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


def is_api(route: Route) -> bool:
    return route.route.startswith("api/")


def api_methods(route: Route) -> list[str]:
    view_class = getattr(route.callback, "cls", None) or getattr(route.callback, "view_class", None)
    return [
        m.upper()
        for m in ("get", "post", "put", "patch", "delete")
        if view_class is not None and hasattr(view_class, m)
    ]


# The event type of the world's REST hook and of the samples route.
WEBHOOK_EVENT = "video.created"
# A public address (the product refuses private ones); nothing is sent to it in these tests.
WEBHOOK_URL = "https://93.184.215.14/hook"


def route_kwargs(route: Route, o) -> dict:
    """The path arguments of an object route, naming the objects of `world` (o)."""
    values = {
        "video_id": lambda: o.video.pk,
        "number": lambda: o.version,
        "kit_id": lambda: o.kit.pk,
        "export_id": lambda: o.export.pk,
        "session_id": lambda: o.session.pk,
        "invoice_id": lambda: o.invoice.pk,
        "token_id": lambda: o.token.pk,
        "data_export_id": lambda: o.data_export.pk,
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
        "sandbox_post_id": lambda: o.sandbox_post.pk,
        "endpoint_id": lambda: o.webhook.pk,
        "delivery_id": lambda: o.webhook_delivery.pk,
        "hook_id": lambda: o.hook.pk,
        "event": lambda: WEBHOOK_EVENT,
        "reward_id": lambda: o.reward.pk,
        "feature_request_id": lambda: o.feature_request.pk,
        "feature_comment_id": lambda: o.feature_comment.pk,
    }
    missing = [c for c in route.converters if c not in values]
    assert not missing, f"{route.name}: no test object for converter(s) {missing}; add one"
    return {c: values[c]() for c in route.converters}


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
    def data_export(self):
        """The owner's ready personal data export, with a stored ZIP."""
        from accounts.privacy.exports import data_export_request, data_export_run

        export, _created = data_export_request(user=self.owner)
        data_export_run(export_id=str(export.pk))
        export.refresh_from_db()
        assert export.is_downloadable
        return export

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
    def sandbox_post(self):
        """What the workspace's sandbox test channel "published" of version 1."""
        from integrations.models import SandboxPost
        from integrations.services import connect_sandbox

        account = connect_sandbox(workspace=self.workspace, actor=self.owner)
        return SandboxPost.objects.create(
            account=account, reference="routes", video_key=self.video.file.name
        )

    @cached_property
    def webhook(self):
        """A webhook endpoint for every event type."""
        from integrations.webhooks import services as webhook_services

        return webhook_services.endpoint_create(
            workspace=self.workspace, actor=self.owner, url=WEBHOOK_URL
        )

    @cached_property
    def webhook_delivery(self):
        """A test event's delivery to the endpoint (never sent: its queueing waits for a commit
        that the test's transaction never makes)."""
        from integrations.webhooks import services as webhook_services

        return webhook_services.endpoint_send_test(endpoint=self.webhook, actor=self.owner)

    @cached_property
    def hook(self):
        """A REST hook (Zapier) for one event type."""
        from integrations.webhooks import services as webhook_services

        return webhook_services.hook_subscribe(
            workspace=self.workspace,
            actor=self.owner,
            target_url=WEBHOOK_URL.replace("/hook", "/zap"),
            event=WEBHOOK_EVENT,
        )

    @cached_property
    def reward(self):
        """A free month the owner earned by referring someone who paid, ready to claim."""
        from tests.growth.referrals.kit import earned_reward

        return earned_reward(referrer=self.owner)

    @cached_property
    def feature_request(self):
        """A request on the feature board, by a user outside the cast."""
        from growth.feedback import services as feedback_services

        return feedback_services.feature_request_create(
            author=self.stranger, title="Dark mode", description="Easier at night."
        )

    @cached_property
    def feature_comment(self):
        """The owner's comment on the feature request."""
        from growth.feedback import services as feedback_services

        return feedback_services.feature_request_comment(
            feature_request=self.feature_request, author=self.owner, body="Yes please"
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


def send_rolled_back(client, method: str, url: str, data: dict, fmt: str | None):
    """One request whose database changes are rolled back, so every role meets the same data."""
    with transaction.atomic():
        if isinstance(client, APIClient):
            call = getattr(client, method.lower())
            response = call(url, data, format=fmt) if method != "GET" else call(url, data)
        else:
            response = getattr(client, method.lower())(url, data)
        transaction.set_rollback(True)
    return response


def cast_clients(cast, workspace, *, api: bool) -> dict:
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


def describe_response(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}{' -> ' + location if location else ''}"
