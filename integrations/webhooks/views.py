"""The webhook pages: a workspace's endpoints, one endpoint with its deliveries, one delivery,
the actions on them (owners and admins: "manage_webhooks"), and the event types' reference.

A POST action redirects back to the endpoint with a message; a form with bad input is shown
again with its errors (400) and nothing changes. A signing secret is shown on the endpoint's page
once after it was made, rotated or asked for (a flag in the session, never the secret itself).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import error_messages
from teams.permissions import get_for_user, workspace_for_page

from . import catalogue, selectors, services, signing
from .forms import DeliveryFilterForm, EndpointForm, RecoverForm, default_recover_since
from .models import Delivery, Endpoint, EndpointStatus

PER_PAGE = 25
SECRET_SESSION_KEY = "webhooks_show_secret"  # noqa: S105 (a session key, not a secret)
SHOW_CREATED, SHOW_ROTATED, SHOW_REVEALED = "created", "rotated", "revealed"


def _pretty(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _success_percent(stats: selectors.EndpointStats) -> float | None:
    rate = stats.success_rate
    return None if rate is None else round(rate * 100, 1)


def _event_type_groups(form: EndpointForm) -> list[dict]:
    """The form's event types grouped by what they are about ("video", "payment"), each with
    its description and whether it is ticked."""
    chosen = form.chosen_event_types()
    groups: dict[str, list[dict]] = {}
    for key, _label in form.fields["event_types"].choices:
        groups.setdefault(key.split(".", 1)[0], []).append(
            {
                "key": key,
                "description": catalogue.EVENT_TYPES[key].description,
                "checked": key in chosen,
            }
        )
    return [{"name": name, "types": types} for name, types in groups.items()]


def _show_secret_once(request: HttpRequest, endpoint: Endpoint, why: str) -> None:
    request.session[SECRET_SESSION_KEY] = {"endpoint": endpoint.pk, "why": why}


def _secret_shown_why(request: HttpRequest, endpoint: Endpoint) -> str | None:
    """Why this page shows the endpoint's secret (once), or None."""
    flag = request.session.get(SECRET_SESSION_KEY)
    if not isinstance(flag, dict) or flag.get("endpoint") != endpoint.pk:
        return None
    del request.session[SECRET_SESSION_KEY]
    return flag.get("why")


def _endpoint(request: HttpRequest, endpoint_id: int) -> Endpoint:
    return get_for_user(request.user, Endpoint, endpoint_id, "manage_webhooks")


def _back(endpoint: Endpoint) -> HttpResponse:
    return redirect("webhooks:endpoint", endpoint.pk)


def _list_url(workspace_id: int) -> str:
    return f"{reverse('webhooks:list')}?workspace={workspace_id}"


# -- pages ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_list(request: HttpRequest) -> HttpResponse:
    """The workspace's endpoints with their statistics, and the form to add one."""
    workspace = workspace_for_page(request, "manage_webhooks").team
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            endpoint = services.endpoint_create(
                workspace=workspace,
                actor=request.user,
                url=data["url"],
                description=data["description"],
                event_types=data["event_types"],
                headers=data["headers"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _show_secret_once(request, endpoint, SHOW_CREATED)
            messages.success(request, _("Endpoint added. Copy its signing secret below now."))
            return _back(endpoint)
    rows = [
        {"endpoint": endpoint, "stats": stats, "success": _success_percent(stats)}
        for endpoint in selectors.endpoints_for(workspace=workspace)
        for stats in [selectors.stats_of(endpoint)]
    ]
    context = {
        "workspace": workspace,
        "rows": rows,
        "form": form,
        "event_type_groups": _event_type_groups(form),
    }
    return render(request, "webhooks/list.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def endpoint_page(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    return _endpoint_page(request, _endpoint(request, endpoint_id))


def _endpoint_page(
    request: HttpRequest, endpoint: Endpoint, *, recover_form: RecoverForm | None = None
) -> HttpResponse:
    """The endpoint's settings, statistics, actions and deliveries (filtered, paginated)."""
    filter_form = DeliveryFilterForm(request.GET)
    status = filter_form.status_or_none()
    deliveries = selectors.deliveries_for(endpoint=endpoint, status=status)
    page = Paginator(deliveries, PER_PAGE).get_page(request.GET.get("page"))
    stats = selectors.stats_of(endpoint)
    why = _secret_shown_why(request, endpoint)
    expires = endpoint.previous_secret_expires_at
    context = {
        "endpoint": endpoint,
        "stats": stats,
        "success": _success_percent(stats),
        "headers": signing.custom_headers(endpoint),
        "page": page,
        "status_filter": status or "",
        "filter_form": filter_form,
        "recover_form": recover_form or RecoverForm(initial={"since": default_recover_since()}),
        "secret_why": why,
        "secret": endpoint.secret if why else "",
        "rotating_until": expires if expires and expires > timezone.now() else None,
    }
    response = render(
        request,
        "webhooks/endpoint.html",
        context,
        status=400 if recover_form is not None else 200,
    )
    if why:
        add_never_cache_headers(response)  # no copy of the secret in any cache
    return response


@login_required
@require_GET
def delivery_page(request: HttpRequest, endpoint_id: int, delivery_id: uuid.UUID) -> HttpResponse:
    """One delivery: its payload as sent, and every attempt."""
    endpoint = _endpoint(request, endpoint_id)
    delivery = get_object_or_404(Delivery.objects.filter(endpoint=endpoint), pk=delivery_id)
    payload = selectors.delivery_payload(delivery.body)
    context = {
        "endpoint": endpoint,
        "delivery": delivery,
        "payload": _pretty(payload) if payload else delivery.body,
        "attempts": delivery.attempt_log.all(),
    }
    return render(request, "webhooks/delivery.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint_edit(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    form = EndpointForm(request.POST if request.method == "POST" else None, endpoint=endpoint)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            services.endpoint_update(
                endpoint=endpoint,
                actor=request.user,
                url=data["url"],
                description=data["description"],
                event_types=data["event_types"],
                headers=data["headers"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Endpoint saved."))
            return _back(endpoint)
    context = {"endpoint": endpoint, "form": form, "event_type_groups": _event_type_groups(form)}
    return render(request, "webhooks/edit.html", context, status=400 if form.is_bound else 200)


@login_required
@require_GET
def event_types(request: HttpRequest) -> HttpResponse:
    """Every event type with its description and a sample payload; for any signed-in person."""
    kinds = [
        {
            "key": kind.key,
            "description": kind.description,
            "sample": _pretty(catalogue.sample_payload(kind)),
        }
        for kind in [*catalogue.EVENT_TYPES.values(), catalogue.TEST_EVENT]
    ]
    context = {
        "kinds": kinds,
        "test_event_type": catalogue.TEST_EVENT_TYPE,
        "schemas_url": reverse("api:api-root") + "webhooks/event-types/",
    }
    return render(request, "webhooks/event_types.html", context)


# -- actions --------------------------------------------------------------------------------------


def _act(request: HttpRequest, endpoint: Endpoint, act: Callable[[], str]) -> HttpResponse:
    """Run one service call; its message (or its refusal) shows on the endpoint's page."""
    try:
        text = act()
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, text)
    return _back(endpoint)


@login_required
@require_POST
def endpoint_test(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)

    def act() -> str:
        services.endpoint_send_test(endpoint=endpoint, actor=request.user)
        return _("A test event is on its way; its delivery is at the top of the list below.")

    return _act(request, endpoint, act)


@login_required
@require_POST
def delivery_resend(request: HttpRequest, endpoint_id: int, delivery_id: uuid.UUID) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    delivery = get_object_or_404(Delivery.objects.filter(endpoint=endpoint), pk=delivery_id)

    def act() -> str:
        services.delivery_resend(delivery=delivery, actor=request.user)
        return _("Delivery %(id)s is being sent again.") % {"id": delivery.message_id}

    return _act(request, endpoint, act)


@login_required
@require_POST
def endpoint_recover(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """Send again the deliveries that failed since a moment on the reader's wall clock."""
    endpoint = _endpoint(request, endpoint_id)
    form = RecoverForm(request.POST)
    if not form.is_valid():
        return _endpoint_page(request, endpoint, recover_form=form)
    try:
        count = services.deliveries_recover(
            endpoint=endpoint, actor=request.user, since=form.cleaned_data["since"]
        )
    except ValidationError as error:
        form.add_error("since", error)
        return _endpoint_page(request, endpoint, recover_form=form)
    if count:
        text = ngettext(
            "%(count)d failed delivery is being sent again.",
            "%(count)d failed deliveries are being sent again.",
            count,
        ) % {"count": count}
    else:
        text = _("No delivery failed since then: nothing to recover.")
    messages.success(request, text)
    return _back(endpoint)


def _set_status(request: HttpRequest, endpoint_id: int, status: str, text: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)

    def act() -> str:
        services.endpoint_set_status(endpoint=endpoint, actor=request.user, status=status)
        return text

    return _act(request, endpoint, act)


@login_required
@require_POST
def endpoint_pause(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    text = _("Endpoint paused. New deliveries wait until you resume it.")
    return _set_status(request, endpoint_id, EndpointStatus.PAUSED, text)


@login_required
@require_POST
def endpoint_resume(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    text = _("Endpoint active. Waiting deliveries go out now.")
    return _set_status(request, endpoint_id, EndpointStatus.ACTIVE, text)


@login_required
@require_POST
def endpoint_disable(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    text = _(
        "Endpoint disabled: no deliveries are made for it. Deliveries that were waiting "
        "failed; recover them once you enable it again."
    )
    return _set_status(request, endpoint_id, EndpointStatus.DISABLED, text)


@login_required
@require_POST
def endpoint_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)

    def act() -> str:
        services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
        _show_secret_once(request, endpoint, SHOW_ROTATED)
        return _("New signing secret made. The old one keeps signing beside it for 24 hours.")

    return _act(request, endpoint, act)


@login_required
@require_POST
def endpoint_secret(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """Show the signing secret once more, on the endpoint's page."""
    endpoint = _endpoint(request, endpoint_id)
    _show_secret_once(request, endpoint, SHOW_REVEALED)
    return _back(endpoint)


@login_required
@require_POST
def endpoint_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    workspace_id, url = endpoint.workspace_id, endpoint.url
    try:
        services.endpoint_delete(endpoint=endpoint, actor=request.user)
    except ValidationError as error:
        error_messages(request, error)
        return _back(endpoint)
    messages.success(request, _("Endpoint %(url)s deleted.") % {"url": url})
    return redirect(_list_url(workspace_id))
