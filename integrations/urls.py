from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("", views.accounts_page, name="accounts"),
    path("<slug:platform>/connect/", views.connect, name="connect"),
    path("<slug:platform>/callback/", views.callback, name="callback"),
    path("accounts/<int:account_id>/disconnect/", views.disconnect, name="disconnect"),
]
