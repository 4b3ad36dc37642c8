"""The creators' dashboard's figures as JSON, for every member of the workspace.

GET /api/v1/analytics/overview/?workspace=<id>&from=YYYY-MM-DD&to=YYYY-MM-DD

Outsiders get 404. Counters are what the workspace's posts gained during the range; rates are
numbers (0.05 is 5 %), null where there is nothing to divide by. README, "Creators'
dashboard", has every definition.
"""

from __future__ import annotations

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.models import Team
from teams.permissions import get_for_user
from videocreator.api import DATABASE_ID_MAX

from ..api import RANGE_PARAMETERS, checked_range_form
from .report import creators_report

RATE = "A number (0.05 is 5 %); null when there is nothing to divide by."


def _rate(help_text: str = RATE) -> serializers.FloatField:
    return serializers.FloatField(allow_null=True, help_text=help_text)


class CreatorsCountersSerializer(serializers.Serializer):
    views = serializers.IntegerField()
    likes = serializers.IntegerField()
    comments = serializers.IntegerField()
    shares = serializers.IntegerField()
    average_watch_seconds = serializers.FloatField(
        allow_null=True, help_text="Weighted by views, over the platforms that report it."
    )
    engagement_rate = _rate("(likes + comments + shares) ÷ views; null without views.")


class CreatorsOverviewSerializer(CreatorsCountersSerializer):
    videos = serializers.IntegerField(help_text="Videos in the workspace now.")
    videos_created = serializers.IntegerField()
    videos_published = serializers.IntegerField(help_text="With a post published in the range.")
    posts_published = serializers.IntegerField()


class CreatorsPeriodSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    until = serializers.DateTimeField(help_text="Excluded.")
    videos = serializers.IntegerField(help_text="Videos created.")
    views = serializers.IntegerField(help_text="Views gained.")


class CreatorsChangeSerializer(serializers.Serializer):
    growth = _rate("(this − last) ÷ last; null when last month had none.")
    trend = serializers.ChoiceField(
        choices=["up", "down", "stable"], help_text="Above +5 % up, below −5 % down, else stable."
    )


class CreatorsGrowthSerializer(serializers.Serializer):
    this_month = CreatorsPeriodSerializer(
        help_text="The range's last month, up to the range's end."
    )
    last_month = CreatorsPeriodSerializer(help_text="As many days of the month before.")
    videos = CreatorsChangeSerializer(help_text="Videos created.")
    views = CreatorsChangeSerializer(help_text="Views gained.")


class CreatorsTopVideoSerializer(CreatorsCountersSerializer):
    video_id = serializers.IntegerField()
    title = serializers.CharField()
    platforms = serializers.ListField(child=serializers.CharField())


class CreatorsPlatformSerializer(CreatorsCountersSerializer):
    platform = serializers.CharField()
    label = serializers.CharField()
    videos = serializers.IntegerField(help_text="Videos with a post published in the range.")
    posts = serializers.IntegerField(help_text="Posts published in the range.")
    share_of_views = _rate("This platform's views ÷ all views gained in the range.")


class CreatorsActivitySerializer(serializers.Serializer):
    day = serializers.DateField()
    created = serializers.IntegerField(help_text="Videos created that day (UTC).")
    published = serializers.IntegerField(help_text="Videos with a post published that day.")


class CreatorsSlotSerializer(serializers.Serializer):
    key = serializers.IntegerField(help_text="Weekday (0 is Monday) or hour (0–23).")
    posts = serializers.IntegerField()
    lift = serializers.FloatField(
        allow_null=True, help_text="Median first-48-hour views ÷ the usual; null below 3 posts."
    )


class CreatorsTemplateInsightSerializer(serializers.Serializer):
    template_id = serializers.IntegerField()
    template_key = serializers.CharField()
    name = serializers.CharField()
    posts = serializers.IntegerField()
    lift = serializers.FloatField()
    engagement_rate = _rate()


class CreatorsInsightsSerializer(serializers.Serializer):
    posts = serializers.IntegerField(help_text="Posts with first-48-hour views.")
    minimum = serializers.IntegerField(help_text="Nothing is ranked below this many posts.")
    enough = serializers.BooleanField()
    time_zone = serializers.CharField(help_text="The caller's time zone: weekdays and hours.")
    weekdays = CreatorsSlotSerializer(many=True)
    best_weekday = CreatorsSlotSerializer(allow_null=True)
    hours = CreatorsSlotSerializer(many=True)
    best_hour = CreatorsSlotSerializer(allow_null=True)
    templates = CreatorsTemplateInsightSerializer(many=True)


class CreatorsReportSerializer(serializers.Serializer):
    workspace = serializers.IntegerField(source="workspace.pk")
    start = serializers.DateField()
    end = serializers.DateField()
    now = serializers.DateTimeField()
    notes = serializers.ListField(child=serializers.CharField())
    overview = CreatorsOverviewSerializer()
    growth = CreatorsGrowthSerializer()
    top_videos = CreatorsTopVideoSerializer(many=True)
    platforms = CreatorsPlatformSerializer(many=True)
    activity = CreatorsActivitySerializer(many=True)
    insights = CreatorsInsightsSerializer()


class CreatorsOverviewView(APIView):
    """Every figure of the creators' dashboard (/analytics/) for one workspace and range."""

    class InputSerializer(serializers.Serializer):
        workspace = serializers.IntegerField(min_value=1, max_value=DATABASE_ID_MAX)

    @extend_schema(
        operation_id="analytics_overview",
        parameters=[
            OpenApiParameter(
                "workspace",
                OpenApiTypes.INT,
                required=True,
                description="A workspace you belong to (any role).",
            ),
            *RANGE_PARAMETERS,
        ],
        responses=CreatorsReportSerializer,
    )
    def get(self, request: Request) -> Response:
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        workspace = get_for_user(request.user, Team, query.validated_data["workspace"], "view")
        form = checked_range_form(request)
        report = creators_report(
            workspace=workspace,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            zone=timezone.get_current_timezone(),
        )
        return Response(CreatorsReportSerializer({**report, "notes": form.notes}).data)


urlpatterns = [
    path("analytics/overview/", CreatorsOverviewView.as_view(), name="analytics-overview"),
]
