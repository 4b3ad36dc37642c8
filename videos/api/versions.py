"""/api/v1/videos/<id>/versions/: a video's versions, restoring one, comparing two."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.permissions import get_for_user

from .. import selectors, services
from ..models import Video, VideoVersion
from ._shared import absolute_url


class VideoVersionSerializer(serializers.ModelSerializer):
    description = serializers.SerializerMethodField(help_text="What changed, translated.")
    author = serializers.SerializerMethodField(help_text="Who made it: {id, name}, or null.")
    restored_from = serializers.SerializerMethodField(
        help_text="The number of the version this one restored, or null."
    )
    size_mb = serializers.SerializerMethodField()
    is_current = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField(
        help_text="A time-limited link to this version's MP4 (to play it)."
    )
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = VideoVersion
        fields = [
            "number",
            "kind",
            "is_current",
            "description",
            "changes",
            "note",
            "title",
            "fields",
            "brand_kit_name",
            "restored_from",
            "size",
            "size_mb",
            "duration",
            "width",
            "height",
            "fps",
            "checksum",
            "author",
            "file_url",
            "thumbnail_url",
            "created_at",
            "review_state",
            "reviewed_at",
            "review_note",
        ]

    def get_description(self, version: VideoVersion) -> str:
        return services.version_description(version, labels=self.context.get("labels"))

    def get_author(self, version: VideoVersion) -> dict | None:
        author = version.author
        return {"id": author.pk, "name": author.display_name} if author else None

    def get_restored_from(self, version: VideoVersion) -> int | None:
        for change in version.changes or []:
            if change.get("code") == "restored":
                return change.get("from")
        return None

    def get_size_mb(self, version: VideoVersion) -> float:
        return round(version.size / (1024 * 1024), 2)

    def get_is_current(self, version: VideoVersion) -> bool:
        return version.pk == self.context.get("current_version_id")

    def get_file_url(self, version: VideoVersion) -> str | None:
        return absolute_url(self.context, selectors.file_url(version.file.name)) or None

    def get_thumbnail_url(self, version: VideoVersion) -> str | None:
        return absolute_url(self.context, selectors.file_url(version.thumbnail.name)) or None


class VersionCompareSerializer(serializers.Serializer):
    a = VideoVersionSerializer()
    b = VideoVersionSerializer()
    size_mb = serializers.DictField(child=serializers.FloatField())
    duration_seconds = serializers.DictField(child=serializers.FloatField())
    seconds_between = serializers.FloatField()
    authors = serializers.DictField(child=serializers.CharField(allow_blank=True))
    title_changed = serializers.BooleanField()
    fields_changed = serializers.ListField(child=serializers.CharField())
    resolution = serializers.DictField(child=serializers.CharField())
    brand_kit = serializers.DictField(child=serializers.CharField(allow_blank=True))
    same_file = serializers.BooleanField()


def _version_context(request: Request, video: Video) -> dict:
    return {
        "request": request,
        "labels": services.field_labels(video),
        "current_version_id": video.current_version_id,
    }


def _versioned_video(request: Request, video_id: int, action: str) -> Video:
    return get_for_user(
        request.user, Video.objects.select_related("template", "workspace"), video_id, action
    )


class VideoVersionList(generics.ListAPIView):
    """Every version of a video, newest first (members who may view the video)."""

    serializer_class = VideoVersionSerializer

    def get_serializer_context(self):
        video = getattr(self, "video", None)
        if video is None:  # e.g. while the OpenAPI schema is generated
            return {"request": self.request}
        return _version_context(self.request, video)

    def get_queryset(self):
        self.video = _versioned_video(self.request, self.kwargs["video_id"], "view")
        return (
            VideoVersion.objects.filter(video=self.video)
            .select_related("author")
            .order_by("-number")
        )


class VideoVersionRestore(APIView):
    """Make a new version from version `number` (editors). Every earlier version stays."""

    # The component keeps the name it had as a module-level serializer: clients generate from it.
    @extend_schema_serializer(component_name="RestoreRequest")
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(request=InputSerializer, responses={201: VideoVersionSerializer})
    def post(self, request: Request, video_id: int, number: int) -> Response:
        video = _versioned_video(request, video_id, "edit")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_restore(
            video=video, number=number, actor=request.user, note=data.validated_data["note"]
        )
        video.current_version_id = version.pk
        return Response(
            VideoVersionSerializer(version, context=_version_context(request, video)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(
    parameters=[
        OpenApiParameter("a", int, required=True, description="A version number."),
        OpenApiParameter("b", int, required=True, description="Another version number."),
    ],
    responses=VersionCompareSerializer,
)
class VideoVersionCompare(APIView):
    """Two versions side by side: size, duration, time between them, authors, changed fields."""

    def get(self, request: Request, video_id: int) -> Response:
        video = _versioned_video(request, video_id, "view")
        result = services.versions_compare(
            video=video, a=request.query_params.get("a"), b=request.query_params.get("b")
        )
        return Response(
            VersionCompareSerializer(result, context=_version_context(request, video)).data
        )
