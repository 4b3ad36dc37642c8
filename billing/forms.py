from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CURRENCY_CHOICES, Interval, Plan, Tier


def _paid_plans():
    return Plan.objects.filter(tier=Tier.PRO, is_public=True)


class CheckoutForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=_paid_plans(),
        to_field_name="key",
        error_messages={"invalid_choice": _("Choose a plan from the pricing page.")},
    )
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, label=_("Currency"))
    coupon = forms.CharField(label=_("Coupon code"), required=False, max_length=40, strip=True)


class SwitchForm(forms.Form):
    plan = forms.ModelChoiceField(
        queryset=_paid_plans().exclude(interval=Interval.NONE),
        to_field_name="key",
    )


class SandboxCardForm(forms.Form):
    card = forms.ChoiceField(
        label=_("Test card"),
        widget=forms.RadioSelect,
        choices=[
            ("ok", _("4242 4242 4242 4242 — payments succeed")),
            ("decline", _("4000 0000 0000 0002 — payments are declined")),
        ],
    )


class SandboxOutcomeForm(forms.Form):
    """Which button of the sandbox checkout was pressed."""

    outcome = forms.ChoiceField(
        choices=[
            ("succeed", _("Pay (test payment succeeds)")),
            ("fail", _("Decline (test payment fails)")),
        ],
        error_messages={
            "required": _("Choose whether the test payment succeeds or fails."),
            "invalid_choice": _("Choose whether the test payment succeeds or fails."),
        },
    )
