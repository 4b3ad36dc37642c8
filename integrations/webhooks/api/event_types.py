"""/api/v1/webhooks/event-types/: the catalogue of event types, for anyone signed in (it is
documentation: what each event means, its JSON Schema, a sample payload)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import catalogue


@extend_schema_serializer(component_name="WebhookEventType")
class EventTypeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="As in the payload's `type`, e.g. video.created.")
    description = serializers.CharField(help_text="What happened, in your language.")
    schema = serializers.DictField(help_text="The JSON Schema of the whole payload.")
    sample = serializers.DictField(help_text="A payload as a receiver gets it.")


def _describe(kind: catalogue.EventType) -> dict:
    return {
        "key": kind.key,
        "description": str(kind.description),  # in the request's language
        "schema": catalogue.envelope_schema(kind),
        "sample": catalogue.sample_payload(kind),
    }


class EventTypeList(APIView):
    @extend_schema(
        responses=EventTypeSerializer(many=True),
        summary="Every webhook event type with its JSON Schema and a sample payload",
    )
    def get(self, request: Request) -> Response:
        return Response([_describe(kind) for kind in catalogue.EVENT_TYPES.values()])
