from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import memberships_for_user


class WorkspaceMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.id")
    name = serializers.CharField(source="team.name")
    is_personal = serializers.BooleanField(source="team.is_personal")
    role = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    language = serializers.CharField(help_text="Saved language, or the one in use if none saved.")
    time_zone = serializers.CharField()
    workspaces = WorkspaceMembershipSerializer(many=True)


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="The signed-in user and their workspaces")
    def get(self, request: Request) -> Response:
        user = request.user
        profile = user.profile
        data = {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "language": profile.language or request.LANGUAGE_CODE,
            "time_zone": profile.time_zone,
            "workspaces": list(memberships_for_user(user=user)),
        }
        return Response(MeSerializer(data).data)
