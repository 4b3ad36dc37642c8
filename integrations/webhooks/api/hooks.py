"""/api/v1/hooks/: REST hooks, the subscription API Zapier and Make speak. Subscribing makes
an endpoint of kind "hook" for one event type; unsubscribing deletes it; the samples are what
a trigger shows while it is set up."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.plumbing import build_array_type, build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import catalogue, selectors, services
from ..models import EndpointKind
from ._shared import (
    DEFAULT_WORKSPACE_HELP,
    DEFAULT_WORKSPACE_PARAM,
    TextField,
    default_workspace,
    endpoint_for,
    workspace_from,
    workspace_id_field,
)

HookSerializer = inline_serializer(
    "RestHook",
    {
        "id": serializers.IntegerField(help_text="Unsubscribe with DELETE /api/v1/hooks/{id}/."),
        "target_url": serializers.CharField(),
        "event": serializers.CharField(),
        "secret": serializers.CharField(help_text="Signs every delivery (Standard Webhooks)."),
    },
)


class HookList(APIView):
    class InputSerializer(serializers.Serializer):
        target_url = TextField(help_text="Where the events are POSTed (https://, public).")
        event = TextField(
            max_length=100, help_text="One event type (GET /api/v1/webhooks/event-types/)."
        )
        workspace = workspace_id_field(required=False, help_text=DEFAULT_WORKSPACE_HELP)

        class Meta:
            ref_name = "RestHookSubscribe"

    @extend_schema(
        request=InputSerializer,
        responses={201: HookSerializer},
        summary="Subscribe a REST hook (Zapier, Make) to one event type",
    )
    def post(self, request: Request) -> Response:
        workspace = workspace_from(request, request.data, required=False)
        if workspace is None:
            workspace = default_workspace(request)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        hook = services.hook_subscribe(
            workspace=workspace,
            actor=request.user,
            target_url=data["target_url"],
            event=data["event"],
        )
        return Response(
            {"id": hook.pk, "target_url": hook.url, "event": data["event"], "secret": hook.secret},
            status=status.HTTP_201_CREATED,
        )


class HookDetail(APIView):
    @extend_schema(responses={204: None}, summary="Unsubscribe a REST hook")
    def delete(self, request: Request, hook_id: int) -> Response:
        hook = endpoint_for(request, hook_id, kind=EndpointKind.HOOK)
        services.endpoint_delete(endpoint=hook, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HookSamples(APIView):
    @extend_schema(
        parameters=[DEFAULT_WORKSPACE_PARAM],
        responses=OpenApiResponse(
            response=build_array_type(build_basic_type(OpenApiTypes.OBJECT)),
            description=(
                "The workspace's newest payloads of this event type (at most 3), as a receiver "
                "gets them; the type's sample while there are none."
            ),
        ),
        summary="Recent payloads of one event type, for setting up a trigger",
    )
    def get(self, request: Request, event: str) -> Response:
        workspace = workspace_from(request, request.query_params, required=False)
        if workspace is None:
            workspace = default_workspace(request)
        if event not in catalogue.EVENT_TYPES:
            raise Http404
        return Response(selectors.recent_payloads(workspace=workspace, event_type=event))
