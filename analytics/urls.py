from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("consent/", views.consent_answer, name="consent"),
]
