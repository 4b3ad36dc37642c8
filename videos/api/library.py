"""/api/v1/templates/: the template library and one template's fields."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from .. import selectors, services
from ..fields import label
from ..models import Category, Template, TemplateTier
from ._shared import absolute_url


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
        return absolute_url(self.context, selectors.file_url(template.thumbnail.name)) or None

    def get_preview_url(self, template: Template) -> str | None:
        return absolute_url(self.context, selectors.file_url(template.preview.name)) or None


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
