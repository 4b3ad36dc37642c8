from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    """The feature-request board: requests, votes, comments, statuses and RICE."""

    name = "growth.feedback"
    label = "feedback"
    verbose_name = _("Feature requests")
    default_auto_field = "django.db.models.BigAutoField"
