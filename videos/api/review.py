"""/api/v1/ for reviewing: comments on a video's versions, resolving threads, decisions.

Comments belong to teams; the routes that start at a video live here because only the
videos app may look a video up. Same services and permission helper as the pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.api import person
from teams.models import Comment
from teams.permissions import get_for_user
from teams.selectors import thread_comments, thread_roots
from teams.services import review as team_services
from teams.services.review import ensure_comment_author
from videocreator.api import api_datetime

from .. import selectors, services
from ..models import ReviewState, Video, VideoVersion


class CommentSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number")
    author = serializers.SerializerMethodField(help_text="{id, name}, or null.")
    mentions = serializers.SerializerMethodField(help_text="Members mentioned: [{id, name}].")
    resolved = serializers.SerializerMethodField(help_text="Whether the thread is resolved.")
    resolved_by = serializers.SerializerMethodField()
    deleted = serializers.SerializerMethodField()
    depth = serializers.SerializerMethodField(help_text="0 for a thread's first comment.")

    class Meta:
        model = Comment
        fields = [
            "id",
            "version",
            "parent",
            "thread",
            "depth",
            "author",
            "text",
            "time_ms",
            "end_ms",
            "mentions",
            "resolved",
            "resolved_at",
            "resolved_by",
            "created_at",
            "edited_at",
            "deleted",
        ]

    def to_representation(self, comment: Comment) -> dict:
        # A page holds a hundred comments or more, and DRF's walk over the declared fields
        # cost more than the page's queries. The same keys and formats as those fields
        # (tests/videos/test_review_api.py compares both).
        return {
            "id": comment.pk,
            "version": comment.version.number,
            "parent": comment.parent_id,
            "thread": comment.thread_id,
            "depth": self.get_depth(comment),
            "author": self.get_author(comment),
            "text": comment.text,
            "time_ms": comment.time_ms,
            "end_ms": comment.end_ms,
            "mentions": self.get_mentions(comment),
            "resolved": self.get_resolved(comment),
            "resolved_at": api_datetime(comment.resolved_at),
            "resolved_by": self.get_resolved_by(comment),
            "created_at": api_datetime(comment.created_at),
            "edited_at": api_datetime(comment.edited_at),
            "deleted": self.get_deleted(comment),
        }

    def get_author(self, comment: Comment) -> dict | None:
        return person(comment.author)

    def get_mentions(self, comment: Comment) -> list[dict]:
        users = getattr(comment, "mentioned_users", None)
        if users is None:
            users = comment.mentions.all()
        return [person(user) for user in users]

    def get_resolved(self, comment: Comment) -> bool:
        if hasattr(comment, "thread_resolved"):
            return comment.thread_resolved
        root = comment.thread if comment.thread_id else comment
        return root.resolved_at is not None

    def get_resolved_by(self, comment: Comment) -> dict | None:
        return person(comment.resolved_by)

    def get_deleted(self, comment: Comment) -> bool:
        return comment.deleted_at is not None

    def get_depth(self, comment: Comment) -> int | None:
        return getattr(comment, "depth", None)


class ReviewStateSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number")
    reviewed_by = serializers.SerializerMethodField()

    class Meta:
        model = VideoVersion
        fields = ["version", "review_state", "reviewed_by", "reviewed_at", "review_note"]

    def get_reviewed_by(self, version: VideoVersion) -> dict | None:
        return person(version.reviewed_by)


def _video(request: Request, video_id: int, action: str) -> Video:
    return get_for_user(
        request.user,
        Video.objects.select_related("workspace", "current_version"),
        video_id,
        action,
    )


def _version(video: Video, number: object) -> VideoVersion:
    """The version `number` of `video`, or its current one; a clear 400 if there is none."""
    if number in (None, ""):
        version = video.current_version
        if version is None:
            raise ValidationError(
                _("This video has no version yet: render it first."), code="no_version"
            )
        return version
    version = selectors.video_version(video=video, number=number) if str(number).isdigit() else None
    if version is None:
        raise ValidationError(
            {"version": _("This video has no version %(number)s.") % {"number": number}},
            code="no_such_version",
        )
    return version


def _comment(request: Request, comment_id: int, action: str) -> Comment:
    queryset = Comment.objects.select_related(
        "workspace", "version__video", "author", "resolved_by", "thread"
    )
    return get_for_user(request.user, queryset, comment_id, action)


class VideoCommentList(generics.GenericAPIView):
    # The component keeps the name it had as a module-level serializer: clients generate from it.
    @extend_schema_serializer(component_name="CommentCreate")
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=Comment.MAX_LENGTH, trim_whitespace=True)
        time_ms = serializers.IntegerField(
            min_value=0, required=False, allow_null=True, help_text="Needed unless replying."
        )
        end_ms = serializers.IntegerField(min_value=0, required=False, allow_null=True)
        parent = serializers.IntegerField(
            min_value=1, required=False, allow_null=True, help_text="The comment replied to."
        )
        version = serializers.IntegerField(
            min_value=1, required=False, help_text="Version number. Default: the current version."
        )

    serializer_class = CommentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("version", int, description="Default: the current version."),
            OpenApiParameter(
                "resolved", str, enum=["hide"], description="`hide` leaves out resolved threads."
            ),
        ],
        summary="A version's comments in reading order: threads by time, replies under them",
        description=(
            "Paginated by thread: `page_size` (default 50, at most 200) counts threads and "
            "`count` is the number of threads (without the resolved ones under "
            "`resolved=hide`). `results` is flat: each thread's first comment (threads "
            "ordered by `time_ms`, then `created_at`, then `id`) followed by all its replies "
            "depth-first, oldest first, each with its `depth`; so a page holds every reply of "
            "its threads and may hold more than `page_size` comments, and the pages in order "
            "concatenate to the whole reading order."
        ),
    )
    def get(self, request: Request, video_id: int) -> Response:
        video = _video(request, video_id, "view")
        number = request.query_params.get("version")
        version = None
        roots = Comment.objects.none()
        if number not in (None, "") or video.current_version is not None:
            version = _version(video, number)
            hide = request.query_params.get("resolved") == "hide"
            roots = thread_roots(version=version, hide_resolved=hide)
        threads = self.paginate_queryset(roots)  # the page's threads and their count
        comments = thread_comments(version=version, roots=threads) if threads else []
        return self.get_paginated_response(self.get_serializer(comments, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: CommentSerializer},
        summary="Comment on a version, or reply to a comment (viewers and up)",
    )
    def post(self, request: Request, video_id: int) -> Response:
        video = _video(request, video_id, "comment")
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        version = _version(video, data.get("version"))
        comment = team_services.comment_create(
            version=version,
            author=request.user,
            text=data["text"],
            time_ms=data.get("time_ms"),
            end_ms=data.get("end_ms"),
            parent=data.get("parent"),
        )
        comment = _comment(request, comment.pk, "view")
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetail(APIView):
    @extend_schema_serializer(component_name="CommentEdit")
    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=Comment.MAX_LENGTH)

    @extend_schema(responses=CommentSerializer, summary="One comment")
    def get(self, request: Request, comment_id: int) -> Response:
        return Response(CommentSerializer(_comment(request, comment_id, "view")).data)

    @extend_schema(
        request=InputSerializer,
        responses=CommentSerializer,
        summary="Change the text of your own comment",
    )
    def patch(self, request: Request, comment_id: int) -> Response:
        comment = _comment(request, comment_id, "comment")
        ensure_comment_author(comment, request.user)  # 403 before looking at the payload
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        team_services.comment_edit(
            comment=comment, actor=request.user, text=payload.validated_data["text"]
        )
        return Response(CommentSerializer(_comment(request, comment_id, "view")).data)

    @extend_schema(responses={204: None}, summary="Delete your own comment")
    def delete(self, request: Request, comment_id: int) -> Response:
        comment = _comment(request, comment_id, "comment")
        team_services.comment_delete(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentResolve(APIView):
    change = staticmethod(team_services.comment_resolve)

    @extend_schema(
        request=None,
        responses=CommentSerializer,
        summary="Resolve the thread of a comment: its author or an editor",
    )
    def post(self, request: Request, comment_id: int) -> Response:
        comment = _comment(request, comment_id, "comment")
        root = self.change(comment=comment, actor=request.user)
        return Response(CommentSerializer(_comment(request, root.pk, "view")).data)


class CommentUnresolve(CommentResolve):
    change = staticmethod(team_services.comment_unresolve)

    @extend_schema(
        request=None,
        responses=CommentSerializer,
        summary="Reopen the resolved thread of a comment: its author or an editor",
    )
    def post(self, request: Request, comment_id: int) -> Response:
        return super().post(request, comment_id)


class VideoReview(APIView):
    @extend_schema_serializer(component_name="ReviewDecision")
    class InputSerializer(serializers.Serializer):
        decision = serializers.ChoiceField(
            choices=[ReviewState.APPROVED, ReviewState.CHANGES_REQUESTED]
        )
        version = serializers.IntegerField(
            min_value=1, required=False, help_text="Version number. Default: the current version."
        )
        note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")

    @extend_schema(
        request=InputSerializer,
        responses=ReviewStateSerializer,
        summary="Approve a version or request changes (editors and up)",
    )
    def post(self, request: Request, video_id: int) -> Response:
        video = _video(request, video_id, "approve")
        payload = self.InputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        version = services.version_review(
            version=_version(video, data.get("version")),
            decision=data["decision"],
            actor=request.user,
            note=data["note"],
        )
        return Response(ReviewStateSerializer(version).data)
