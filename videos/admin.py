"""Videos in the admin: templates are edited here; videos, render jobs and brand kits are read
here (with a few safe fields editable). Creating and rendering go through videos.services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .models import BrandKit, RenderJob, Template, Video, VideoSettings, VideoVersion


@admin.register(Template)
class TemplateAdmin(TranslationAdmin):
    list_display = [
        "key",
        "name",
        "category",
        "tier",
        "aspect_ratio",
        "duration",
        "usage_count",
        "is_active",
    ]
    list_filter = ["category", "tier", "aspect_ratio", "is_active"]
    search_fields = ["key", "name", "description"]
    readonly_fields = ["usage_count", "preview_spec_hash", "created_at"]
    ordering = ["key"]


class RenderJobInline(admin.TabularInline):
    model = RenderJob
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["kind", "status", "attempts", "worker", "created_at", "finished_at", "error_code"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "workspace",
        "template",
        "status",
        "progress",
        "resolution",
        "created_at",
    ]
    list_filter = ["status", "resolution", "template"]
    search_fields = ["title", "workspace__name", "created_by__email"]
    list_select_related = ["workspace", "template"]
    raw_id_fields = ["workspace", "created_by", "brand_kit"]
    readonly_fields = [
        "workspace",
        "template",
        "fields",
        "source_clip",
        "status",
        "progress",
        "error_code",
        "error_detail",
        "file",
        "thumbnail",
        "width",
        "height",
        "fps",
        "duration",
        "size",
        "checksum",
        "brand_kit",
        "created_by",
        "created_at",
        "updated_at",
        "rendered_at",
    ]
    inlines = [RenderJobInline]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False  # videos are made through the pages or the API


@admin.register(RenderJob)
class RenderJobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "video",
        "kind",
        "status",
        "attempts",
        "created_at",
        "finished_at",
        "seconds",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["video__title", "worker", "error_code"]
    list_select_related = ["video"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(BrandKit)
class BrandKitAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "position", "opacity", "is_default", "created_at"]
    list_filter = ["position", "is_default"]
    search_fields = ["name", "workspace__name"]
    list_select_related = ["workspace"]
    readonly_fields = ["workspace", "logo", "created_at"]
    fieldsets = [
        (None, {"fields": ["workspace", "name", "logo", "is_default"]}),
        (_("Placement"), {"fields": ["position", "opacity", "scale", "margin"]}),
        (None, {"fields": ["created_at"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return False  # a kit needs a validated logo: made through the pages or the API


@admin.register(VideoVersion)
class VideoVersionAdmin(admin.ModelAdmin):
    """Versions are never changed: read here, removed only by the retention task."""

    list_display = ["video", "number", "kind", "size", "duration", "author", "created_at"]
    list_filter = ["kind"]
    search_fields = ["video__title", "title", "note", "author__email"]
    list_select_related = ["video", "author"]
    raw_id_fields = ["video", "author", "restored_from"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # files would be left behind; retention deletes rows and files together


@admin.register(VideoSettings)
class VideoSettingsAdmin(admin.ModelAdmin):
    list_display = ["workspace", "versions_to_keep"]
    search_fields = ["workspace__name"]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace"]

    def get_readonly_fields(self, request, obj=None):
        return ["workspace"] if obj is not None else []
