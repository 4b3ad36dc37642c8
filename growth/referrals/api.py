"""The referral API: the caller's code and figures, applying a code, claiming a reward.

The paths are written as the product documents them, without a trailing slash (one is
accepted too).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import re_path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import absolute_url
from teams.models import Team
from teams.permissions import get_for_user

from . import selectors
from .codes import code_for
from .models import Referral, ReferralReward, Source
from .rewards import reward_claim
from .services import owned_workspaces, referral_apply


class ReferralCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    share_url = serializers.URLField()


class ReferralStatsSerializer(serializers.Serializer):
    clicks = serializers.IntegerField(help_text="Share-link visits by browsers new to the link.")
    sign_ups = serializers.IntegerField()
    paying = serializers.IntegerField(help_text="Referred people who have made a payment.")
    rewards_earned = serializers.IntegerField(help_text="Claimable plus claimed.")
    rewards_claimable = serializers.IntegerField()
    rewards_claimed = serializers.IntegerField()
    rewards_pending = serializers.IntegerField(help_text="Held for staff review.")
    rewards_over_cap = serializers.IntegerField()
    rewards_reversed = serializers.IntegerField()


class ApplyCodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20)


class AppliedReferralSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="code.code")

    class Meta:
        model = Referral
        fields = ["id", "code", "source", "created_at"]


class ClaimSerializer(serializers.Serializer):
    workspace = serializers.IntegerField(
        required=False, min_value=1, help_text="A workspace you own; your personal one if omitted."
    )


class ReferralRewardSerializer(serializers.ModelSerializer):
    workspace = serializers.IntegerField(source="workspace_id", allow_null=True)

    class Meta:
        model = ReferralReward
        fields = [
            "id",
            "status",
            "kind",
            "workspace",
            "amount",
            "currency",
            "earned_at",
            "claimed_at",
        ]


class ReferralCodeView(APIView):
    @extend_schema(responses=ReferralCodeSerializer)
    def get(self, request: Request) -> Response:
        code = code_for(user=request.user)
        share_url = absolute_url("referrals:share", code.code)
        return Response(ReferralCodeSerializer({"code": code.code, "share_url": share_url}).data)


class ReferralStatsView(APIView):
    @extend_schema(responses=ReferralStatsSerializer)
    def get(self, request: Request) -> Response:
        return Response(ReferralStatsSerializer(selectors.referral_stats(user=request.user)).data)


class ReferralApplyView(APIView):
    @extend_schema(request=ApplyCodeSerializer, responses={201: AppliedReferralSerializer})
    def post(self, request: Request) -> Response:
        serializer = ApplyCodeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        referral = referral_apply(
            referee=request.user, code=serializer.validated_data["code"], source=Source.API
        )
        return Response(AppliedReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


class RewardClaimView(APIView):
    @extend_schema(request=ClaimSerializer, responses=ReferralRewardSerializer)
    def post(self, request: Request, reward_id: str) -> Response:
        reward = get_for_user(request.user, ReferralReward, reward_id, "view")
        serializer = ClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        workspace_id = serializer.validated_data.get("workspace")
        if workspace_id is None:
            # One's own personal workspace, not someone else's one belongs to.
            workspace = owned_workspaces(request.user).filter(is_personal=True).first()
        else:
            workspace = get_for_user(request.user, Team, workspace_id, "view")
        if workspace is None:
            raise exceptions.ValidationError({"workspace": [_("Choose a workspace you own.")]})
        try:
            reward = reward_claim(reward=reward, actor=request.user, workspace=workspace)
        except PermissionDenied as error:  # not reachable: get_for_user scoped it to its referrer
            raise exceptions.PermissionDenied(str(error)) from error
        return Response(ReferralRewardSerializer(reward).data)


urlpatterns = [
    re_path(r"^referrals/code/?$", ReferralCodeView.as_view(), name="referrals-code"),
    re_path(r"^referrals/stats/?$", ReferralStatsView.as_view(), name="referrals-stats"),
    re_path(r"^referrals/apply/?$", ReferralApplyView.as_view(), name="referrals-apply"),
    re_path(
        r"^referrals/rewards/(?P<reward_id>[0-9]+)/claim/?$",
        RewardClaimView.as_view(),
        name="referral-reward-claim",
    ),
]
