"""The project's URLs plus a one-line signed-in view, the floor every page is measured against,
and an empty page on the site's base template, which says what the header and footer cost."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path
from django.utils import timezone, translation


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse(f"{translation.get_language()} {timezone.get_current_timezone_name()}")


@login_required
def chrome(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


urlpatterns = [
    path("floor/", floor, name="floor"),
    path("floor/chrome/", chrome, name="floor_chrome"),
    path("", include("videocreator.urls")),
]
