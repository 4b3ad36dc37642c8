from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    """Referral codes, the referrals made with them, rewards and their fraud review."""

    name = "growth.referrals"
    label = "referrals"
    verbose_name = _("Referrals")
    default_auto_field = "django.db.models.BigAutoField"
