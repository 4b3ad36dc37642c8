"""Staff view of endpoints and deliveries; deliveries can be replayed (sent again, same id)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Delivery, DeliveryAttempt, DeliveryStatus, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "workspace", "kind", "status", "disabled_reason", "created_at"]
    list_filter = ["kind", "status", "disabled_reason"]
    search_fields = ["url", "description", "workspace__name"]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace", "created_by"]
    # Secrets and the custom headers (which often hold the receiver's credentials) never appear.
    exclude = ["secret", "previous_secret", "headers_json"]
    readonly_fields = ["last_sequence", "failing_since", "disabled_at", "emailed_at"]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "attempted_at", "status_code", "duration_ms", "error", "response"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["status", "event_type", "is_test"]
    search_fields = ["=id", "=event_id", "endpoint__url"]
    list_select_related = ["endpoint"]
    raw_id_fields = ["endpoint"]
    readonly_fields = [
        "endpoint",
        "event_id",
        "event_type",
        "subject_key",
        "sequence",
        "body",
        "is_test",
        "attempts",
        "token",
        "heartbeat_at",
        "worker",
        "last_attempt_at",
        "last_status_code",
        "last_duration_ms",
        "last_response",
        "last_error",
        "delivered_at",
        "created_at",
    ]
    inlines = [DeliveryAttemptInline]
    actions = ["replay"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Replay the selected deliveries (same id and body)"))
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        from .services import queue_send

        ids = list(
            queryset.exclude(status=DeliveryStatus.SENDING).values_list("pk", flat=True)[:1000]
        )
        count = Delivery.objects.filter(pk__in=ids).update(
            status=DeliveryStatus.PENDING, next_attempt_at=timezone.now(), last_error=""
        )
        queue_send(ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery will be sent again.",
                "%(count)d deliveries will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
