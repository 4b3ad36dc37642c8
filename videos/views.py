from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


@login_required
def video_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coming_soon.html",
        {
            "title": _("Videos"),
            "summary": _(
                "Here you will make videos from templates, render them and keep every version."
            ),
        },
    )


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coming_soon.html",
        {
            "title": _("Templates"),
            "summary": _(
                "The template library — product showcases, quick tips, quotes, explainers "
                "and statistics — is being built."
            ),
        },
    )


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coming_soon.html",
        {
            "title": _("Schedule"),
            "summary": _(
                "Scheduling to YouTube, Instagram, TikTok, Facebook and X arrives with "
                "connected accounts."
            ),
        },
    )
