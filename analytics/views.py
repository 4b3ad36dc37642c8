from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import consent
from .forms import ConsentForm


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_POST
def consent_answer(request: HttpRequest) -> HttpResponse:
    """The consent banner: Accept or Decline, remembered for a year in a cookie. Declining also
    drops the visitor cookie. consent.js sends it with fetch (204); without JS it is a form
    post that returns to the page."""
    form = ConsentForm(request.POST)
    if not form.is_valid():
        message = " ".join(form.errors["choice"])
        return render(request, "400.html", {"message": message}, status=400)
    choice = form.cleaned_data["choice"]
    if request.headers.get("X-Requested-With") == "fetch":
        response: HttpResponse = HttpResponse(status=204)
    else:
        response = HttpResponseRedirect(_back(request))
    consent.set_consent_cookie(response, choice=choice)
    if choice == consent.DECLINED:
        consent.forget_visitor_cookie(response)
    return response
