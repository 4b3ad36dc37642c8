from django.urls import path

from . import views, webhooks

app_name = "billing"

urlpatterns = [
    path("pricing/", views.pricing, name="pricing"),
    path("", views.billing_page, name="page"),
    path("checkout/", views.checkout_start, name="checkout"),
    path("checkout/<uuid:session_id>/return/", views.checkout_return, name="checkout_return"),
    path("cancel/", views.subscription_cancel, name="cancel"),
    path("resume/", views.subscription_resume, name="resume"),
    path("switch/", views.subscription_switch, name="switch"),
    path("payment-method/", views.manage_payment_method, name="payment_method"),
    path("invoices/<int:invoice_id>/", views.invoice_detail, name="invoice"),
    path("sandbox/checkout/<uuid:session_id>/", views.sandbox_checkout, name="sandbox_checkout"),
    path("sandbox/payment-method/", views.sandbox_payment_method, name="sandbox_payment_method"),
    path("webhooks/stripe/", webhooks.stripe_webhook, name="stripe_webhook"),
]
