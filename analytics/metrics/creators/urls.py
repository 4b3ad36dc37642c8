from django.urls import path

from . import views

app_name = "creators"

# Mounted at /analytics/ (videocreator/urls.py), for every member of a workspace.
urlpatterns = [path("", views.creators_dashboard, name="dashboard")]
