from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.team_page, name="team"),
    path("switch/", views.workspace_switch, name="switch"),
]
