from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "analytics.metrics"
    label = "metrics"
    verbose_name = _("Business metrics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .conf import check_settings

        check_settings()
