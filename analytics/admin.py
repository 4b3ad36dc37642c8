from django.contrib import admin

from .models import DailyPageCount, Event, PageView, UserTouch, Visitor, WorkerHeartbeat


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "source",
        "occurred_at",
        "actor",
        "workspace",
        "subject_type",
        "subject_id",
    ]
    list_filter = ["source", "name", "subject_type", "occurred_at"]
    search_fields = ["name", "actor__email", "workspace__name", "subject_id", "idempotency_key"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "workspace"]
    raw_id_fields = ["actor", "workspace"]
    readonly_fields = ["id", "recorded_at"]


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "last_seen_at"]
    search_fields = ["hostname"]


@admin.register(Visitor)
class VisitorAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "first_seen", "last_seen"]
    search_fields = ["=id", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(PageView)
class PageViewAdmin(admin.ModelAdmin):
    list_display = ["path", "at", "user", "utm_source", "utm_campaign", "referrer"]
    list_filter = ["is_touch", "at"]
    search_fields = ["path", "=anonymous_id", "user__email", "utm_source", "utm_campaign"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    raw_id_fields = ["user"]


@admin.register(DailyPageCount)
class DailyPageCountAdmin(admin.ModelAdmin):
    list_display = ["day", "path", "count"]
    search_fields = ["path"]
    date_hierarchy = "day"


@admin.register(UserTouch)
class UserTouchAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "first_source",
        "first_campaign",
        "first_at",
        "latest_source",
        "latest_at",
    ]
    search_fields = ["user__email", "first_source", "latest_source"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
