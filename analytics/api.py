"""POST /api/v1/events/batch/: client events from browsers and integrations (analytics.ingest)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import authentication, exceptions, permissions, serializers, throttling
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from videocreator.parsers import JSONParser

from .consent import VISITOR_COOKIE, tracking_of
from .ingest import ANONYMOUS_ID_PATTERN, ERROR_CODES, MAX_EVENTS, NAME_PATTERN, events_ingest

# -- who may send -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitorCredential:
    """`request.auth` of an anonymous browser that holds a visitor cookie."""

    visitor_id: str


class VisitorCookieAuthentication(authentication.SessionAuthentication):
    """An anonymous browser known by its `vc_vid` cookie, while tracking is allowed (no DNT or
    GPC, not declined). CSRF is enforced as for a session: the cookie rides along with any
    same-site request."""

    def authenticate(self, request: Request):
        decision = tracking_of(request._request)
        if not (decision.allowed and decision.visitor_id):
            return None
        self.enforce_csrf(request)
        return AnonymousUser(), VisitorCredential(decision.visitor_id)


class VisitorCookieScheme(OpenApiAuthenticationExtension):
    target_class = "analytics.api.VisitorCookieAuthentication"
    name = "visitorCookie"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": VISITOR_COOKIE}


class IsSignedInOrVisitor(permissions.BasePermission):
    def has_permission(self, request: Request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) or isinstance(
            request.auth, VisitorCredential
        )


# -- how often ----------------------------------------------------------------------------------


class _EventsThrottle(throttling.SimpleRateThrottle):
    def get_rate(self) -> str | None:
        # Read when used, so a changed setting (and a test's) applies without a restart.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class EventsSenderThrottle(_EventsThrottle):
    """Per API token (each of a person's tokens on its own), or per signed-in browser user."""

    scope = "events_sender"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        token_pk = getattr(request.auth, "pk", None)
        ident = f"token-{token_pk}" if token_pk is not None else f"user-{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class EventsVisitorThrottle(_EventsThrottle):
    """Per anonymous visitor (the IP-based anonymous limit applies as well)."""

    scope = "events_visitor"

    def get_cache_key(self, request: Request, view) -> str | None:
        if not isinstance(request.auth, VisitorCredential):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.visitor_id}


# -- the documented shapes (items are checked by analytics.ingest, not by these) ---------------


class EventItemSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(help_text="Made by the client; the same uuid is stored once.")
    name = serializers.RegexField(
        NAME_PATTERN,
        max_length=100,
        help_text="Not one of the names Video Creator records itself (those are refused).",
    )
    occurred_at = serializers.DateTimeField(
        help_text="ISO 8601 with a time zone; at most 5 minutes ahead, at most 30 days old."
    )
    properties = serializers.DictField(
        required=False,
        help_text="A JSON object: at most 8 KB serialized, nested at most 10 levels.",
    )
    anonymous_id = serializers.RegexField(
        ANONYMOUS_ID_PATTERN,
        required=False,
        help_text="Defaults to the browser's visitor cookie; a browser may send only its own.",
    )


class ItemErrorSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The item's position in `events`, from 0.")
    uuid = serializers.CharField(allow_null=True)
    code = serializers.ChoiceField(choices=ERROR_CODES)
    message = serializers.CharField(help_text="In the request's language.")


class BatchResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="Items stored now.")
    duplicates = serializers.IntegerField(help_text="Items whose uuid was already stored.")
    errors = ItemErrorSerializer(many=True, help_text="Items refused; refused again if resent.")


class EventsBatchView(APIView):
    authentication_classes = [
        *api_settings.DEFAULT_AUTHENTICATION_CLASSES,
        VisitorCookieAuthentication,
    ]
    permission_classes = [IsSignedInOrVisitor]
    throttle_classes = [
        *api_settings.DEFAULT_THROTTLE_CLASSES,
        EventsSenderThrottle,
        EventsVisitorThrottle,
    ]
    parser_classes = [JSONParser]

    class InputSerializer(serializers.Serializer):
        events = EventItemSerializer(many=True, max_length=MAX_EVENTS)

        class Meta:
            ref_name = "EventsBatch"

    def throttled(self, request: Request, wait: float | None) -> None:
        seconds = max(1, round(wait or 1))
        error = exceptions.Throttled(
            detail=ngettext(
                "Too many events were sent. Try again in %(seconds)d second.",
                "Too many events were sent. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds}
        )
        error.wait = wait  # the Retry-After header, without DRF's English sentence
        raise error

    @extend_schema(
        request=InputSerializer,
        responses={
            200: BatchResultSerializer,
            400: OpenApiResponse(description='Not {"events": [...]}, or more than 500 items.'),
            403: OpenApiResponse(description="No API token, session or visitor cookie."),
            429: OpenApiResponse(description="Too many batches from this sender or visitor."),
        },
        summary="Record a batch of client events (at most 500)",
        description=(
            "Each item is checked on its own: the good ones are stored, the others listed in "
            "`errors` with their index, a code and a message. An item whose uuid is already "
            "stored counts as a duplicate, not an error, so a batch may be sent again safely. "
            "Authenticated by an API token, a session (with the CSRF token), or, for an "
            "anonymous browser, its visitor cookie."
        ),
    )
    def post(self, request: Request) -> Response:
        data = request.data
        items = data.get("events") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise exceptions.ValidationError(
                _('Send a JSON object {"events": [...]} with a list of events.'), code="invalid"
            )
        if len(items) > MAX_EVENTS:
            raise exceptions.ValidationError(
                _("At most %(limit)d events may be sent at once.") % {"limit": MAX_EVENTS},
                code="too_many_events",
            )
        visitor = request.auth if isinstance(request.auth, VisitorCredential) else None
        if visitor is None:
            decision = tracking_of(request._request)
            anonymous_id = (decision.visitor_id or "") if decision.allowed else ""
        else:
            anonymous_id = visitor.visitor_id
        result = events_ingest(
            items=items,
            actor=request.user if request.user.is_authenticated else None,
            anonymous_id=anonymous_id,
            own_anonymous_id_only=visitor is not None,
        )
        return Response(result.as_dict())


urlpatterns = [path("events/batch/", EventsBatchView.as_view(), name="events-batch")]
