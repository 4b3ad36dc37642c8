"""Billing in the admin: plans and coupons are edited here; the ledger is read here.

Invoices, payments, subscription history and Stripe events are records of what
happened, so their money and state fields are read-only; changes go through the
billing services. Stored Stripe events can be replayed.
"""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from . import services
from .models import (
    BillingNotice,
    CheckoutSession,
    Coupon,
    CouponRedemption,
    Credit,
    DunningNotice,
    Invoice,
    InvoiceLine,
    Payment,
    PaymentStatus,
    Plan,
    PlanPrice,
    Provider,
    StripeEvent,
    Subscription,
    SubscriptionChange,
    WebhookEventStatus,
)
from .webhooks import stripe_event_process


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class RecordAdmin(admin.ModelAdmin):
    """A ledger record: staff read it; the billing services write it."""

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# -- plans -----------------------------------------------------------------------------------


class PlanPriceInline(admin.TabularInline):
    model = PlanPrice
    extra = 0


@admin.register(Plan)
class PlanAdmin(TranslationAdmin):
    list_display = ["key", "name", "tier", "interval", "is_public", "sort_order"]
    list_filter = ["tier", "interval", "is_public"]
    search_fields = ["key", "name"]
    inlines = [PlanPriceInline]


@admin.register(PlanPrice)
class PlanPriceAdmin(admin.ModelAdmin):
    list_display = ["plan", "currency", "amount"]
    list_filter = ["currency", "plan"]
    search_fields = ["plan__key", "plan__name"]
    list_select_related = ["plan"]


# -- subscriptions ---------------------------------------------------------------------------


class SubscriptionChangeInline(ReadOnlyInline):
    model = SubscriptionChange
    fields = ["created_at", "kind", "from_plan", "to_plan", "actor", "details"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "workspace",
        "plan",
        "status",
        "currency",
        "current_period_end",
        "cancel_at_period_end",
        "provider",
        "updated_at",
    ]
    list_filter = ["status", "plan", "provider", "cancel_at_period_end", "currency"]
    search_fields = [
        "workspace__name",
        "workspace__created_by__email",
        "provider_customer_id",
        "provider_subscription_id",
    ]
    list_select_related = ["workspace", "plan"]
    readonly_fields = [
        "workspace",
        "plan",
        "status",
        "currency",
        "current_period_start",
        "current_period_end",
        "cancel_at_period_end",
        "canceled_at",
        "provider",
        "provider_customer_id",
        "provider_subscription_id",
        "payment_failed_at",
        "retry_count",
        "next_retry_at",
        "created_at",
        "updated_at",
    ]
    inlines = [SubscriptionChangeInline]

    def has_add_permission(self, request) -> bool:
        return False  # every workspace gets its subscription (on Free) when it is created

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SubscriptionChange)
class SubscriptionChangeAdmin(RecordAdmin):
    list_display = ["subscription", "kind", "from_plan", "to_plan", "actor", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["subscription__workspace__name", "actor__email"]
    list_select_related = [
        "subscription__workspace",
        "subscription__plan",
        "from_plan",
        "to_plan",
        "actor",
    ]
    date_hierarchy = "created_at"


# -- invoices and payments -------------------------------------------------------------------


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ["kind", "plan", "description", "amount", "period_start", "period_end"]
    readonly_fields = fields
    show_change_link = False


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = [
        "created_at",
        "status",
        "amount",
        "currency",
        "provider",
        "provider_payment_id",
        "failure_reason",
    ]
    readonly_fields = fields
    ordering = ["-created_at"]


@admin.register(Invoice)
class InvoiceAdmin(RecordAdmin):
    list_display = [
        "number",
        "workspace",
        "plan",
        "reason",
        "status",
        "total",
        "currency",
        "issued_at",
        "paid_at",
    ]
    list_filter = ["status", "reason", "currency", "provider", "issued_at"]
    search_fields = ["number", "workspace__name", "provider_invoice_id"]
    list_select_related = ["workspace", "plan"]
    date_hierarchy = "issued_at"
    inlines = [InvoiceLineInline, PaymentInline]


@admin.register(Payment)
class PaymentAdmin(RecordAdmin):
    list_display = [
        "created_at",
        "workspace",
        "invoice",
        "status",
        "amount",
        "currency",
        "provider",
        "provider_payment_id",
    ]
    list_filter = ["status", "provider", "currency", "created_at"]
    search_fields = ["provider_payment_id", "workspace__name", "invoice__number"]
    list_select_related = ["workspace", "invoice"]
    date_hierarchy = "created_at"
    actions = ["refund_sandbox_payments"]

    @admin.action(description=_("Refund selected sandbox payments in full"), permissions=["change"])
    def refund_sandbox_payments(self, request, queryset) -> None:
        # Stripe payments are refunded in the Stripe dashboard; its charge.refunded event
        # records them here.
        refunded = skipped = 0
        for payment in queryset.select_related("invoice"):
            if payment.provider != Provider.SANDBOX or payment.status != PaymentStatus.SUCCEEDED:
                skipped += 1
                continue
            services.payment_record_refund(
                payment=payment, refunded_total=payment.amount, actor=request.user
            )
            refunded += 1
        self.message_user(
            request,
            _("Refunded: %(refunded)d. Skipped (not a paid sandbox payment): %(skipped)d.")
            % {"refunded": refunded, "skipped": skipped},
            messages.SUCCESS if refunded else messages.WARNING,
        )


# -- coupons and credits ---------------------------------------------------------------------


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "percent_off",
        "amount_off",
        "currency",
        "duration",
        "duration_months",
        "max_redemptions",
        "valid_until",
        "is_active",
    ]
    list_filter = ["is_active", "duration", "currency"]
    search_fields = ["code", "name"]
    date_hierarchy = "created_at"


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(RecordAdmin):
    list_display = ["coupon", "workspace", "invoices_applied", "redeemed_at"]
    list_filter = ["coupon"]
    search_fields = ["coupon__code", "workspace__name"]
    list_select_related = ["coupon", "workspace"]


class CreditAddForm(forms.ModelForm):
    class Meta:
        model = Credit
        fields = ["workspace", "amount", "currency", "reason"]

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if not amount:
            raise ValidationError(_("A credit must be a positive amount."))
        return amount


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["workspace", "amount", "remaining", "currency", "reason", "created_at"]
    list_filter = ["currency", "created_at"]
    search_fields = ["workspace__name", "reason", "idempotency_key"]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace"]
    date_hierarchy = "created_at"

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = CreditAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["workspace", "amount", "currency", "reason"]
        return [
            "workspace",
            "amount",
            "remaining",
            "currency",
            "reason",
            "idempotency_key",
            "created_at",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["workspace", "amount", "remaining", "currency", "idempotency_key", "created_at"]

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new credit goes through the service, so the grant is recorded like any other.
        credit = services.credit_grant(
            workspace=obj.workspace,
            amount=obj.amount,
            currency=obj.currency,
            reason=obj.reason,
            idempotency_key=f"admin:{request.user.pk}:{uuid.uuid4()}",
        )
        obj.pk = credit.pk
        obj.remaining = credit.remaining
        obj.idempotency_key = credit.idempotency_key
        obj.created_at = credit.created_at

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# -- checkout and dunning --------------------------------------------------------------------


@admin.register(CheckoutSession)
class CheckoutSessionAdmin(RecordAdmin):
    list_display = [
        "id",
        "workspace",
        "plan",
        "currency",
        "coupon",
        "provider",
        "status",
        "created_at",
        "completed_at",
    ]
    list_filter = ["status", "provider", "currency", "created_at"]
    search_fields = ["=id", "workspace__name", "created_by__email", "provider_session_id"]
    list_select_related = ["workspace", "plan", "coupon"]
    date_hierarchy = "created_at"


@admin.register(DunningNotice)
class DunningNoticeAdmin(RecordAdmin):
    list_display = ["invoice", "subscription", "kind", "created_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["invoice__number", "subscription__workspace__name"]
    list_select_related = ["invoice", "subscription__workspace", "subscription__plan"]


@admin.register(BillingNotice)
class BillingNoticeAdmin(RecordAdmin):
    list_display = ["kind", "subscription", "invoice", "created_at", "emailed_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["invoice__number", "subscription__workspace__name"]
    list_select_related = ["invoice", "subscription__workspace", "subscription__plan"]


# -- Stripe events ---------------------------------------------------------------------------


@admin.register(StripeEvent)
class StripeEventAdmin(RecordAdmin):
    list_display = ["event_id", "type", "status", "attempts", "received_at", "processed_at"]
    list_filter = ["status", "type", "received_at"]
    search_fields = ["=event_id", "type", "error"]
    date_hierarchy = "received_at"
    fields = [
        "event_id",
        "type",
        "status",
        "attempts",
        "error",
        "received_at",
        "processed_at",
        "payload",
    ]
    actions = ["replay_events"]

    @admin.action(description=_("Replay selected events"), permissions=["change"])
    def replay_events(self, request, queryset) -> None:
        outcomes = {status: 0 for status in WebhookEventStatus.values}
        for pk in queryset.order_by("received_at", "pk").values_list("pk", flat=True):
            event = stripe_event_process(stripe_event_id=pk, force=True)
            if event is not None:
                outcomes[event.status] += 1
        processed = outcomes[WebhookEventStatus.PROCESSED] + outcomes[WebhookEventStatus.IGNORED]
        failed = outcomes[WebhookEventStatus.FAILED]
        if processed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d event was processed.",
                    "%(count)d events were processed.",
                    processed,
                )
                % {"count": processed},
                messages.SUCCESS,
            )
        if failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d event failed again; see its error.",
                    "%(count)d events failed again; see their errors.",
                    failed,
                )
                % {"count": failed},
                messages.ERROR,
            )
