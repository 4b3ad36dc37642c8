"""The project's URLs plus a one-line signed-in view: the floor every page is measured against."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone, translation


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{translation.get_language()} {timezone.get_current_timezone_name()}")


urlpatterns = [
    path("floor/", floor, name="floor"),
    path("", include("videocreator.urls")),
]
