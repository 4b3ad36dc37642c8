"""Brand kits: a workspace's saved logos and how they are placed."""

from __future__ import annotations

import logging

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from analytics.events import EventName, record
from billing import entitlements
from teams.models import Team
from teams.permissions import ensure_can
from videos import storage
from videos.models import (
    BrandKit,
)

logger = logging.getLogger(__name__)

# -- brand kits -----------------------------------------------------------------------------


@transaction.atomic
def brand_kit_create(
    *,
    workspace: Team,
    actor,
    name: str,
    logo: UploadedFile,
    position: str,
    opacity: int,
    scale: float,
    margin: int,
    is_default: bool = False,
) -> BrandKit:
    from videos import branding

    ensure_can(actor, workspace, "brand")
    entitlements.check_limit(
        workspace, "brand_kits", current=BrandKit.objects.filter(workspace=workspace).count()
    )
    branding.validate_logo(logo)
    kit = BrandKit(
        workspace=workspace,
        name=(name or "").strip()[:100],
        position=position,
        opacity=opacity,
        scale=scale,
        margin=margin,
    )
    kit.logo.name = storage.save_upload(logo, workspace_id=workspace.pk, kind="brand")
    kit.full_clean(exclude=["logo"])
    kit.save()
    if is_default:
        brand_kit_set_default(brand_kit=kit, actor=actor)
    record(EventName.BRAND_KIT_CREATED, workspace=workspace, actor=actor, subject=kit)
    return kit


@transaction.atomic
def brand_kit_update(
    *, brand_kit: BrandKit, actor, logo: UploadedFile | None = None, **changes
) -> BrandKit:
    from videos import branding

    ensure_can(actor, brand_kit.workspace, "brand")
    for field in ("name", "position", "opacity", "scale", "margin"):
        if field in changes and changes[field] is not None:
            setattr(brand_kit, field, changes[field])
    brand_kit.full_clean(exclude=["logo"])  # check everything before storing any file
    if logo is not None:
        branding.validate_logo(logo)
        brand_kit.logo.name = storage.save_upload(
            logo, workspace_id=brand_kit.workspace_id, kind="brand"
        )
    brand_kit.save()
    if changes.get("is_default"):
        brand_kit_set_default(brand_kit=brand_kit, actor=actor)
    elif changes.get("is_default") is False and brand_kit.is_default:
        BrandKit.objects.filter(pk=brand_kit.pk).update(is_default=False)
    return brand_kit


@transaction.atomic
def brand_kit_set_default(*, brand_kit: BrandKit, actor) -> None:
    ensure_can(actor, brand_kit.workspace, "brand")
    BrandKit.objects.filter(workspace=brand_kit.workspace, is_default=True).exclude(
        pk=brand_kit.pk
    ).update(is_default=False)
    BrandKit.objects.filter(pk=brand_kit.pk).update(is_default=True)
    brand_kit.is_default = True


@transaction.atomic
def brand_kit_delete(*, brand_kit: BrandKit, actor) -> None:
    ensure_can(actor, brand_kit.workspace, "brand")
    record(
        EventName.BRAND_KIT_DELETED,
        workspace=brand_kit.workspace,
        actor=actor,
        properties={"brand_kit": brand_kit.pk, "name": brand_kit.name},
    )
    brand_kit.delete()
    # The logo file stays: videos branded with it keep their history (issue: versions).
