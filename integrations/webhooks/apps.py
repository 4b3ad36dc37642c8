from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outbound webhooks and REST hooks: endpoints, the deliveries fanned out from the event
    log, and sending them signed (Standard Webhooks)."""

    name = "integrations.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"
