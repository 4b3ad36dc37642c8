"""/api/v1/brand-kits/: the brand kits of your workspaces, and making one."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from videocreator.parsers import JSONParser

from .. import selectors, services
from ..models import BrandKit, LogoPosition
from ._shared import WORKSPACE_PARAM, absolute_url, scoped, workspace_for


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
        return absolute_url(self.context, selectors.file_url(kit.logo.name)) or None


@extend_schema(parameters=[WORKSPACE_PARAM])
class BrandKitListCreate(generics.ListAPIView):
    """Brand kits of your workspaces; POST (multipart, with the logo file) makes one."""

    # The component keeps the name it had as a module-level serializer: clients generate from it.
    @extend_schema_serializer(component_name="BrandKitCreate")
    class InputSerializer(serializers.Serializer):
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

    serializer_class = BrandKitSerializer
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return scoped(self.request, BrandKit.objects.all()).order_by(
            "workspace_id", "-is_default", "name", "id"
        )

    @extend_schema(request=InputSerializer, responses={201: BrandKitSerializer})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        workspace = workspace_for(request.user, values.pop("workspace"), "brand")
        kit = services.brand_kit_create(workspace=workspace, actor=request.user, **values)
        return Response(
            BrandKitSerializer(kit, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )
