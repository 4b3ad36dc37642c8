from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import views as accounts_views
from accounts.forms import AdminLoginForm
from accounts.privacy import api as privacy_api
from analytics import api as analytics_api
from billing import api as billing_api
from growth.feedback import api as feedback_api
from growth.referrals import api as referrals_api
from integrations.webhooks import api as webhooks_api
from teams import api as teams_api
from teams.api import MeView
from videos.api import urls as videos_api

from . import health, views
from .api import router

# Staff sign in under the same brute-force limit as everyone else.
admin.site.login_form = AdminLoginForm

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("", include("analytics.metrics.api")),  # staff: analytics/business/, analytics/funnel/
    path("", include("analytics.metrics.creators.api")),  # members: analytics/overview/
    *privacy_api.urlpatterns,
    *teams_api.urlpatterns,
    *billing_api.urlpatterns,
    *videos_api.urlpatterns,
    *analytics_api.urlpatterns,
    *webhooks_api.urlpatterns,
    *referrals_api.urlpatterns,
    *feedback_api.urlpatterns,
    path("", include(router.urls)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Before allauth's own: the same page, with a referral code prefilled.
    path("accounts/signup/", accounts_views.signup, name="account_signup"),
    path("accounts/", include("allauth.urls")),
    path("settings/", include("accounts.urls")),
    path("team/", include("teams.urls")),
    path("billing/", include("billing.urls")),
    path("integrations/webhooks/", include("integrations.webhooks.urls")),
    path("integrations/", include("integrations.urls")),
    path("analytics/business/", include("analytics.metrics.urls")),
    path("analytics/", include("analytics.metrics.creators.urls")),
    path("analytics/", include("analytics.urls")),
    path("", include("growth.referrals.urls")),  # /r/<code>, /referrals/
    path("feedback/", include("growth.feedback.urls")),
    path("", include("videos.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        # Swagger UI's stylesheet draws its icons from data: URIs.
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    from integrations.webhooks.receiver import demo_receiver

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
    # What the demo's webhook endpoint posts to (seed_demo); never served in production.
    urlpatterns.append(path("demo/webhook-receiver/", demo_receiver, name="demo_webhook_receiver"))
