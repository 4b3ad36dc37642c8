"""The status e-mails' unsubscribe link: signed, so it works without signing in, and answers a
mail client's one-click POST (RFC 8058, `List-Unsubscribe-Post`)."""

from __future__ import annotations

from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from accounts.models import User

from . import services
from .models import FeatureRequest

SALT = "feedback.unsubscribe"


def unsubscribe_token(*, user: User, feature_request: FeatureRequest) -> str:
    # No expiry: an old e-mail's link should still stop the e-mails.
    return signing.dumps([user.pk, feature_request.pk], salt=SALT)


def _subject(token: str) -> tuple[User, FeatureRequest]:
    try:
        user_id, request_id = signing.loads(token, salt=SALT)
        return User.objects.get(pk=user_id), FeatureRequest.objects.get(pk=request_id)
    except (
        signing.BadSignature,
        ValueError,
        TypeError,
        User.DoesNotExist,
        FeatureRequest.DoesNotExist,
    ):
        raise Http404 from None


# The signature is the authorisation, and a mail client's one-click POST carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    user, feature_request = _subject(token)
    done = request.method == "POST"
    if done:
        services.feature_request_subscribe(
            feature_request=feature_request, user=user, subscribed=False
        )
    return render(
        request, "feedback/unsubscribe.html", {"feature_request": feature_request, "done": done}
    )
