from django.contrib import admin

from .models import ConnectedAccount


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
