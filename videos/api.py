"""/api/v1/ for templates, videos and brand kits. Same services and permissions as the pages.

Lists are scoped to the caller's workspaces (`?workspace=` narrows to one); one object is
fetched through the permission helper, so outsiders get 404 and a role without the action
403. Service errors (Django ValidationError) become 400 in the shared error format.
"""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.models import Membership, Team
from teams.permissions import get_for_user, role_allows, scope_for_user

from . import selectors, services
from .fields import label
from .models import (
    BrandKit,
    Category,
    LogoPosition,
    RenderJob,
    Resolution,
    Template,
    TemplateTier,
    Video,
    VideoStatus,
    VideoVersion,
)

# -- serializers --------------------------------------------------------------------------------


class TemplateSerializer(serializers.ModelSerializer):
    thumbnail_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()

    class Meta:
        model = Template
        fields = [
            "key",
            "name",
            "description",
            "category",
            "tags",
            "tier",
            "duration",
            "min_duration",
            "max_duration",
            "aspect_ratio",
            "usage_count",
            "thumbnail_url",
            "preview_url",
            "created_at",
        ]

    def get_thumbnail_url(self, template: Template) -> str | None:
        return _absolute(self.context, selectors.file_url(template.thumbnail.name)) or None

    def get_preview_url(self, template: Template) -> str | None:
        return _absolute(self.context, selectors.file_url(template.preview.name)) or None


class TemplateDetailSerializer(TemplateSerializer):
    fields = serializers.SerializerMethodField(
        method_name="template_fields",
        help_text="The fields a video fills in: name, type, label (translated), limits, default.",
    )
    video_slot = serializers.SerializerMethodField(
        help_text="Whether the template takes an uploaded clip (`source_clip`)."
    )

    class Meta(TemplateSerializer.Meta):
        fields = [*TemplateSerializer.Meta.fields, "fields", "video_slot"]

    def template_fields(self, template: Template) -> list[dict[str, Any]]:
        return [{**field, "label": label(field)} for field in template.fields]

    def get_video_slot(self, template: Template) -> bool:
        return services.has_video_slot(template)


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

    def get_file_url(self, video: Video) -> str | None:
        if video.workspace_id not in self.context.get("downloadable", ()):
            return None  # a role that may watch but not download gets no link
        return _absolute(self.context, selectors.file_url(video.file.name)) or None

    def get_thumbnail_url(self, video: Video) -> str | None:
        return _absolute(self.context, selectors.file_url(video.thumbnail.name)) or None

    def get_error(self, video: Video) -> str | None:
        return services.render_error_message(video.error_code) if video.error_code else None


class FieldsJSONField(serializers.JSONField):
    """An object of field name → value; in a multipart request, a JSON string."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data or "{}")
            except ValueError:
                raise serializers.ValidationError(_("Send the fields as a JSON object.")) from None
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Send the fields as a JSON object."))
        return data


class VideoCreateSerializer(serializers.Serializer):
    workspace = serializers.IntegerField()
    template = serializers.SlugField()
    title = serializers.CharField(max_length=200)
    fields = FieldsJSONField(required=False, default=dict)
    duration = serializers.IntegerField(required=False)
    resolution = serializers.IntegerField(required=False)
    source_clip = serializers.FileField(required=False, help_text="MP4, MOV or WebM.")


class VideoUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    fields = FieldsJSONField(required=False)
    duration = serializers.IntegerField(required=False)
    resolution = serializers.IntegerField(required=False)
    source_clip = serializers.FileField(required=False)


class RenderJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = RenderJob
        fields = ["id", "video", "kind", "status", "brand_kit", "created_at"]


class BrandingRequestSerializer(serializers.Serializer):
    brand_kit = serializers.IntegerField()


class BrandKitSerializer(serializers.ModelSerializer):
    logo_url = serializers.SerializerMethodField()

    class Meta:
        model = BrandKit
        fields = [
            "id",
            "workspace",
            "name",
            "logo_url",
            "position",
            "opacity",
            "scale",
            "margin",
            "is_default",
            "created_at",
        ]

    def get_logo_url(self, kit: BrandKit) -> str | None:
        return _absolute(self.context, selectors.file_url(kit.logo.name)) or None


class BrandKitCreateSerializer(serializers.Serializer):
    workspace = serializers.IntegerField()
    name = serializers.CharField(max_length=100)
    logo = serializers.FileField(help_text="PNG, JPEG or WebP.")
    position = serializers.ChoiceField(
        choices=LogoPosition.choices, default=LogoPosition.BOTTOM_RIGHT
    )
    opacity = serializers.IntegerField(min_value=0, max_value=100, default=80)
    scale = serializers.FloatField(min_value=0.05, max_value=0.30, default=0.15)
    margin = serializers.IntegerField(min_value=0, max_value=500, default=24)
    is_default = serializers.BooleanField(default=False)


def _absolute(context: dict, url: str) -> str:
    request = context.get("request")
    if url and request is not None and url.startswith("/"):
        return request.build_absolute_uri(url)
    return url


# -- helpers ------------------------------------------------------------------------------------

WORKSPACE_PARAM = OpenApiParameter(
    "workspace", int, required=False, description="Only this workspace (default: all of yours)."
)


def _workspace(user, raw: Any, action: str) -> Team:
    return get_for_user(user, Team, raw, action)


def _scoped(request: Request, queryset: QuerySet) -> QuerySet:
    """The caller's rows; `?workspace=` narrows to one workspace (404 for outsiders)."""
    raw = request.query_params.get("workspace")
    if raw:
        return queryset.filter(workspace=_workspace(request.user, raw, "view"))
    return scope_for_user(request.user, queryset)


def _video_context(request: Request) -> dict:
    """Serializer context for videos: which of the caller's workspaces allow downloads."""
    roles = Membership.objects.filter(user=request.user).values_list("team_id", "role")
    return {
        "request": request,
        "downloadable": {team for team, role in roles if role_allows(role, "download")},
    }


def _uploaded_images(request: Request) -> dict:
    """Every uploaded file except the clip is an image for the template field of that name."""
    return {name: upload for name, upload in request.FILES.items() if name != "source_clip"}


# -- templates ----------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("category", str, enum=Category.values),
        OpenApiParameter("tag", str, description="Only templates with this tag."),
        OpenApiParameter("tier", str, enum=TemplateTier.values),
        OpenApiParameter("search", str, description="Words in the name, description or tags."),
        OpenApiParameter("ordering", str, enum=list(selectors.TEMPLATE_ORDERINGS)),
    ]
)
class TemplateList(generics.ListAPIView):
    """The template library."""

    serializer_class = TemplateSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.template_library(
            category=params.get("category"),
            tag=params.get("tag"),
            tier=params.get("tier"),
            search=params.get("search"),
            ordering=params.get("ordering"),
        )


class TemplateDetail(generics.RetrieveAPIView):
    """One template with the fields a video fills in."""

    serializer_class = TemplateDetailSerializer
    lookup_field = "key"
    queryset = Template.objects.filter(is_active=True)


# -- videos -------------------------------------------------------------------------------------


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

    serializer_class = VideoSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_context(self):
        return _video_context(self.request)

    def get_queryset(self):
        params = self.request.query_params
        videos = _scoped(self.request, Video.objects.select_related("template"))
        if params.get("status") in VideoStatus.values:
            videos = videos.filter(status=params["status"])
        if params.get("search"):
            videos = videos.filter(title__icontains=params["search"])
        return videos.order_by("-created_at", "-id")

    @extend_schema(request=VideoCreateSerializer, responses={201: VideoSerializer})
    def post(self, request: Request) -> Response:
        data = VideoCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        workspace = _workspace(request.user, values["workspace"], "create")
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
            files=_uploaded_images(request),
            source_clip=values.get("source_clip"),
        )
        video = Video.objects.select_related("template").get(pk=video.pk)
        return Response(
            VideoSerializer(video, context=_video_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


class VideoDetail(APIView):
    """One video: read it, change it (PATCH) or delete it."""

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
        return Response(VideoSerializer(video, context=_video_context(request)).data)

    @extend_schema(request=VideoUpdateSerializer, responses=VideoSerializer)
    def patch(self, request: Request, video_id: int) -> Response:
        video = self._video(request, video_id)
        data = VideoUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        video = services.video_update(
            video=video,
            actor=request.user,
            title=values.get("title"),
            fields=values.get("fields"),
            duration=values.get("duration"),
            resolution=values.get("resolution"),
            files=_uploaded_images(request),
            source_clip=values.get("source_clip"),
        )
        return Response(VideoSerializer(video, context=_video_context(request)).data)

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
            headers={"Location": _absolute({"request": request}, url)},
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

    @extend_schema(request=BrandingRequestSerializer, responses={202: RenderJobSerializer})
    def post(self, request: Request, video_id: int) -> Response:
        video = get_for_user(request.user, Video, video_id, "brand")
        data = BrandingRequestSerializer(data=request.data)
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


# -- versions -----------------------------------------------------------------------------------


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
        return _absolute(self.context, selectors.file_url(version.file.name)) or None

    def get_thumbnail_url(self, version: VideoVersion) -> str | None:
        return _absolute(self.context, selectors.file_url(version.thumbnail.name)) or None


class RestoreRequestSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


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

    @extend_schema(request=RestoreRequestSerializer, responses={201: VideoVersionSerializer})
    def post(self, request: Request, video_id: int, number: int) -> Response:
        video = _versioned_video(request, video_id, "edit")
        data = RestoreRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_restore(
            video=video, number=number, actor=request.user, note=data.validated_data["note"]
        )
        video.current_version_id = version.pk
        return Response(
            VideoVersionSerializer(version, context=_version_context(request, video)).data,
            status=status.HTTP_201_CREATED,
        )


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


# -- brand kits ---------------------------------------------------------------------------------


@extend_schema(parameters=[WORKSPACE_PARAM])
class BrandKitListCreate(generics.ListAPIView):
    """Brand kits of your workspaces; POST (multipart, with the logo file) makes one."""

    serializer_class = BrandKitSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return _scoped(self.request, BrandKit.objects.all()).order_by(
            "workspace_id", "-is_default", "name", "id"
        )

    @extend_schema(request=BrandKitCreateSerializer, responses={201: BrandKitSerializer})
    def post(self, request: Request) -> Response:
        data = BrandKitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        workspace = _workspace(request.user, values.pop("workspace"), "brand")
        kit = services.brand_kit_create(workspace=workspace, actor=request.user, **values)
        return Response(
            BrandKitSerializer(kit, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


urlpatterns = [
    path("templates/", TemplateList.as_view(), name="template-list"),
    path("templates/<slug:key>/", TemplateDetail.as_view(), name="template-detail"),
    path("videos/", VideoListCreate.as_view(), name="video-list"),
    path("videos/<int:video_id>/", VideoDetail.as_view(), name="video-detail"),
    path("videos/<int:video_id>/download/", VideoDownload.as_view(), name="video-download"),
    path("videos/<int:video_id>/render/", VideoRender.as_view(), name="video-render"),
    path(
        "videos/<int:video_id>/apply-branding/",
        VideoApplyBranding.as_view(),
        name="video-apply-branding",
    ),
    path("videos/<int:video_id>/versions/", VideoVersionList.as_view(), name="video-versions"),
    path(
        "videos/<int:video_id>/versions/compare/",
        VideoVersionCompare.as_view(),
        name="video-versions-compare",
    ),
    path(
        "videos/<int:video_id>/versions/<int:number>/restore/",
        VideoVersionRestore.as_view(),
        name="video-version-restore",
    ),
    path("brand-kits/", BrandKitListCreate.as_view(), name="brand-kit-list"),
]


# -- batch export -------------------------------------------------------------------------------

from .models import ExportJob  # noqa: E402
from .services import exports as export_services  # noqa: E402


class ExportRequestSerializer(serializers.Serializer):
    video_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False, max_length=1000
    )
    workspace = serializers.IntegerField(
        required=False, help_text="Default: the workspace of the videos."
    )


class ExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "workspace",
            "status",
            "progress",
            "file_count",
            "size",
            "video_ids",
            "cancel_requested",
            "error_code",
            "created_at",
            "finished_at",
            "download_url",
            "expires_at",
        ]

    def get_download_url(self, export: ExportJob) -> str | None:
        return export_services.download_url(export) or None

    def get_expires_at(self, export: ExportJob) -> str | None:
        if export.status != "ready" or export.expires_at is None:
            return None
        return serializers.DateTimeField().to_representation(export.expires_at)


def _export_workspace(request: Request, values: dict) -> Team:
    """The named workspace, else the one the (visible) videos belong to."""
    if values.get("workspace"):
        return _workspace(request.user, values["workspace"], "view")
    teams = set(
        scope_for_user(request.user, Video.objects.filter(pk__in=values["video_ids"]))
        .values_list("workspace_id", flat=True)
        .distinct()
    )
    if len(teams) > 1:
        raise exceptions.ValidationError(
            {"video_ids": [_("Export videos of one workspace at a time.")]}
        )
    if not teams:
        ids = ", ".join(f"#{pk}" for pk in dict.fromkeys(values["video_ids"]))
        raise exceptions.ValidationError(
            {"video_ids": [_("These videos do not exist: %(videos)s.") % {"videos": ids}]}
        )
    return Team.objects.get(pk=teams.pop())


class ExportCreate(APIView):
    """Queue a ZIP of up to your plan's batch size of videos; poll it for progress."""

    @extend_schema(request=ExportRequestSerializer, responses={202: ExportSerializer})
    def post(self, request: Request) -> Response:
        data = ExportRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        workspace = _export_workspace(request, data.validated_data)
        export = export_services.export_create(
            workspace=workspace, video_ids=data.validated_data["video_ids"], actor=request.user
        )
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportDetail(APIView):
    """Status and progress; when ready, `download_url` (valid until `expires_at`)."""

    @extend_schema(responses=ExportSerializer)
    def get(self, request: Request, export_id) -> Response:
        export = get_for_user(request.user, ExportJob, export_id, "export")
        return Response(ExportSerializer(export).data)


class ExportCancel(APIView):
    """Cancel a queued or running export; the task stops at the next file."""

    @extend_schema(request=None, responses={202: ExportSerializer})
    def post(self, request: Request, export_id) -> Response:
        export = get_for_user(request.user, ExportJob, export_id, "export")
        export = export_services.export_cancel(export=export, actor=request.user)
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


urlpatterns += [
    path("exports/", ExportCreate.as_view(), name="export-list"),
    path("exports/<uuid:export_id>/", ExportDetail.as_view(), name="export-detail"),
    path("exports/<uuid:export_id>/cancel/", ExportCancel.as_view(), name="export-cancel"),
]
