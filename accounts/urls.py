from django.urls import path

from . import views
from .privacy import views as privacy

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile_settings, name="profile"),
    path("api-tokens/", views.api_tokens, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("language/", views.set_language, name="set_language"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("privacy/export/", privacy.data_export_request, name="data_export_request"),
    path("privacy/export/status/", privacy.data_export_status, name="data_export_status"),
    path(
        "privacy/export/<uuid:data_export_id>/download/",
        privacy.data_export_download,
        name="data_export_download",
    ),
    path("privacy/delete/", privacy.account_delete, name="account_delete"),
]
