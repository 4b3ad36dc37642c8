from django.contrib import admin

from .models import (
    Comment,
    CommentMention,
    Invitation,
    Membership,
    Notification,
    NotificationPreference,
    Team,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "is_personal", "created_by", "created_at"]
    list_filter = ["is_personal", "created_at"]
    search_fields = ["name", "created_by__email", "memberships__user__email"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline]
    raw_id_fields = ["created_by"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "joined_at"]
    list_filter = ["role", "team__is_personal"]
    search_fields = ["user__email", "team__name"]
    list_select_related = ["user", "team"]
    autocomplete_fields = ["user", "team"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = [
        "email",
        "workspace",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "declined_at",
        "revoked_at",
    ]
    list_filter = ["role", "created_at"]
    search_fields = ["email", "workspace__name", "invited_by__email"]
    list_select_related = ["workspace", "invited_by", "accepted_by"]
    raw_id_fields = ["workspace", "invited_by", "accepted_by"]
    readonly_fields = ["token_hash", "created_at", "emailed_at", "accepted_at", "declined_at"]


class CommentMentionInline(admin.TabularInline):
    model = CommentMention
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "workspace",
        "version",
        "author",
        "time_ms",
        "created_at",
        "resolved_at",
        "deleted_at",
    ]
    list_filter = ["created_at", "resolved_at"]
    search_fields = ["text", "author__email", "workspace__name"]
    list_select_related = ["workspace", "version", "author"]
    raw_id_fields = ["workspace", "version", "parent", "thread", "author", "resolved_by"]
    inlines = [CommentMentionInline]


@admin.register(CommentMention)
class CommentMentionAdmin(admin.ModelAdmin):
    list_display = ["comment", "user"]
    search_fields = ["user__email"]
    list_select_related = ["comment", "user"]
    raw_id_fields = ["comment", "user"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "recipient",
        "kind",
        "workspace",
        "actor",
        "created_at",
        "read_at",
        "email_wanted",
        "emailed_at",
    ]
    list_filter = ["kind", "in_app", "email_wanted", "created_at"]
    search_fields = ["recipient__email", "key"]
    list_select_related = ["recipient", "workspace", "actor"]
    raw_id_fields = ["recipient", "workspace", "actor", "comment"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
