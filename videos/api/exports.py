"""/api/v1/exports/: a ZIP of several videos, its progress and download link, cancelling it."""

from __future__ import annotations

from uuid import UUID

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.models import Team
from teams.permissions import get_for_user, scope_for_user
from videocreator.api import DATABASE_ID_MAX

from .. import selectors, services
from ..models import ExportJob, ExportStatus, Video
from ._shared import workspace_for


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
        return selectors.download_url(export) or None

    def get_expires_at(self, export: ExportJob) -> str | None:
        if export.status != ExportStatus.READY or export.expires_at is None:
            return None
        return serializers.DateTimeField().to_representation(export.expires_at)


def _export_workspace(request: Request, values: dict) -> Team:
    """The named workspace, else the one the (visible) videos belong to."""
    if values.get("workspace"):
        return workspace_for(request.user, values["workspace"], "view")
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

    # The component keeps the name it had as a module-level serializer: clients generate from it.
    @extend_schema_serializer(component_name="ExportRequest")
    class InputSerializer(serializers.Serializer):
        video_ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=DATABASE_ID_MAX),
            allow_empty=False,
            max_length=1000,
        )
        workspace = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=DATABASE_ID_MAX,
            help_text="Default: the workspace of the videos.",
        )

    @extend_schema(request=InputSerializer, responses={202: ExportSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        workspace = _export_workspace(request, data.validated_data)
        export = services.export_create(
            workspace=workspace, video_ids=data.validated_data["video_ids"], actor=request.user
        )
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)


class ExportDetail(APIView):
    """Status and progress; when ready, `download_url` (valid until `expires_at`)."""

    @extend_schema(responses=ExportSerializer)
    def get(self, request: Request, export_id: UUID) -> Response:
        export = get_for_user(request.user, ExportJob, export_id, "export")
        return Response(ExportSerializer(export).data)


class ExportCancel(APIView):
    """Cancel a queued or running export; the task stops at the next file."""

    @extend_schema(request=None, responses={202: ExportSerializer})
    def post(self, request: Request, export_id: UUID) -> Response:
        export = get_for_user(request.user, ExportJob, export_id, "export")
        export = services.export_cancel(export=export, actor=request.user)
        return Response(ExportSerializer(export).data, status=status.HTTP_202_ACCEPTED)
