import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import absolute_url, error_messages
from teams.models import Membership, Team
from teams.permissions import get_for_user, role_allows
from teams.selectors import current_membership

from . import ledger, selectors, services
from .forms import CheckoutForm, SandboxCardForm, SandboxOutcomeForm, SwitchForm
from .models import CURRENCIES, CheckoutSession, CheckoutStatus, Invoice, Provider
from .models.invoices import local_date
from .money import currency_choices, default_currency
from .providers import get_provider


def _membership(request: HttpRequest, action: str) -> Membership:
    """The current workspace's membership (its role is already loaded): 404 none, 403 no role."""
    membership = current_membership(request=request)
    if membership is None:
        raise Http404
    if not role_allows(membership.role, action):
        raise PermissionDenied
    return membership


def _workspace(request: HttpRequest, action: str) -> Team:
    return _membership(request, action).team


def pricing(request: HttpRequest) -> HttpResponse:
    currency = request.GET.get("currency", "").upper()
    if currency not in CURRENCIES:
        currency = default_currency()
    period = "year" if request.GET.get("period") == "year" else "month"
    membership = current_membership(request=request)
    workspace = membership.team if membership else None
    context = {
        **selectors.pricing_context(currency=currency, period=period),
        "currencies": currency_choices(),
        "workspace": workspace,
        "can_buy": membership is not None and membership.role == "owner",
        "subscription": services.subscription_for(workspace) if workspace else None,
        # A discount given to this workspace (a referral's), applied to a monthly checkout.
        "set_aside_coupon": ledger.coupon_set_aside(workspace=workspace) if workspace else None,
        "form": CheckoutForm(initial={"currency": currency}),
    }
    return render(request, "billing/pricing.html", context)


@login_required
def billing_page(request: HttpRequest) -> HttpResponse:
    membership = _membership(request, "view_billing")
    context = selectors.billing_page_context(workspace=membership.team, role=membership.role)
    return render(request, "billing/page.html", context)


@login_required
@require_POST
def checkout_start(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request, "billing")
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        error_messages(request, form.errors)
        return redirect("billing:pricing")
    try:
        session = services.checkout_start(
            workspace=workspace,
            plan=form.cleaned_data["plan"],
            currency=form.cleaned_data["currency"],
            actor=request.user,
            coupon_code=form.cleaned_data["coupon"],
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect(reverse("billing:pricing") + f"?currency={form.cleaned_data['currency']}")
    return redirect(session.url)


@login_required
def checkout_return(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """Where Stripe Checkout sends the owner back; the webhook may still be on its way."""
    session = get_for_user(request.user, CheckoutSession, session_id, "billing")
    if session.status == CheckoutStatus.COMPLETED:
        messages.success(
            request,
            _("Thank you! Your workspace is now on %(plan)s.") % {"plan": session.plan.name},
        )
        return redirect("billing:page")
    return render(request, "billing/checkout_return.html", {"session": session})


@login_required
@require_POST
def subscription_cancel(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request, "billing")
    try:
        subscription = services.subscription_cancel(
            subscription=services.subscription_for(workspace), actor=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("Your plan is cancelled and stays active until %(date)s.")
            % {"date": local_date(subscription.current_period_end)},
        )
    return redirect("billing:page")


@login_required
@require_POST
def subscription_resume(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request, "billing")
    try:
        services.subscription_resume(
            subscription=services.subscription_for(workspace), actor=request.user
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(request, _("Your plan will renew as before."))
    return redirect("billing:page")


@login_required
@require_POST
def subscription_switch(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request, "billing")
    form = SwitchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the other billing period to switch to."))
        return redirect("billing:page")
    try:
        invoice = services.subscription_switch(
            subscription=services.subscription_for(workspace),
            plan=form.cleaned_data["plan"],
            actor=request.user,
        )
    except ValidationError as error:
        error_messages(request, error)
    else:
        messages.success(
            request,
            _("Switched to %(plan)s. Invoice %(number)s includes the credit for unused time.")
            % {"plan": invoice.plan.name, "number": invoice.number},
        )
    return redirect("billing:page")


@login_required
def manage_payment_method(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request, "billing")
    subscription = services.subscription_for(workspace)
    if not subscription.is_paid:
        messages.error(request, _("There is no payment method to manage on the Free plan."))
        return redirect("billing:page")
    try:
        url = get_provider(subscription.provider).manage_payment_url(
            subscription, return_url=absolute_url("billing:page")
        )
    except ValidationError as error:
        error_messages(request, error)
        return redirect("billing:page")
    return redirect(url)


@login_required
def invoice_detail(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = get_for_user(
        request.user,
        selectors.invoices_with_lines(
            Invoice.objects.select_related("workspace", "plan", "coupon")
        ),
        invoice_id,
        "billing",
    )
    return render(request, "billing/invoice.html", {"invoice": invoice})


@login_required
def sandbox_checkout(request: HttpRequest, session_id: uuid.UUID) -> HttpResponse:
    """The clearly labelled test checkout: make the payment succeed or fail."""
    session = get_for_user(
        request.user,
        CheckoutSession.objects.select_related("plan", "coupon"),
        session_id,
        "billing",
    )
    if session.provider != Provider.SANDBOX:
        raise Http404
    if session.status != CheckoutStatus.OPEN:
        messages.info(request, _("This checkout is already finished."))
        return redirect("billing:page")
    if request.method == "POST":
        form = SandboxOutcomeForm(request.POST)
        if not form.is_valid():
            error_messages(request, form.errors)
        elif form.cleaned_data["outcome"] == "succeed":
            services.checkout_complete(
                session=session, provider_payment_id=f"sbx_pay_{uuid.uuid4().hex}"
            )
            messages.success(
                request,
                _("Thank you! Your workspace is now on %(plan)s.") % {"plan": session.plan.name},
            )
            return redirect("billing:page")
        else:
            services.checkout_fail(
                session=session,
                provider_payment_id=f"sbx_pay_{uuid.uuid4().hex}",
                reason=_("Your card was declined (sandbox)."),
            )
            messages.error(
                request,
                _("The payment was declined. Nothing was charged and your plan is unchanged."),
            )
            return redirect("billing:pricing")
    draft = services.checkout_preview(
        workspace=session.workspace,
        plan=session.plan,
        currency=session.currency,
        coupon=session.coupon,
    )
    return render(request, "billing/sandbox_checkout.html", {"session": session, "draft": draft})


@login_required
def sandbox_payment_method(request: HttpRequest) -> HttpResponse:
    workspace = _workspace(request, "billing")
    subscription = services.subscription_for(workspace)
    if subscription.provider != Provider.SANDBOX:
        raise Http404
    form = SandboxCardForm(
        request.POST or None, initial={"card": subscription.sandbox_card or "ok"}
    )
    if request.method == "POST" and form.is_valid():
        services.sandbox_card_set(
            subscription=subscription, card=form.cleaned_data["card"], actor=request.user
        )
        messages.success(request, _("The test card on file was updated."))
        return redirect("billing:page")
    return render(request, "billing/sandbox_payment_method.html", {"form": form})
