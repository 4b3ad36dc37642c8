from django.urls import path

from . import views

app_name = "metrics"

# Mounted at /analytics/business/ (videocreator/urls.py). Staff only.
urlpatterns = [
    path("", views.business_dashboard, name="business"),
    path("movements/<slug:kind>/", views.business_movement, name="business_movement"),
]
