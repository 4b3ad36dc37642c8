"""The webhook pages, under /integrations/webhooks/."""

from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("event-types/", views.event_types, name="event_types"),
    path("<int:endpoint_id>/", views.endpoint_page, name="endpoint"),
    path("<int:endpoint_id>/edit/", views.endpoint_edit, name="edit"),
    path("<int:endpoint_id>/test/", views.endpoint_test, name="test"),
    path("<int:endpoint_id>/recover/", views.endpoint_recover, name="recover"),
    path("<int:endpoint_id>/pause/", views.endpoint_pause, name="pause"),
    path("<int:endpoint_id>/resume/", views.endpoint_resume, name="resume"),
    path("<int:endpoint_id>/disable/", views.endpoint_disable, name="disable"),
    path("<int:endpoint_id>/rotate/", views.endpoint_rotate, name="rotate"),
    path("<int:endpoint_id>/secret/", views.endpoint_secret, name="secret"),
    path("<int:endpoint_id>/delete/", views.endpoint_delete, name="delete"),
    path("<int:endpoint_id>/deliveries/<uuid:delivery_id>/", views.delivery_page, name="delivery"),
    path(
        "<int:endpoint_id>/deliveries/<uuid:delivery_id>/resend/",
        views.delivery_resend,
        name="resend",
    ),
]
