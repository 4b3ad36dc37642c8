"""Accounts test kit for privacy: Alice (who exports or deletes), Bob (her colleague, whose data
must never leak into hers), small videos whose "files" are known bytes, and ZIP helpers."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.models import DataExport, Profile
from accounts.privacy.exports import data_export_request, data_export_run
from billing import entitlements
from billing import services as billing_services
from billing.models import Plan
from teams.models import Membership, Role, Team
from teams.services.review import comment_create
from tests.factories import UserFactory
from videos.models import Template, Video, VideoStatus, VideoVersion


@pytest.fixture
def alice(db):
    user = UserFactory(email="alice@example.com", name="Alice Example")
    Profile.objects.filter(user=user).update(language="fr", time_zone="Europe/Paris")
    user.refresh_from_db()
    return user


@pytest.fixture
def bob(db):
    return UserFactory(email="bob@example.com", name="Bob Builder")


def personal_workspace(user) -> Team:
    return Team.objects.get(created_by=user, is_personal=True)


def team_of(owner, name: str) -> Team:
    """A team workspace owned by `owner` alone."""
    team = Team.objects.create(name=name, created_by=owner)
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


def add_member(team: Team, user, role: str = Role.EDITOR) -> Membership:
    return Membership.objects.create(team=team, user=user, role=role)


def make_video(workspace: Team, user, title: str, content: bytes = b"") -> Video:
    """A ready video whose file holds `content` (no real MP4 needed), with version 1."""
    content = content or f"video of {title}".encode()
    video = Video.objects.create(
        workspace=workspace,
        template=Template.objects.order_by("pk").first(),
        title=title,
        fields={"headline": title},
        duration_seconds=2,
        created_by=user,
        status=VideoStatus.READY,
        progress=100,
        width=64,
        height=36,
        size=len(content),
    )
    key = default_storage.save(
        f"workspaces/{workspace.pk}/renders/2026/{video.pk}.mp4", ContentFile(content)
    )
    version = VideoVersion.objects.create(
        video=video,
        number=1,
        kind="render",
        file=key,
        size=len(content),
        duration=2.0,
        width=64,
        height=36,
        checksum="c" * 64,
        author=user,
    )
    Video.objects.filter(pk=video.pk).update(file=key, current_version=version)
    video.refresh_from_db()
    return video


def comment_on(video: Video, author, text: str):
    return comment_create(
        version=video.versions.get(number=1), author=author, text=text, time_ms=500
    )


def pay_for_pro(workspace: Team, owner) -> None:
    """Put the workspace on Pro through the sandbox checkout: an invoice and a payment."""
    session = billing_services.checkout_start(
        workspace=workspace, plan=Plan.objects.get(key="pro-monthly"), currency="USD", actor=owner
    )
    billing_services.checkout_complete(session=session, provider_payment_id=f"sbx_{session.pk}")
    entitlements.forget_tier(workspace)


def built_export(user) -> DataExport:
    """Ask for `user`'s data and run the task's body now; the export as it left it."""
    export, _created = data_export_request(user=user)
    data_export_run(export_id=str(export.pk))
    export.refresh_from_db()
    return export


def zip_files(export: DataExport) -> dict[str, bytes]:
    with default_storage.open(export.file.name, "rb") as handle:
        data = handle.read()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
