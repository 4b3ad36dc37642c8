"""Every /api/v1/ route of the webhooks sub-app, in one list (included by videocreator/urls.py
through `integrations.webhooks.api.urlpatterns`)."""

from django.urls import path

from . import deliveries, endpoints, event_types, hooks

urlpatterns = [
    path("webhooks/", endpoints.WebhookList.as_view(), name="webhook-list"),
    # Before webhooks/<id>/: the catalogue's name is not an id.
    path("webhooks/event-types/", event_types.EventTypeList.as_view(), name="webhook-event-types"),
    path("webhooks/<int:endpoint_id>/", endpoints.WebhookDetail.as_view(), name="webhook-detail"),
    path(
        "webhooks/<int:endpoint_id>/secret/",
        endpoints.WebhookSecret.as_view(),
        name="webhook-secret",
    ),
    path(
        "webhooks/<int:endpoint_id>/rotate-secret/",
        endpoints.WebhookRotateSecret.as_view(),
        name="webhook-rotate-secret",
    ),
    path("webhooks/<int:endpoint_id>/test/", endpoints.WebhookTest.as_view(), name="webhook-test"),
    path(
        "webhooks/<int:endpoint_id>/recover/",
        endpoints.WebhookRecover.as_view(),
        name="webhook-recover",
    ),
    path(
        "webhooks/<int:endpoint_id>/deliveries/",
        deliveries.DeliveryList.as_view(),
        name="webhook-deliveries",
    ),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<str:delivery_id>/",
        deliveries.DeliveryDetail.as_view(),
        name="webhook-delivery",
    ),
    path(
        "webhooks/<int:endpoint_id>/deliveries/<str:delivery_id>/resend/",
        deliveries.DeliveryResend.as_view(),
        name="webhook-delivery-resend",
    ),
    path("hooks/", hooks.HookList.as_view(), name="hook-list"),
    path("hooks/samples/<str:event>/", hooks.HookSamples.as_view(), name="hook-samples"),
    path("hooks/<int:hook_id>/", hooks.HookDetail.as_view(), name="hook-detail"),
]
