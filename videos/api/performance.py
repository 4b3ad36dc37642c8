"""/api/v1/videos/{id}/performance/: how a video does on each platform it was published to.

Every member who may view the video; outsiders get 404. The same figures as the video's
performance page (videos.performance_selectors), unformatted: counters as integers (null: the
platform did not report it), rates and shares as numbers from 0 to 1, times in ISO 8601.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.permissions import get_for_user

from ..models import Video
from ..performance_selectors import video_performance

RATE_HELP = "(likes + comments + shares) ÷ views, from 0 to 1; null without views."


class VideoPerformancePointSerializer(serializers.Serializer):
    taken_at = serializers.DateTimeField()
    views = serializers.IntegerField()


class PostCountersSerializer(serializers.Serializer):
    views = serializers.IntegerField(allow_null=True)
    likes = serializers.IntegerField(allow_null=True)
    comments = serializers.IntegerField(allow_null=True)
    shares = serializers.IntegerField(allow_null=True)
    saves = serializers.IntegerField(allow_null=True)
    impressions = serializers.IntegerField(allow_null=True)
    average_watch_seconds = serializers.FloatField(allow_null=True)


class VideoPerformancePostSerializer(PostCountersSerializer):
    id = serializers.IntegerField()
    platform = serializers.CharField()
    remote_url = serializers.CharField(help_text="The post on the platform; empty if unknown.")
    published_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField(
        source="version_number",
        allow_null=True,
        help_text="The number of the version it published; null if that version was deleted.",
    )
    engagement_rate = serializers.FloatField(allow_null=True, help_text=RATE_HELP)
    share_of_views = serializers.FloatField(
        allow_null=True, help_text="Its share of the video's total views, from 0 to 1."
    )
    deleted = serializers.BooleanField(
        help_text="Deleted on the platform: the numbers are the last it reported."
    )
    stats_taken_at = serializers.DateTimeField(
        allow_null=True, help_text="When the numbers were taken; null: none yet."
    )
    series = VideoPerformancePointSerializer(
        many=True, help_text="Views over time, oldest first (snapshots that reported views)."
    )


class VideoPerformanceTotalsSerializer(PostCountersSerializer):
    average_watch_seconds = serializers.FloatField(
        allow_null=True, help_text="Weighted by views, over the posts that report both."
    )


class VideoPerformanceSerializer(serializers.Serializer):
    video = serializers.IntegerField(source="video.pk")
    template = serializers.CharField(source="video.template.key")
    totals = VideoPerformanceTotalsSerializer()
    engagement_rate = serializers.FloatField(
        source="totals.engagement_rate",
        allow_null=True,
        help_text=RATE_HELP + " Over the posts that report views.",
    )
    posts = VideoPerformancePostSerializer(many=True, help_text="Published posts, oldest first.")


class VideoPerformanceView(APIView):
    """Each published post of the video with its latest numbers and views over time, and the
    totals across the platforms."""

    @extend_schema(responses=VideoPerformanceSerializer)
    def get(self, request: Request, video_id: int) -> Response:
        video = get_for_user(
            request.user, Video.objects.select_related("template"), video_id, "view"
        )
        return Response(VideoPerformanceSerializer(video_performance(video=video)).data)
