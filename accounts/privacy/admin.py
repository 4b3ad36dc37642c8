"""Read-only views of the privacy rows, for operations staff following a stuck export."""

from django.contrib import admin

from .models import AccountDeletion, DataExport


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "status", "progress", "attempts", "worker", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(AccountDeletion)
class AccountDeletionAdmin(ReadOnlyAdmin):
    # Never the address: it is kept only until the confirmation has gone out.
    list_display = ["deleted_at", "emailed_at"]
    list_filter = ["deleted_at"]
    exclude = ["email"]
