"""The notification bell's pages: the list, opening one, marking read, and preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import error_messages

from .forms import NotificationPreferencesForm
from .models import Notification, NotificationKind
from .notification_messages import notification_message
from .permissions import get_for_user
from .selectors import notifications_for, preferences_for
from .services.notifications import (
    notification_mark_read,
    notification_preferences_update,
    notifications_mark_all_read,
)

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = Paginator(
        notifications_for(user=request.user, unread_only=unread_only), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [{"notification": n, "message": notification_message(n)} for n in page]
    context = {"page": page, "rows": rows, "unread_only": unread_only}
    return render(request, "teams/notifications.html", context)


@login_required
@require_GET
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification to what it is about, marking it read on the way."""
    notification = get_for_user(request.user, Notification, notification_id, "view")
    notification_mark_read(notification=notification, user=request.user)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("teams:notifications")
    return redirect(target)


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = get_for_user(request.user, Notification, notification_id, "view")
    notification_mark_read(notification=notification, user=request.user)
    return redirect("teams:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("teams:notifications")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = NotificationPreferencesForm(request.POST)
        if not form.is_valid():
            error_messages(request, form.errors)
            return redirect("teams:notification_preferences")
        notification_preferences_update(
            user=request.user,
            in_app=set(form.cleaned_data["in_app"]),
            email=set(form.cleaned_data["email"]),
        )
        messages.success(request, _("Notification settings saved."))
        return redirect("teams:notification_preferences")
    preference = preferences_for(request.user)
    rows = [
        {
            "kind": kind,
            "label": label,
            "in_app": preference.wants(kind, "in_app"),
            "email": preference.wants(kind, "email"),
        }
        for kind, label in NotificationKind.choices
    ]
    return render(request, "teams/notification_preferences.html", {"rows": rows})
