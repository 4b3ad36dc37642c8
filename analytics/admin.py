from django.contrib import admin

from .models import Event, WorkerHeartbeat


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "occurred_at", "actor", "workspace", "subject_type", "subject_id"]
    list_filter = ["name", "subject_type", "occurred_at"]
    search_fields = ["name", "actor__email", "workspace__name", "subject_id", "idempotency_key"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "workspace"]
    raw_id_fields = ["actor", "workspace"]
    readonly_fields = ["id", "recorded_at"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "last_seen_at"]
    search_fields = ["hostname"]
