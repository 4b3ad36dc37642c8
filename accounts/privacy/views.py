"""The privacy settings page: ask for your data, download the ZIP, delete the account."""

from __future__ import annotations

from allauth.core import ratelimit
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.http import error_messages

from . import providers
from .deletion import account_delete as delete_account
from .deletion import account_deletion_blockers
from .exports import data_export_request as request_data_export
from .forms import AccountDeleteForm, DataExportForm
from .models import DataExport
from .selectors import download_response, latest_export


def _page(request: HttpRequest, form: AccountDeleteForm, *, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "export": latest_export(user),
        "blockers": account_deletion_blockers(user=user),
        "notes": providers.deletion_notes(user=user),
        "delete_form": form,
    }
    return render(request, "accounts/privacy.html", context, status=status)


@login_required
@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return _page(request, AccountDeleteForm())


@login_required
@require_POST
def data_export_request(request: HttpRequest) -> HttpResponse:
    form = DataExportForm(request.POST)
    if not form.is_valid():  # pragma: no cover - the form has no fields
        error_messages(request, form.errors)
        return redirect("accounts:privacy")
    _export, created = request_data_export(user=request.user)
    if created:
        messages.success(
            request, _("We are preparing your data. We will e-mail you when the ZIP is ready.")
        )
    else:
        messages.info(request, _("Your data is already being prepared."))
    return redirect("accounts:privacy")


@login_required
@require_GET
def data_export_status(request: HttpRequest) -> HttpResponse:
    """The export's part of the page, which htmx asks for again while the ZIP is being built."""
    return render(request, "accounts/_data_export.html", {"export": latest_export(request.user)})


@login_required
@require_GET
def data_export_download(request: HttpRequest, data_export_id) -> HttpResponse:
    # Only the person's own export: anyone else's is simply not found.
    export = get_object_or_404(DataExport, pk=data_export_id, user=request.user)
    return download_response(export)


@login_required
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    # Guessing the password through this form is limited like any other re-authentication.
    if not ratelimit.consume(request, action="reauthenticate", user=request.user):
        form.add_error("password", _("Too many attempts. Wait a minute, then try again."))
        return _page(request, form, status=429)
    try:
        delete_account(user=request.user, password=form.cleaned_data["password"])
    except ValidationError as error:
        wrong_password = getattr(error, "code", None) == "password"
        form.add_error("password" if wrong_password else None, error)
        return _page(request, form, status=400)
    logout(request)
    messages.success(
        request,
        _("Your account was deleted. A confirmation is on its way to your e-mail address."),
    )
    return redirect("home")
