"""/api/v1/webhooks/: list and add endpoints, read, change and delete one, show or rotate its
secret, send it a test event, recover its failed deliveries."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from videocreator.api import api_datetime

from .. import selectors, services
from ..models import EndpointStatus
from ._shared import (
    WORKSPACE_HELP,
    WORKSPACE_PARAM,
    DateTimeField,
    TextField,
    endpoint_for,
    workspace_from,
    workspace_id_field,
)
from .serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointSerializer,
)

URL_HELP = (
    "Where the events are POSTed: https://, a public internet address, no user name or "
    "password (send credentials in `headers`)."
)
EVENT_TYPES_HELP = (
    "The event types to send (GET /api/v1/webhooks/event-types/ lists them); empty or left "
    "out: every type."
)
HEADERS_HELP = (
    "Extra headers sent with every request, as names and values (at most 10); our own "
    "(webhook-*, X-Webhook-*, Content-Type…) cannot be replaced."
)


def _event_types_field(**kwargs) -> serializers.ListField:
    kwargs.setdefault("help_text", EVENT_TYPES_HELP)
    return serializers.ListField(child=TextField(max_length=100), max_length=100, **kwargs)


def _headers_field(**kwargs) -> serializers.DictField:
    kwargs.setdefault("help_text", HEADERS_HELP)
    return serializers.DictField(child=TextField(allow_blank=True, trim_whitespace=False), **kwargs)


class WebhookList(generics.GenericAPIView):
    serializer_class = WebhookEndpointSerializer

    class InputSerializer(serializers.Serializer):
        workspace = workspace_id_field(help_text=WORKSPACE_HELP)
        url = TextField(help_text=URL_HELP)
        description = TextField(
            required=False, allow_blank=True, default="", help_text="At most 300 characters."
        )
        event_types = _event_types_field(required=False, default=list)
        headers = _headers_field(required=False, default=dict)

        class Meta:
            ref_name = "WebhookEndpointCreate"

    @extend_schema(
        parameters=[WORKSPACE_PARAM],
        operation_id="v1_webhooks_list",
        summary="A workspace's webhook endpoints with their delivery statistics",
    )
    def get(self, request: Request) -> Response:
        workspace = workspace_from(request, request.query_params)
        page = self.paginate_queryset(selectors.endpoints_for(workspace=workspace))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: WebhookEndpointCreatedSerializer},
        summary="Add a webhook endpoint; the answer holds its signing secret",
    )
    def post(self, request: Request) -> Response:
        workspace = workspace_from(request, request.data)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        endpoint = services.endpoint_create(
            workspace=workspace,
            actor=request.user,
            url=data["url"],
            description=data["description"],
            event_types=data["event_types"],
            headers=data["headers"],
        )
        return Response(
            WebhookEndpointCreatedSerializer(endpoint).data, status=status.HTTP_201_CREATED
        )


class WebhookDetail(APIView):
    class InputSerializer(serializers.Serializer):
        url = TextField(required=False, help_text=URL_HELP)
        description = TextField(required=False, allow_blank=True)
        event_types = _event_types_field(required=False)
        headers = _headers_field(
            required=False, help_text=f"{HEADERS_HELP} Replaces them all; {{}} removes them."
        )
        status = serializers.ChoiceField(
            choices=EndpointStatus.choices,
            required=False,
            help_text=(
                "paused: deliveries are made and wait; active: they go out (also after a "
                "disable); disabled: no new deliveries, waiting ones fail."
            ),
        )

        class Meta:
            ref_name = "WebhookEndpointUpdate"

    @extend_schema(responses=WebhookEndpointSerializer, summary="One webhook endpoint")
    def get(self, request: Request, endpoint_id: int) -> Response:
        return Response(WebhookEndpointSerializer(endpoint_for(request, endpoint_id)).data)

    @extend_schema(
        request=InputSerializer,
        responses=WebhookEndpointSerializer,
        summary="Change an endpoint: what was given, all or nothing",
    )
    def patch(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_for(request, endpoint_id)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with transaction.atomic():
            services.endpoint_update(
                endpoint=endpoint,
                actor=request.user,
                url=data.get("url"),
                description=data.get("description"),
                event_types=data.get("event_types"),
                headers=data.get("headers"),
            )
            if "status" in data:
                services.endpoint_set_status(
                    endpoint=endpoint, actor=request.user, status=data["status"]
                )
        return Response(WebhookEndpointSerializer(endpoint_for(request, endpoint_id)).data)

    @extend_schema(responses={204: None}, summary="Delete an endpoint and its deliveries")
    def delete(self, request: Request, endpoint_id: int) -> Response:
        services.endpoint_delete(endpoint=endpoint_for(request, endpoint_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookSecret(APIView):
    @extend_schema(
        responses=inline_serializer("WebhookSecret", {"secret": serializers.CharField()}),
        summary="Show an endpoint's signing secret",
    )
    def get(self, request: Request, endpoint_id: int) -> Response:
        return Response({"secret": endpoint_for(request, endpoint_id).secret})


class WebhookRotateSecret(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer(
            "WebhookSecretRotated",
            {
                "secret": serializers.CharField(help_text="The new secret."),
                "previous_secret_expires_at": serializers.DateTimeField(
                    help_text="Until then the old secret signs too (a second signature)."
                ),
            },
        ),
        summary="A new signing secret; the old one keeps signing for 24 hours",
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_for(request, endpoint_id)
        secret = services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
        return Response(
            {
                "secret": secret,
                "previous_secret_expires_at": api_datetime(endpoint.previous_secret_expires_at),
            }
        )


class WebhookTest(APIView):
    @extend_schema(
        request=None,
        responses={202: WebhookDeliverySerializer},
        summary="Send a webhook.test event now, signed and logged like any delivery",
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_for(request, endpoint_id)
        delivery = services.endpoint_send_test(endpoint=endpoint, actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookRecover(APIView):
    class InputSerializer(serializers.Serializer):
        since = DateTimeField(
            help_text="ISO 8601 with its offset; at most 14 days ago, not in the future."
        )

        class Meta:
            ref_name = "WebhookRecover"

    @extend_schema(
        request=InputSerializer,
        responses={
            202: inline_serializer("WebhookRecovered", {"recovered": serializers.IntegerField()})
        },
        summary="Send again every failed delivery made since a time",
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_for(request, endpoint_id)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        count = services.deliveries_recover(
            endpoint=endpoint, actor=request.user, since=payload.validated_data["since"]
        )
        return Response({"recovered": count}, status=status.HTTP_202_ACCEPTED)
