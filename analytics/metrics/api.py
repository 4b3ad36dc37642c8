"""Staff API: the business dashboard's figures and any funnel, as JSON.

GET /api/v1/analytics/business/?from=&to=            every figure of /analytics/business/
GET /api/v1/analytics/funnel/?steps=a,b&window_days=14[&from=&to=]

Staff only (a staff member's token or session); everyone else gets 404, as on the pages.
Money is integer minor units of `currency`; shares and ratios are numbers (0.25 is 25 %),
null where there is nothing to divide by.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import is_staff

from .business import business_report
from .forms import DateRangeForm
from .funnels import DEFAULT_WINDOW_DAYS, MAX_STEPS, MAX_WINDOW_DAYS, funnel
from .routing import reading_analytics

MONEY = "Integer minor units of the report's `currency` (cents; none for JPY and KRW)."
SHARE = "A number from 0 to 1 (0.25 is 25 %); null when there is nothing to divide by."


class StaffOnly(permissions.BasePermission):
    """Staff members only; anyone else is told the route does not exist (404)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if not is_staff(request.user):
            raise exceptions.NotFound(_("Not found."))
        return True


def _money(help_text: str = MONEY) -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True, help_text=help_text)


def _share(help_text: str = SHARE) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text)


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(allow_null=True)


class MissingRateSerializer(serializers.Serializer):
    currency = serializers.CharField()
    day = serializers.DateField()


class MovementSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["new", "expansion", "contraction", "churn", "reactivation", "fx"]
    )
    amount = _money()
    workspaces = serializers.IntegerField(help_text="Workspaces with such a movement.")


class CurrencyMrrSerializer(serializers.Serializer):
    currency = serializers.CharField()
    mrr = serializers.IntegerField(help_text="Minor units of this row's `currency`.")
    reported_mrr = _money()
    paying = serializers.IntegerField()


class RevenueSerializer(serializers.Serializer):
    currency = serializers.CharField()
    missing_rate = MissingRateSerializer(
        allow_null=True,
        help_text="Set (and every figure null) when an exchange rate is missing.",
    )
    mrr, cmrr, arr, opening_mrr, net_new_mrr = _money(), _money(), _money(), _money(), _money()
    movements = MovementSerializer(many=True, default=list)
    customers, paying_customers = _count(), _count()
    new_paying_customers, churned_customers, conversion_pool = _count(), _count(), _count()
    free_to_paid_conversion = _share()
    arpu = _money()
    customer_churn_rate = _share(help_text="Churned ÷ paying at the start, over the range.")
    monthly_customer_churn_rate = _share()
    gross_mrr_churn_rate, net_mrr_churn_rate = _share(), _share()
    net_revenue_retention = _share()
    gross_margin = _share()
    average_customer_lifetime_months = serializers.FloatField(allow_null=True)
    ltv, marketing_spend, cac = _money(), _money(), _money()
    ltv_to_cac = serializers.FloatField(allow_null=True)
    ltv_to_cac_target = serializers.FloatField(allow_null=True)
    ltv_to_cac_below_target = serializers.BooleanField(allow_null=True)
    payback_months = serializers.FloatField(allow_null=True)
    by_currency = CurrencyMrrSerializer(many=True, default=list)


class ActivationSerializer(serializers.Serializer):
    days = serializers.IntegerField()
    signed_up = serializers.IntegerField()
    activated = serializers.IntegerField()
    rate = _share()


class UsersSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    total = serializers.IntegerField()
    new_7_days = serializers.IntegerField()
    active_1_day = serializers.IntegerField()
    active_7_days = serializers.IntegerField()
    active_30_days = serializers.IntegerField()
    dau_mau = _share()
    activation = ActivationSerializer()
    videos_per_user = serializers.FloatField(allow_null=True)
    videos_per_creator = serializers.FloatField(allow_null=True)


class PlatformSerializer(serializers.Serializer):
    platform = serializers.CharField()
    label = serializers.CharField()
    posts = serializers.IntegerField()
    share = _share()


class TemplateUseSerializer(serializers.Serializer):
    template_id = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    videos = serializers.IntegerField()


class ContentSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    total_videos = serializers.IntegerField()
    videos_7_days = serializers.IntegerField()
    videos_in_range = serializers.IntegerField()
    average_length_seconds = serializers.FloatField(allow_null=True)
    platforms = PlatformSerializer(many=True)
    templates = TemplateUseSerializer(many=True)


class GrowthMonthSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The month's first day.")
    partial = serializers.BooleanField(help_text="The month counts up to the range's end.")
    signups = serializers.IntegerField()
    signups_change = serializers.IntegerField(allow_null=True)
    signups_velocity = _share()
    mrr = _money(help_text="At the month's end. " + MONEY)
    mrr_change = _money()
    mrr_velocity = _share()


class GrowthSerializer(serializers.Serializer):
    currency = serializers.CharField()
    missing_rate = MissingRateSerializer(allow_null=True)
    months = GrowthMonthSerializer(many=True)


class CohortSerializer(serializers.Serializer):
    cohort = serializers.DateField(help_text="The sign-up month's first day.")
    size = serializers.IntegerField()
    retained = serializers.ListField(child=serializers.IntegerField(allow_null=True))
    retention = serializers.ListField(child=serializers.FloatField(allow_null=True))


class CohortsSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    cohorts = CohortSerializer(many=True)


class FunnelStepSerializer(serializers.Serializer):
    step = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    dropped = serializers.IntegerField()
    conversion_from_previous = _share()
    conversion_from_first = _share()
    median_seconds_to_convert = serializers.FloatField(allow_null=True)
    flagged = serializers.BooleanField(help_text="The drop from the step before exceeds drop_flag.")


class BusinessFunnelSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    window_days = serializers.IntegerField()
    drop_flag = serializers.FloatField()
    steps = FunnelStepSerializer(many=True)


class BusinessReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    notes = serializers.ListField(
        child=serializers.CharField(), help_text="How the asked range was shortened, if it was."
    )
    currency = serializers.CharField(help_text="The reporting currency of every money figure.")
    revenue = RevenueSerializer()
    users = UsersSerializer()
    content = ContentSerializer()
    growth = GrowthSerializer()
    cohorts = CohortsSerializer()
    funnel = BusinessFunnelSerializer()
    platform_health = serializers.JSONField(
        allow_null=True, help_text="Always null: it comes with a later operations issue."
    )


class FunnelSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    window_days = serializers.IntegerField()
    drop_flag = serializers.FloatField()
    steps = FunnelStepSerializer(many=True)


RANGE_PARAMETERS = [
    OpenApiParameter(
        "from",
        OpenApiTypes.DATE,
        description="First day, YYYY-MM-DD (UTC). Default: 29 days before `to`.",
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description="Last day, YYYY-MM-DD (UTC), included. Default: "
        "today; later days are cut off. At most 366 days in all.",
    ),
]


def checked_range_form(request: Request) -> DateRangeForm:
    form = DateRangeForm(request.query_params)
    if not form.is_valid():
        raise exceptions.ValidationError(form.parameter_errors())
    return form


class BusinessReportView(APIView):
    """Every figure of the staff business dashboard over a range of days."""

    permission_classes = [StaffOnly]

    @extend_schema(
        operation_id="analytics_business",
        parameters=RANGE_PARAMETERS,
        responses=BusinessReportSerializer,
    )
    def get(self, request: Request) -> Response:
        form = checked_range_form(request)
        report = business_report(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        return Response(BusinessReportSerializer({**report, "notes": form.notes}).data)


class FunnelView(APIView):
    """An ordered funnel of event names or step sources (visitor, first_video, pro)."""

    permission_classes = [StaffOnly]

    class InputSerializer(serializers.Serializer):
        steps = serializers.CharField(
            max_length=MAX_STEPS * 60,
            help_text=f"2 to {MAX_STEPS} steps, comma-separated.",
        )
        window_days = serializers.IntegerField(
            min_value=1, max_value=MAX_WINDOW_DAYS, default=DEFAULT_WINDOW_DAYS
        )

    @extend_schema(
        operation_id="analytics_funnel",
        parameters=[InputSerializer, *RANGE_PARAMETERS],
        responses=FunnelSerializer,
    )
    def get(self, request: Request) -> Response:
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        form = checked_range_form(request)
        steps = [step.strip() for step in query.validated_data["steps"].split(",")]
        try:
            with reading_analytics():
                result = funnel(
                    steps=steps,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    window_days=query.validated_data["window_days"],
                )
        except ValueError as error:
            raise exceptions.ValidationError(str(error)) from error
        return Response(FunnelSerializer(result).data)


urlpatterns = [
    path("analytics/business/", BusinessReportView.as_view(), name="analytics-business"),
    path("analytics/funnel/", FunnelView.as_view(), name="analytics-funnel"),
]
