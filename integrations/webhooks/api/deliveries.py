"""/api/v1/webhooks/{id}/deliveries/: an endpoint's deliveries, newest first; one with its
attempts; resend one now."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import DeliveryStatus
from ._shared import DELIVERY_ID_PARAM, delivery_for, endpoint_for
from .serializers import WebhookDeliveryDetailSerializer, WebhookDeliverySerializer

STATUS_PARAM = OpenApiParameter(
    "status",
    str,
    enum=DeliveryStatus.values,
    required=False,
    description="Only deliveries in this state.",
)


def _status_filter(request: Request) -> str | None:
    wanted = request.query_params.get("status")
    if not wanted:
        return None
    if wanted not in DeliveryStatus.values:
        raise exceptions.ValidationError(
            {
                "status": [
                    _("Filter by one of these statuses: %(statuses)s.")
                    % {"statuses": ", ".join(DeliveryStatus.values)}
                ]
            }
        )
    return wanted


class DeliveryList(generics.GenericAPIView):
    serializer_class = WebhookDeliverySerializer

    @extend_schema(
        parameters=[STATUS_PARAM],
        operation_id="v1_webhooks_deliveries_list",
        summary="An endpoint's deliveries, newest first, with their payloads",
    )
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_for(request, endpoint_id)
        deliveries = selectors.deliveries_for(endpoint=endpoint, status=_status_filter(request))
        page = self.paginate_queryset(deliveries.defer(None))  # the payload is shown: its body
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class DeliveryDetail(APIView):
    @extend_schema(
        parameters=[DELIVERY_ID_PARAM],
        responses=WebhookDeliveryDetailSerializer,
        summary="One delivery with every attempt",
    )
    def get(self, request: Request, endpoint_id: int, delivery_id: str) -> Response:
        delivery = delivery_for(endpoint_for(request, endpoint_id), delivery_id)
        return Response(WebhookDeliveryDetailSerializer(delivery).data)


class DeliveryResend(APIView):
    @extend_schema(
        parameters=[DELIVERY_ID_PARAM],
        request=None,
        responses={202: WebhookDeliverySerializer},
        summary="Send a delivery again now: the same message id and body",
    )
    def post(self, request: Request, endpoint_id: int, delivery_id: str) -> Response:
        delivery = delivery_for(endpoint_for(request, endpoint_id), delivery_id)
        delivery = services.delivery_resend(delivery=delivery, actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
