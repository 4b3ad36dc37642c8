"""Videos pages: the template library, making and editing videos, brand kits, downloads.

Thin views: fetch through the permission helper (outsiders 404, a role without the action
403), validate the form, call one service, report the outcome in a message.
"""

from django.utils.translation import gettext_lazy

from videocreator.coming_soon import coming_soon_view

from .brand_kits import (
    brand_kit_create,
    brand_kit_delete,
    brand_kit_edit,
    brand_kit_list,
    brand_kit_preview,
)
from .files import stored_file
from .library import template_detail, template_list
from .videos import (
    video_apply_branding,
    video_delete,
    video_detail,
    video_download,
    video_edit,
    video_list,
    video_render,
    video_status,
)

schedule = coming_soon_view(
    title=gettext_lazy("Schedule"),
    summary=gettext_lazy(
        "Scheduling to YouTube, Instagram, TikTok, Facebook and X arrives with connected accounts."
    ),
)


__all__ = [
    "brand_kit_create",
    "brand_kit_delete",
    "brand_kit_edit",
    "brand_kit_list",
    "brand_kit_preview",
    "schedule",
    "stored_file",
    "template_detail",
    "template_list",
    "video_apply_branding",
    "video_delete",
    "video_detail",
    "video_download",
    "video_edit",
    "video_list",
    "video_render",
    "video_status",
]
