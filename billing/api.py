from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.models import Team
from teams.permissions import get_for_user

from . import entitlements, selectors, services
from .models import Invoice, Plan, Tier


class PlanPriceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    amount = serializers.IntegerField(help_text="Minor units (cents); JPY and KRW have none.")


class PlanSerializer(serializers.ModelSerializer):
    prices = PlanPriceSerializer(many=True)
    features = serializers.SerializerMethodField()
    limits = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = ["key", "name", "description", "tier", "interval", "prices", "features", "limits"]

    def get_features(self, plan: Plan) -> dict[str, bool]:
        pro = plan.tier == Tier.PRO
        return {k: (f.pro if pro else f.free) for k, f in entitlements.FEATURES.items()}

    def get_limits(self, plan: Plan) -> dict[str, int | None]:
        pro = plan.tier == Tier.PRO
        return {k: (lim.pro if pro else lim.free) for k, lim in entitlements.LIMITS.items()}


class PlanList(generics.ListAPIView):
    """The public plans with their prices in every currency and what each grants."""

    serializer_class = PlanSerializer
    permission_classes = [permissions.AllowAny]
    pagination_class = None

    def get_queryset(self):
        return selectors.plans_with_prices()


class SubscriptionSerializer(serializers.Serializer):
    workspace = serializers.IntegerField()
    plan = serializers.CharField()
    tier = serializers.CharField()
    status = serializers.CharField()
    currency = serializers.CharField()
    amount = serializers.IntegerField()
    current_period_start = serializers.DateTimeField(allow_null=True)
    current_period_end = serializers.DateTimeField(allow_null=True)
    cancel_at_period_end = serializers.BooleanField()
    provider = serializers.CharField()


def _workspace_from_query(request: Request, action: str) -> Team:
    raw = request.query_params.get("workspace")
    if not raw:
        raise exceptions.ValidationError({"workspace": [_("This field is required.")]})
    try:
        return get_for_user(request.user, Team, raw, action)
    except DjangoValidationError as error:  # pragma: no cover - get_for_user maps to 404
        raise exceptions.ValidationError(error.messages) from error


WORKSPACE_PARAM = OpenApiParameter("workspace", int, required=True, description="Workspace id")


class SubscriptionDetail(APIView):
    @extend_schema(parameters=[WORKSPACE_PARAM], responses=SubscriptionSerializer)
    def get(self, request: Request) -> Response:
        workspace = _workspace_from_query(request, "view_billing")
        subscription = services.subscription_for(workspace)
        return Response(
            SubscriptionSerializer(selectors.subscription_summary(subscription=subscription)).data
        )


class InvoiceLineSerializer(serializers.Serializer):
    kind = serializers.CharField()
    description = serializers.CharField(
        source="describe", help_text="In the caller's language, dates in their time zone."
    )
    amount = serializers.IntegerField()


class InvoiceSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="plan.key")
    lines = InvoiceLineSerializer(many=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "plan",
            "reason",
            "status",
            "currency",
            "subtotal",
            "discount",
            "credit_applied",
            "tax",
            "total",
            "period_start",
            "period_end",
            "issued_at",
            "paid_at",
            "lines",
        ]


class InvoiceList(generics.ListAPIView):
    """Invoices of a workspace, newest first. Owners only."""

    serializer_class = InvoiceSerializer

    @extend_schema(parameters=[WORKSPACE_PARAM])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        workspace = _workspace_from_query(self.request, "billing")
        return selectors.invoices_with_lines(selectors.invoices_for(workspace=workspace))


urlpatterns = [
    path("billing/plans/", PlanList.as_view(), name="billing-plans"),
    path("billing/subscription/", SubscriptionDetail.as_view(), name="billing-subscription"),
    path("billing/invoices/", InvoiceList.as_view(), name="billing-invoices"),
]
