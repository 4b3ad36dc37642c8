from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "coming_soon.html",
        {
            "title": _("Analytics"),
            "summary": _(
                "Views, engagement and growth of your published videos will be shown here."
            ),
        },
    )
