"""/api/v1/features/requests: list and submit feature requests, vote and take a vote back;
staff read the RICE-prioritised list (404 for everyone else). Paths have no trailing slash (one
is accepted too)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import is_staff
from videocreator.api import DATABASE_ID_MAX

from . import rice, selectors, services
from .models import (
    DESCRIPTION_MAX_LENGTH,
    SETTABLE_STATUSES,
    TITLE_MAX_LENGTH,
    Category,
    FeatureRequest,
)
from .selectors import BoardFilters, Sort


class StrictTextField(serializers.CharField):
    """Text only: DRF's CharField would take the number 5 as "5"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# The videos' templates have a "category" too: an enum here would collide with theirs in the
# schema's component names, so the choices are a pattern and a description instead.
CATEGORY_SCHEMA = {
    "type": "string",
    "pattern": "^(" + "|".join(Category.values) + ")$",
    "description": "One of: " + ", ".join(f"`{v}` ({label})" for v, label in Category.choices),
}


@extend_schema_field(CATEGORY_SCHEMA)
class CategoryField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Category.choices, **kwargs)


@extend_schema_field({"type": "integer", "enum": [1, -1]})
class VoteValueField(serializers.Field):
    """1 or −1, as a JSON number (true, 2, "x" and 1.5 are refused)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int) or data not in (1, -1):
            raise serializers.ValidationError(_("A vote is 1 (up) or -1 (down)."), code="invalid")
        return data

    def to_representation(self, value: int) -> int:
        return value


class FeatureRequestSerializer(serializers.ModelSerializer):
    category = CategoryField(read_only=True)
    my_vote = serializers.SerializerMethodField(
        help_text="Your vote: 1 (up), -1 (down) or 0 (none)."
    )

    class Meta:
        model = FeatureRequest
        ref_name = "FeatureRequest"
        fields = [
            "id",
            "title",
            "description",
            "category",
            "status",
            "status_note",
            "vote_score",
            "comment_count",
            "created_at",
            "shipped_at",
            "merged_into",
            "my_vote",
        ]
        read_only_fields = fields

    def get_my_vote(self, feature_request: FeatureRequest) -> int:
        return self.context.get("my_votes", {}).get(feature_request.pk, 0)


class FeatureVoteResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    vote_score = serializers.IntegerField()
    my_vote = serializers.IntegerField(help_text="1, -1, or 0 after the vote was taken back.")

    class Meta:
        ref_name = "FeatureRequestVoteResult"


class FeatureRiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.id")
    title = serializers.CharField(source="request.title")
    status = serializers.CharField(source="request.status")
    category = serializers.CharField(source="request.category")
    vote_score = serializers.IntegerField(source="request.vote_score")
    reach = serializers.IntegerField()
    impact = serializers.IntegerField(allow_null=True)
    confidence = serializers.DecimalField(max_digits=3, decimal_places=2)
    effort = serializers.IntegerField(allow_null=True)
    score = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    voters = serializers.IntegerField()
    paying_voters = serializers.IntegerField()
    workspaces = serializers.IntegerField(help_text="Paying workspaces behind the up-voters.")
    mrr = serializers.IntegerField(
        allow_null=True, help_text="Their MRR in minor units of `currency`."
    )
    currency = serializers.CharField()

    class Meta:
        ref_name = "FeatureRequestRice"


def _request_for(feature_request_id: str) -> FeatureRequest:
    pk = int(feature_request_id)
    if pk > DATABASE_ID_MAX:
        raise Http404
    feature_request = FeatureRequest.objects.filter(pk=pk).first()
    if feature_request is None:
        raise Http404
    return feature_request


class FeatureRequestList(generics.GenericAPIView):
    serializer_class = FeatureRequestSerializer

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=200)
        status = serializers.ChoiceField(
            choices=[(s.value, s.label) for s in SETTABLE_STATUSES], required=False
        )
        category = CategoryField(required=False)
        sort = serializers.ChoiceField(choices=list(Sort.ALL), required=False, default=Sort.TOP)

        class Meta:
            ref_name = "FeatureRequestFilter"

    class InputSerializer(serializers.Serializer):
        title = StrictTextField(max_length=TITLE_MAX_LENGTH)
        description = StrictTextField(
            max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True, default=""
        )
        category = CategoryField(default=Category.OTHER)

        class Meta:
            ref_name = "FeatureRequestCreate"

    @extend_schema(
        parameters=[FilterSerializer],
        operation_id="v1_features_requests_list",
        summary="Feature requests, top-voted first (merged ones left out)",
        description="Sort `top` (net votes), `new` or `trending` (net votes of the last 14 days).",
    )
    def get(self, request: Request) -> Response:
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = BoardFilters(
            q=query.validated_data.get("q", "").strip(),
            status=query.validated_data.get("status", ""),
            category=query.validated_data.get("category", ""),
            sort=query.validated_data["sort"],
        )
        page = self.paginate_queryset(selectors.board(filters=filters))
        my_votes = selectors.votes_of(user=request.user, request_ids=[r.pk for r in page])
        data = FeatureRequestSerializer(page, many=True, context={"my_votes": my_votes}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=InputSerializer,
        responses={201: FeatureRequestSerializer},
        summary="Submit a feature request (you follow it and can vote on it)",
    )
    def post(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        feature_request = services.feature_request_create(
            author=request.user, **payload.validated_data
        )
        return Response(
            FeatureRequestSerializer(feature_request).data, status=status.HTTP_201_CREATED
        )


ID_PARAM = OpenApiParameter(
    "feature_request_id", int, OpenApiParameter.PATH, description="The request's id."
)


class FeatureRequestVote(APIView):
    class InputSerializer(serializers.Serializer):
        value = VoteValueField(help_text="1 (up) or -1 (down).")

        class Meta:
            ref_name = "FeatureRequestVoteInput"

    @extend_schema(
        parameters=[ID_PARAM],
        request=InputSerializer,
        responses={200: FeatureVoteResultSerializer},
        summary="Vote on a request (again: change the vote)",
    )
    def post(self, request: Request, feature_request_id: str) -> Response:
        feature_request = _request_for(feature_request_id)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        value = payload.validated_data["value"]
        services.feature_request_vote(
            feature_request=feature_request, user=request.user, value=value
        )
        return Response(
            {"id": feature_request.pk, "vote_score": feature_request.vote_score, "my_vote": value}
        )

    @extend_schema(
        parameters=[ID_PARAM],
        request=None,
        responses={200: FeatureVoteResultSerializer},
        summary="Take your vote back",
    )
    def delete(self, request: Request, feature_request_id: str) -> Response:
        feature_request = _request_for(feature_request_id)
        services.feature_request_unvote(feature_request=feature_request, user=request.user)
        return Response(
            {"id": feature_request.pk, "vote_score": feature_request.vote_score, "my_vote": 0}
        )


class FeatureRequestPrioritized(generics.GenericAPIView):
    """Staff only: everyone else, signed in or not, gets 404."""

    serializer_class = FeatureRiceSerializer
    permission_classes = [permissions.AllowAny]

    class FilterSerializer(serializers.Serializer):
        paying_weight = serializers.IntegerField(
            min_value=1,
            max_value=rice.MAX_PAYING_WEIGHT,
            required=False,
            default=1,
            help_text="A vote from a member of a paying workspace counts this many times.",
        )

        class Meta:
            ref_name = "FeatureRequestPrioritizedFilter"

    @extend_schema(
        parameters=[FilterSerializer],
        operation_id="v1_features_requests_prioritized_list",
        summary="Staff: open, planned and in-progress requests by RICE score",
    )
    def get(self, request: Request) -> Response:
        if not is_staff(request.user):
            raise Http404
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = rice.prioritized(paying_weight=query.validated_data["paying_weight"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(FeatureRiceSerializer(page, many=True).data)


urlpatterns = [
    re_path(
        r"^features/requests/prioritized(?:/)?$",
        FeatureRequestPrioritized.as_view(),
        name="feature-requests-prioritized",
    ),
    re_path(r"^features/requests(?:/)?$", FeatureRequestList.as_view(), name="feature-requests"),
    re_path(
        r"^features/requests/(?P<feature_request_id>[0-9]{1,19})/vote(?:/)?$",
        FeatureRequestVote.as_view(),
        name="feature-request-vote",
    ),
]
