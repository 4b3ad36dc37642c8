from django.contrib import admin

from .models import Comment, FeatureRequest, StatusChange, Vote


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class VoteInline(ReadOnlyInline):
    model = Vote
    fields = ["user", "value", "voted_at", "on_behalf_of_staff", "source_note"]
    readonly_fields = fields


class CommentInline(ReadOnlyInline):
    model = Comment
    fields = ["author", "body", "created_at", "edited_at", "hidden_at"]
    readonly_fields = fields


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["from_status", "to_status", "note", "actor", "created_at"]
    readonly_fields = fields


@admin.register(FeatureRequest)
class FeatureRequestAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "title",
        "category",
        "status",
        "vote_score",
        "comment_count",
        "created_at",
    ]
    list_filter = ["status", "category"]
    search_fields = ["title", "description"]
    raw_id_fields = ["author"]
    # Votes, comments and statuses change through the board's services (counts, e-mails).
    readonly_fields = [
        "status",
        "vote_score",
        "comment_count",
        "status_note",
        "status_changed_at",
        "shipped_at",
        "merged_into",
        "created_at",
    ]
    inlines = [VoteInline, CommentInline, StatusChangeInline]


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["request", "user", "value", "voted_at", "on_behalf_of_staff", "source_note"]
    list_filter = ["value"]
    search_fields = ["request__title", "user__email", "source_note"]
    raw_id_fields = ["request", "user", "on_behalf_of_staff"]
    readonly_fields = ["request", "user", "value", "voted_at", "on_behalf_of_staff", "source_note"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["request", "author", "created_at", "hidden_at"]
    search_fields = ["body", "request__title", "author__email"]
    raw_id_fields = ["request", "author", "hidden_by"]
    readonly_fields = ["request", "author", "created_at", "edited_at", "hidden_at", "hidden_by"]

    def has_add_permission(self, request) -> bool:
        return False
