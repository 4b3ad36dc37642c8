"""Videos pages: the template library, making and editing videos, brand kits, downloads.

Thin views: fetch through the permission helper (outsiders 404, a role without the action
403), validate the form, call one service, report the outcome in a message.
"""

from .brand_kits import (
    brand_kit_create,
    brand_kit_delete,
    brand_kit_edit,
    brand_kit_list,
    brand_kit_preview,
)
from .files import stored_file
from .library import template_detail, template_list
from .schedules import schedule_calendar as schedule
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
