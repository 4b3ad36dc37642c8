"""/api/v1/schedules/: schedule a video to several platforms, read each post's status, cancel;
mark a post published by hand, or skip it."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.messages import translate_error
from integrations.models import Platform
from teams.permissions import get_for_user
from videocreator.api import DATABASE_ID_MAX, api_datetime

from ..models import Video
from ..publishing import manual, selectors, services
from ..publishing.models import PlatformPost, PublishSchedule
from ._shared import scoped


class PostSerializer(serializers.ModelSerializer):
    account = serializers.IntegerField(source="account_id", allow_null=True)
    last_error = serializers.SerializerMethodField(
        help_text="Why the last try failed: our words in your language, the platform's as is."
    )

    class Meta:
        model = PlatformPost
        fields = [
            "id",
            "platform",
            "account",
            "title",
            "caption",
            "manual",
            "status",
            "attempts",
            "next_attempt_at",
            "remote_id",
            "remote_url",
            "last_error",
            "published_at",
        ]

    def to_representation(self, post: PlatformPost) -> dict:
        # A page of schedules holds a hundred posts, and DRF's walk over the declared fields
        # cost more than the page's queries. The same keys and formats as those fields
        # (tests/videos/publishing/test_schedule_api_representation.py compares both).
        return {
            "id": post.pk,
            "platform": post.platform,
            "account": post.account_id,
            "title": post.title,
            "caption": post.caption,
            "manual": post.manual,
            "status": post.status,
            "attempts": post.attempts,
            "next_attempt_at": api_datetime(post.next_attempt_at),
            "remote_id": post.remote_id,
            "remote_url": post.remote_url,
            "last_error": self.get_last_error(post),
            "published_at": api_datetime(post.published_at),
        }

    def get_last_error(self, post: PlatformPost) -> str:
        return translate_error(post.last_error)


class ScheduleSerializer(serializers.ModelSerializer):
    posts = PostSerializer(many=True, read_only=True)
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)

    class Meta:
        model = PublishSchedule
        fields = [
            "id",
            "video",
            "version",
            "publish_at",
            "time_zone",
            "status",
            "created_at",
            "finished_at",
            "posts",
        ]

    def to_representation(self, schedule: PublishSchedule) -> dict:
        # As PostSerializer's, for the same reason.
        post = PostSerializer()
        return {
            "id": schedule.pk,
            "video": schedule.video_id,
            "version": schedule.version.number if schedule.version_id else None,
            "publish_at": api_datetime(schedule.publish_at),
            "time_zone": schedule.time_zone,
            "status": schedule.status,
            "created_at": api_datetime(schedule.created_at),
            "finished_at": api_datetime(schedule.finished_at),
            "posts": [post.to_representation(p) for p in schedule.posts.all()],
        }


class ScheduleList(generics.GenericAPIView):
    # The components keep the names they had as module-level serializers: clients generate
    # from them.
    @extend_schema_serializer(component_name="ScheduleCreate")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="PlatformTarget")
        class PlatformSerializer(serializers.Serializer):
            platform = serializers.ChoiceField(choices=Platform.choices)
            account = serializers.IntegerField(
                min_value=1,
                required=False,
                allow_null=True,
                default=None,
                help_text="A connected account's id (leave it out for a post published by hand).",
            )
            manual = serializers.BooleanField(
                required=False,
                default=False,
                help_text=(
                    "Publish by hand, on any platform but the sandbox: at the time the requester "
                    "is notified and e-mailed the download link and the caption, then marks the "
                    "post published (…/mark-published/) or skips it (…/skip/)."
                ),
            )
            title = serializers.CharField(
                max_length=200, required=False, allow_blank=True, default=""
            )
            caption = serializers.CharField(
                max_length=5000, required=False, allow_blank=True, default=""
            )

        video = serializers.IntegerField(min_value=1, max_value=DATABASE_ID_MAX)
        publish_at = serializers.DateTimeField(
            required=False,
            allow_null=True,
            help_text=(
                "ISO 8601 with its offset, e.g. 2027-03-14T09:00:00-04:00; null publishes now."
            ),
        )
        time_zone = serializers.CharField(
            max_length=64, required=False, default="UTC", help_text="Shown in the calendar."
        )
        platforms = PlatformSerializer(many=True, allow_empty=False, max_length=5)

    serializer_class = ScheduleSerializer

    @extend_schema(
        parameters=[OpenApiParameter("workspace", int, description="Only this workspace.")],
        responses=ScheduleSerializer(many=True),
        operation_id="v1_schedules_list",
        summary="Schedules in your workspaces, newest publish time first",
    )
    def get(self, request: Request) -> Response:
        queryset = scoped(
            request, PublishSchedule.objects.select_related("version")
        ).prefetch_related("posts")
        page = self.paginate_queryset(queryset.order_by("-publish_at", "-id"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: ScheduleSerializer},
        summary="Schedule a ready video to connected accounts (editors and up)",
    )
    def post(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        video = get_for_user(
            request.user, Video.objects.select_related("workspace"), data["video"], "schedule"
        )
        schedule = services.schedule_create(
            video=video,
            actor=request.user,
            platforms=data["platforms"],
            publish_at=data.get("publish_at"),
            time_zone=data["time_zone"],
        )
        return Response(
            ScheduleSerializer(_fetch(request, schedule.pk)).data, status=status.HTTP_201_CREATED
        )


def _fetch(request: Request, schedule_id: int, action: str = "view") -> PublishSchedule:
    return get_for_user(
        request.user,
        selectors.schedule_detail(schedule_id=schedule_id).prefetch_related("posts"),
        schedule_id,
        action,
    )


class ScheduleDetail(APIView):
    @extend_schema(responses=ScheduleSerializer, summary="A schedule with each post's status")
    def get(self, request: Request, schedule_id: int) -> Response:
        return Response(ScheduleSerializer(_fetch(request, schedule_id)).data)


class ScheduleCancel(APIView):
    @extend_schema(
        request=None,
        responses=ScheduleSerializer,
        summary="Cancel the posts that have not started (editors and up)",
    )
    def post(self, request: Request, schedule_id: int) -> Response:
        schedule = _fetch(request, schedule_id, "schedule")
        services.schedule_cancel(schedule=schedule, actor=request.user)
        return Response(
            ScheduleSerializer(_fetch(request, schedule_id)).data, status=status.HTTP_200_OK
        )


def _post(request: Request, schedule_id: int, post_id: int) -> PlatformPost:
    schedule = _fetch(request, schedule_id, "schedule")
    post = PlatformPost.objects.filter(pk=post_id, schedule=schedule).first()
    if post is None:
        raise Http404
    post.schedule = schedule
    return post


class PostMarkPublished(APIView):
    @extend_schema_serializer(component_name="PostMarkPublished")
    class InputSerializer(serializers.Serializer):
        url = serializers.CharField(
            max_length=500, help_text="The post's link on the platform (http or https)."
        )

    @extend_schema(
        request=InputSerializer,
        responses=PostSerializer,
        summary="Mark a post waiting to be published by hand as published, with its link "
        "(editors and up)",
    )
    def post(self, request: Request, schedule_id: int, post_id: int) -> Response:
        post = _post(request, schedule_id, post_id)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        post = manual.post_mark_published(
            post=post, actor=request.user, url=payload.validated_data["url"]
        )
        return Response(PostSerializer(post).data)


class PostSkip(APIView):
    @extend_schema_serializer(component_name="PostSkip")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(
            max_length=500,
            required=False,
            allow_blank=True,
            default="",
            help_text="Why it was not published (optional).",
        )

    @extend_schema(
        request=InputSerializer,
        responses=PostSerializer,
        summary="Skip a post waiting to be published by hand: it will not be published "
        "(editors and up)",
    )
    def post(self, request: Request, schedule_id: int, post_id: int) -> Response:
        post = _post(request, schedule_id, post_id)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        post = manual.post_skip(post=post, actor=request.user, note=payload.validated_data["note"])
        return Response(PostSerializer(post).data)
