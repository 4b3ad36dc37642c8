"""How the API shows endpoints, deliveries and their attempts."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors, signing
from ..models import RESPONSE_EXCERPT_CHARS, Delivery, DeliveryAttempt, Endpoint


class WebhookStatsSerializer(serializers.Serializer):
    succeeded = serializers.IntegerField(help_text="Deliveries that reached the receiver.")
    failed = serializers.IntegerField(
        help_text="Deliveries that used every retry, or whose endpoint was disabled."
    )
    pending = serializers.IntegerField(help_text="Deliveries waiting for a try, or being sent.")
    success_rate = serializers.FloatField(
        allow_null=True,
        help_text="succeeded ÷ (succeeded + failed), from 0 to 1; null while nothing is final.",
    )
    last_delivery_at = serializers.DateTimeField(
        allow_null=True, help_text="When the newest attempt was made."
    )


class WebhookEndpointSerializer(serializers.ModelSerializer):
    header_names = serializers.SerializerMethodField(
        help_text=(
            "The names of the extra headers sent with every request. Their values are not "
            "shown (they often carry the receiver's credentials); PATCH `headers` replaces them."
        )
    )
    stats = serializers.SerializerMethodField()

    class Meta:
        model = Endpoint
        fields = [
            "id",
            "workspace",
            "kind",
            "url",
            "description",
            "event_types",
            "header_names",
            "status",
            "disabled_reason",
            "disabled_at",
            "previous_secret_expires_at",
            "created_at",
            "updated_at",
            "stats",
        ]
        extra_kwargs = {
            "event_types": {"help_text": "Event types sent; empty means every type."},
            "previous_secret_expires_at": {
                "help_text": "After a rotation: until when the old secret signs too."
            },
        }

    def get_header_names(self, endpoint: Endpoint) -> list[str]:
        return list(signing.custom_headers(endpoint))

    @extend_schema_field(WebhookStatsSerializer)
    def get_stats(self, endpoint: Endpoint) -> dict:
        stats = selectors.stats_of(endpoint)
        return WebhookStatsSerializer(
            {
                "succeeded": stats.succeeded,
                "failed": stats.failed,
                "pending": stats.pending,
                "success_rate": stats.success_rate,
                "last_delivery_at": stats.last_delivery_at,
            }
        ).data


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        help_text=(
            "The signing secret (`whsec_…`). Shown here once; later only on request (…/secret/)."
        )
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    id = serializers.CharField(
        source="message_id", help_text="The message id (`msg_…`), sent as `webhook-id`."
    )
    last_response = serializers.SerializerMethodField(
        help_text="The start (2 KB) of the receiver's last answer."
    )
    last_error = serializers.CharField(
        help_text="Why the last try got no answer: timeout, connection, dns, tls, "
        "address_not_allowed, endpoint_disabled, worker_lost…; empty otherwise."
    )
    payload = serializers.SerializerMethodField(
        help_text="The JSON body, the same on every try, resend and recovery."
    )

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_type",
            "status",
            "attempts",
            "last_status_code",
            "last_duration_ms",
            "last_response",
            "last_error",
            "next_attempt_at",
            "created_at",
            "delivered_at",
            "is_test",
            "sequence",
            "payload",
        ]

    def get_last_response(self, delivery: Delivery) -> str:
        return delivery.last_response[:RESPONSE_EXCERPT_CHARS]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_payload(self, delivery: Delivery) -> dict:
        return selectors.delivery_payload(delivery.body)


class WebhookAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = [
            "number",
            "attempted_at",
            "status_code",
            "duration_ms",
            "response",
            "error",
            "succeeded",
        ]


class WebhookDeliveryDetailSerializer(WebhookDeliverySerializer):
    attempt_log = WebhookAttemptSerializer(
        many=True, read_only=True, help_text="Every HTTP try, the first first."
    )

    class Meta(WebhookDeliverySerializer.Meta):
        fields = [*WebhookDeliverySerializer.Meta.fields, "attempt_log"]
