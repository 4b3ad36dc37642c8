"""/api/v1/account/: the person's data export and deleting their account, through the same
services as the privacy page."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .deletion import account_delete
from .exports import data_export_request
from .models import DataExport
from .selectors import download_response, latest_export


class DataExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(
        help_text="While the ZIP is ready: where to download it (your sign-in or token "
        "required). Otherwise null."
    )

    class Meta:
        model = DataExport
        fields = [
            "id",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "expires_at",
            "size",
            "file_count",
            "download_url",
        ]

    def get_download_url(self, export: DataExport) -> str | None:
        if not export.is_downloadable:
            return None
        url = reverse("api:account-export-download", args=[export.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class AccountExportView(APIView):
    @extend_schema(
        summary="Your latest data export (null if you never asked for one)",
        responses=inline_serializer(
            "LatestDataExport", {"latest": DataExportSerializer(allow_null=True)}
        ),
    )
    def get(self, request: Request) -> Response:
        export = latest_export(request.user)
        data = DataExportSerializer(export, context={"request": request}).data if export else None
        return Response({"latest": data})

    @extend_schema(
        request=None,
        summary="Ask for a ZIP of your data, built in the background and e-mailed when ready; "
        "while one is pending, that one is returned (200) instead of a new one (202)",
        responses={200: DataExportSerializer, 202: DataExportSerializer},
    )
    def post(self, request: Request) -> Response:
        export, created = data_export_request(user=request.user)
        return Response(
            DataExportSerializer(export, context={"request": request}).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )


class AccountExportDownloadView(APIView):
    @extend_schema(
        summary="Download your ready data export: the ZIP, or a redirect to a short-lived "
        "storage link; 404 for anyone else's, and once it has expired",
        responses={
            (200, "application/zip"): OpenApiTypes.BINARY,
            302: OpenApiResponse(description="Redirect to the ZIP in storage"),
        },
    )
    def get(self, request: Request, data_export_id) -> HttpResponse:
        export = get_object_or_404(DataExport, pk=data_export_id, user=request.user)
        return download_response(export)


class AccountView(APIView):
    class InputSerializer(serializers.Serializer):
        password = serializers.CharField(
            write_only=True,
            trim_whitespace=False,
            help_text="Your current password: a token alone cannot delete an account.",
        )

        class Meta:
            ref_name = "AccountDelete"

    @extend_schema(
        request=InputSerializer,
        summary="Delete your account (your password required); 400 lists the workspaces that "
        "need another owner first",
        responses={204: None},
    )
    def delete(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not ratelimit.consume(request, action="reauthenticate", user=request.user):
            raise exceptions.Throttled(wait=60)
        account_delete(user=request.user, password=data.validated_data["password"])
        logout(request)  # a session caller is signed out; a token is gone with the account
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("account/", AccountView.as_view(), name="account"),
    path("account/export/", AccountExportView.as_view(), name="account-export"),
    path(
        "account/export/<uuid:data_export_id>/download/",
        AccountExportDownloadView.as_view(),
        name="account-export-download",
    ),
]
