"""/api/v1/videos/: list, make, read, change, delete, download, render and brand videos.

POST and PATCH take JSON, or multipart with `fields` as a JSON string, images as parts named
after their template field, and an optional `source_clip`.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.permissions import get_for_user
from videocreator.api import api_datetime
from videocreator.parsers import JSONParser, json_depth_exceeds, too_deep_message

from .. import selectors, services
from ..models import BrandKit, RenderJob, Resolution, Template, Video, VideoStatus
from ._shared import (
    WORKSPACE_PARAM,
    absolute_url,
    scoped,
    uploaded_images,
    video_context,
    workspace_for,
)


class VideoSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="key", read_only=True)
    duration = serializers.IntegerField(
        source="duration_seconds", help_text="The requested length in whole seconds."
    )
    rendered_duration = serializers.FloatField(
        source="duration", allow_null=True, help_text="The rendered file's length in seconds."
    )
    file_url = serializers.SerializerMethodField(
        help_text="A time-limited link to the rendered MP4, or null."
    )
    thumbnail_url = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField(help_text="Why the last render failed, or null.")

    class Meta:
        model = Video
        fields = [
            "id",
            "workspace",
            "title",
            "template",
            "fields",
            "status",
            "progress",
            "duration",
            "resolution",
            "width",
            "height",
            "fps",
            "rendered_duration",
            "size",
            "file_url",
            "thumbnail_url",
            "brand_kit",
            "error",
            "created_at",
            "updated_at",
            "rendered_at",
        ]

    def to_representation(self, video: Video) -> dict:
        # A list page holds 50 videos (up to 200), and DRF's walk over the declared fields
        # cost more than the page's queries. The same keys and formats as those fields
        # (tests/videos/test_api.py compares both).
        return {
            "id": video.pk,
            "workspace": video.workspace_id,
            "title": video.title,
            "template": video.template.key,
            "fields": video.fields,
            "status": video.status,
            "progress": video.progress,
            "duration": video.duration_seconds,
            "resolution": video.resolution,
            "width": video.width,
            "height": video.height,
            "fps": video.fps,
            "rendered_duration": None if video.duration is None else float(video.duration),
            "size": video.size,
            "file_url": self.get_file_url(video),
            "thumbnail_url": self.get_thumbnail_url(video),
            "brand_kit": video.brand_kit_id,
            "error": self.get_error(video),
            "created_at": api_datetime(video.created_at),
            "updated_at": api_datetime(video.updated_at),
            "rendered_at": api_datetime(video.rendered_at),
        }

    def get_file_url(self, video: Video) -> str | None:
        if video.workspace_id not in self.context.get("downloadable", ()):
            return None  # a role that may watch but not download gets no link
        return absolute_url(self.context, selectors.file_url(video.file.name)) or None

    def get_thumbnail_url(self, video: Video) -> str | None:
        return absolute_url(self.context, selectors.file_url(video.thumbnail.name)) or None

    def get_error(self, video: Video) -> str | None:
        return services.render_error_message(video.error_code) if video.error_code else None


class RenderJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = RenderJob
        fields = ["id", "video", "kind", "status", "brand_kit", "created_at"]


class FieldsJSONField(serializers.JSONField):
    """An object of field name → value; in a multipart request, a JSON string."""

    def to_internal_value(self, data: Any) -> dict:
        if isinstance(data, str):
            if json_depth_exceeds(data):
                raise serializers.ValidationError(too_deep_message())
            try:
                data = json.loads(data or "{}")
            except ValueError:
                raise serializers.ValidationError(_("Send the fields as a JSON object.")) from None
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Send the fields as a JSON object."))
        return data


@extend_schema(
    parameters=[
        WORKSPACE_PARAM,
        OpenApiParameter("status", str, enum=VideoStatus.values),
        OpenApiParameter("search", str, description="Words in the title."),
    ]
)
class VideoListCreate(generics.ListAPIView):
    """Videos of your workspaces, newest first; POST makes one from a template.

    POST as JSON, or as multipart with `fields` as a JSON string, images as parts named
    after their template field, and an optional `source_clip`.
    """

    # The component keeps the name it had as a module-level serializer: clients generate from it.
    @extend_schema_serializer(component_name="VideoCreate")
    class InputSerializer(serializers.Serializer):
        workspace = serializers.IntegerField()
        template = serializers.SlugField()
        title = serializers.CharField(max_length=200)
        fields = FieldsJSONField(required=False, default=dict)
        duration = serializers.IntegerField(required=False)
        resolution = serializers.IntegerField(required=False)
        source_clip = serializers.FileField(required=False, help_text="MP4, MOV or WebM.")

    serializer_class = VideoSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_context(self):
        return video_context(self.request)

    def get_queryset(self):
        params = self.request.query_params
        # Of the template only its key is shown: its spec and fields (large JSON) stay behind.
        videos = scoped(
            self.request,
            Video.objects.select_related("template").defer(*selectors.TEMPLATE_JSON_DEFERRED),
        )
        return selectors.videos_filtered(
            videos, search=params.get("search"), status=params.get("status")
        )

    @extend_schema(request=InputSerializer, responses={201: VideoSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        workspace = workspace_for(request.user, values["workspace"], "create")
        template = Template.objects.filter(key=values["template"], is_active=True).first()
        if template is None:
            raise exceptions.ValidationError({"template": [_("There is no such template.")]})
        video = services.video_create(
            workspace=workspace,
            template=template,
            actor=request.user,
            title=values["title"],
            fields=values.get("fields") or {},
            duration=values.get("duration"),
            resolution=values.get("resolution") or Resolution.HD,
            files=uploaded_images(request),
            source_clip=values.get("source_clip"),
        )
        video = Video.objects.select_related("template").get(pk=video.pk)
        return Response(
            VideoSerializer(video, context=video_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


class VideoDetail(APIView):
    """One video: read it, change it (PATCH) or delete it."""

    @extend_schema_serializer(component_name="VideoUpdate")
    class InputSerializer(serializers.Serializer):
        title = serializers.CharField(max_length=200, required=False)
        fields = FieldsJSONField(required=False)
        duration = serializers.IntegerField(required=False)
        resolution = serializers.IntegerField(required=False)
        source_clip = serializers.FileField(required=False)

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ACTIONS = {"GET": "view", "PATCH": "edit", "DELETE": "delete"}

    def _video(self, request: Request, video_id: int) -> Video:
        return get_for_user(
            request.user,
            Video.objects.select_related("template", "workspace"),
            video_id,
            self.ACTIONS[request.method],
        )

    @extend_schema(responses=VideoSerializer)
    def get(self, request: Request, video_id: int) -> Response:
        video = self._video(request, video_id)
        return Response(VideoSerializer(video, context=video_context(request)).data)

    @extend_schema(request=InputSerializer, responses=VideoSerializer)
    def patch(self, request: Request, video_id: int) -> Response:
        video = self._video(request, video_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        video = services.video_update(
            video=video,
            actor=request.user,
            title=values.get("title"),
            fields=values.get("fields"),
            duration=values.get("duration"),
            resolution=values.get("resolution"),
            files=uploaded_images(request),
            source_clip=values.get("source_clip"),
        )
        return Response(VideoSerializer(video, context=video_context(request)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, video_id: int) -> Response:
        services.video_delete(video=self._video(request, video_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VideoDownload(APIView):
    """Redirects to a time-limited link to the rendered MP4 (members who may download)."""

    @extend_schema(responses={302: None})
    def get(self, request: Request, video_id: int) -> Response:
        video = get_for_user(request.user, Video, video_id, "download")
        if not video.file:
            raise exceptions.NotFound(_("This video has not been rendered yet."))
        url = selectors.file_url(video.file.name, download_name=selectors.download_name(video))
        return Response(
            status=status.HTTP_302_FOUND,
            headers={"Location": absolute_url({"request": request}, url)},
        )


class VideoRender(APIView):
    """Queue a render; poll the video for status and progress."""

    @extend_schema(request=None, responses={202: RenderJobSerializer})
    def post(self, request: Request, video_id: int) -> Response:
        video = get_for_user(request.user, Video, video_id, "render")
        job = services.video_render(video=video, actor=request.user)
        return Response(RenderJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class VideoApplyBranding(APIView):
    """Queue putting a brand kit's logo on the rendered video."""

    @extend_schema_serializer(component_name="BrandingRequest")
    class InputSerializer(serializers.Serializer):
        brand_kit = serializers.IntegerField()

    @extend_schema(request=InputSerializer, responses={202: RenderJobSerializer})
    def post(self, request: Request, video_id: int) -> Response:
        video = get_for_user(request.user, Video, video_id, "brand")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kit = BrandKit.objects.filter(
            pk=data.validated_data["brand_kit"], workspace_id=video.workspace_id
        ).first()
        if kit is None:
            raise exceptions.ValidationError(
                {"brand_kit": [_("Choose a brand kit of this workspace.")]}
            )
        job = services.video_apply_branding(video=video, brand_kit=kit, actor=request.user)
        return Response(RenderJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
