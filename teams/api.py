from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Membership, Notification, Role, Team
from .notification_messages import notification_message
from .permissions import get_for_user
from .selectors import (
    member_or_404,
    memberships_for_user,
    notifications_for,
    pending_invitations,
    unread_count,
    workspace_members,
)
from .services.invitations import invitations_create
from .services.memberships import membership_change_role, membership_remove
from .services.notifications import notification_mark_read, notifications_mark_all_read
from .services.workspaces import NAME_MAX_LENGTH, workspace_create


class WorkspaceMembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="team.id")
    name = serializers.CharField(
        source="team.display_name",
        help_text="As shown: a personal workspace not renamed is named in your language.",
    )
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


class MemberSerializer(serializers.Serializer):
    user_id = serializers.IntegerField()
    email = serializers.EmailField(source="user.email")
    name = serializers.CharField(source="user.display_name")
    role = serializers.CharField()
    joined_at = serializers.DateTimeField()


def _workspace(request: Request, workspace_id: int, action: str) -> Team:
    return get_for_user(request.user, Team, workspace_id, action)


class WorkspaceList(generics.GenericAPIView):
    serializer_class = WorkspaceMembershipSerializer

    class InputSerializer(serializers.Serializer):
        # The length is the service's rule, so the API and the pages refuse it in one wording.
        name = serializers.CharField(help_text=f"At most {NAME_MAX_LENGTH} characters.")

        class Meta:
            # The schema's component name: otherwise every nested InputSerializer is "Input".
            ref_name = "WorkspaceCreate"

    def get_queryset(self):
        return memberships_for_user(user=self.request.user)

    @extend_schema(summary="The workspaces you belong to, with your role in each")
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: WorkspaceMembershipSerializer},
        summary="Create a team workspace; you become its owner",
    )
    def post(self, request: Request) -> Response:
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        team = workspace_create(owner=request.user, name=payload.validated_data["name"])
        membership = Membership.objects.select_related("team").get(team=team, user=request.user)
        return Response(
            WorkspaceMembershipSerializer(membership).data, status=status.HTTP_201_CREATED
        )


class WorkspaceMemberList(generics.GenericAPIView):
    serializer_class = MemberSerializer

    @extend_schema(summary="Members of a workspace, owners first")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace = _workspace(request, workspace_id, "view")
        page = self.paginate_queryset(workspace_members(workspace=workspace))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class WorkspaceMemberDetail(APIView):
    class InputSerializer(serializers.Serializer):
        role = serializers.ChoiceField(choices=Role.choices)

        class Meta:
            ref_name = "MemberRole"

    @extend_schema(
        request=InputSerializer,
        responses=MemberSerializer,
        summary="Change a member's role (owners and admins)",
    )
    def patch(self, request: Request, workspace_id: int, user_id: int) -> Response:
        workspace = _workspace(request, workspace_id, "manage_members")
        membership = member_or_404(workspace=workspace, user_id=user_id)
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        membership = membership_change_role(
            membership=membership, role=payload.validated_data["role"], actor=request.user
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(
        responses={204: None}, summary="Remove a member, or leave the workspace yourself"
    )
    def delete(self, request: Request, workspace_id: int, user_id: int) -> Response:
        leaving = user_id == request.user.pk
        workspace = _workspace(request, workspace_id, "view" if leaving else "manage_members")
        membership_remove(
            membership=member_or_404(workspace=workspace, user_id=user_id), actor=request.user
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.CharField()
    invited_by = serializers.EmailField(source="invited_by.email", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()


class WorkspaceInvitationList(generics.GenericAPIView):
    serializer_class = InvitationSerializer

    class InputSerializer(serializers.Serializer):
        emails = serializers.ListField(
            child=serializers.CharField(), allow_empty=False, max_length=50
        )
        role = serializers.ChoiceField(
            choices=[(v, label) for v, label in Role.choices if v != Role.OWNER]
        )

        class Meta:
            ref_name = "InvitationCreate"

    @extend_schema(summary="Pending invitations of a workspace (owners and admins)")
    def get(self, request: Request, workspace_id: int) -> Response:
        workspace = _workspace(request, workspace_id, "invite")
        queryset = pending_invitations(workspace).select_related("invited_by")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: InvitationSerializer(many=True)},
        summary="Invite people by e-mail, all or none (owners and admins)",
    )
    def post(self, request: Request, workspace_id: int) -> Response:
        workspace = _workspace(request, workspace_id, "invite")
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        created = invitations_create(
            workspace=workspace,
            emails=payload.validated_data["emails"],
            role=payload.validated_data["role"],
            actor=request.user,
        )
        return Response(
            InvitationSerializer(created, many=True).data, status=status.HTTP_201_CREATED
        )


def person(user) -> dict | None:
    """How the API names a user: {id, name}, or None."""
    return {"id": user.pk, "name": user.display_name} if user is not None else None


class NotificationSerializer(serializers.ModelSerializer):
    message = serializers.SerializerMethodField(help_text="The sentence, in your language.")
    actor = serializers.SerializerMethodField(help_text="{id, name}, or null.")
    read = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="Where the notification leads.")

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "message",
            "actor",
            "workspace",
            "comment",
            "params",
            "url",
            "read",
            "read_at",
            "created_at",
        ]

    def get_message(self, notification: Notification) -> str:
        return notification_message(notification)

    def get_actor(self, notification: Notification) -> dict | None:
        return person(notification.actor)

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None

    def get_url(self, notification: Notification) -> str:
        return self.context["request"].build_absolute_uri(notification.url or "/")


class NotificationList(generics.GenericAPIView):
    serializer_class = NotificationSerializer

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread ones.")],
        summary="Your notifications, newest first",
    )
    def get(self, request: Request) -> Response:
        unread_only = request.query_params.get("unread", "").lower() in ("1", "true", "yes")
        queryset = notifications_for(user=request.user, unread_only=unread_only)
        page = self.paginate_queryset(queryset)
        response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        response.data["unread"] = unread_count(user=request.user)
        return response


class NotificationRead(APIView):
    @extend_schema(request=None, responses=NotificationSerializer, summary="Mark one as read")
    def post(self, request: Request, notification_id: int) -> Response:
        notification = get_for_user(request.user, Notification, notification_id, "view")
        notification = notification_mark_read(notification=notification, user=request.user)
        return Response(NotificationSerializer(notification, context={"request": request}).data)


class NotificationsReadAll(APIView):
    @extend_schema(
        request=None,
        responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}),
        summary="Mark all your notifications as read",
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": notifications_mark_all_read(user=request.user)})


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="notifications"),
    path("notifications/read-all/", NotificationsReadAll.as_view(), name="notifications-read-all"),
    path(
        "notifications/<int:notification_id>/read/",
        NotificationRead.as_view(),
        name="notification-read",
    ),
    path("workspaces/", WorkspaceList.as_view(), name="workspaces"),
    path(
        "workspaces/<int:workspace_id>/members/",
        WorkspaceMemberList.as_view(),
        name="workspace-members",
    ),
    path(
        "workspaces/<int:workspace_id>/invitations/",
        WorkspaceInvitationList.as_view(),
        name="workspace-invitations",
    ),
    path(
        "workspaces/<int:workspace_id>/members/<int:user_id>/",
        WorkspaceMemberDetail.as_view(),
        name="workspace-member",
    ),
]
