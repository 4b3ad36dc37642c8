from django.contrib import admin

from .models import ConnectedAccount, SandboxPost


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "workspace", "status", "expires_at", "connected_at"]
    list_filter = ["platform", "status"]
    search_fields = ["name", "handle", "external_id", "workspace__name"]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace", "connected_by"]
    # Tokens never appear in the admin, not even encrypted.
    exclude = ["access_token", "refresh_token"]
    readonly_fields = ["refreshed_at"]


@admin.register(SandboxPost)
class SandboxPostAdmin(admin.ModelAdmin):
    """What the sandbox test channel "published"; made by the publisher only."""

    list_display = ["id", "title", "account", "published_at"]
    search_fields = ["title", "caption", "reference", "account__workspace__name"]
    list_select_related = ["account"]
    raw_id_fields = ["account"]
    readonly_fields = ["reference", "video_key", "size", "duration", "width", "height"]

    def has_add_permission(self, request) -> bool:
        return False
