"""A receiver for the demo (`make run`, DEBUG only): the seeded endpoint points here, so the
demo's deliveries succeed and its pages show real traffic. It checks what any receiver
should: the Standard Webhooks signature, with the endpoint's own secret."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from standardwebhooks import Webhook, WebhookVerificationError

from .models import Delivery


@csrf_exempt
@require_POST
def demo_receiver(request: HttpRequest) -> HttpResponse:
    message_id = request.headers.get("webhook-id", "")
    try:
        delivery_id = uuid.UUID(message_id.removeprefix("msg_"))
    except ValueError:
        return HttpResponse("unknown webhook-id", status=400, content_type="text/plain")
    delivery = Delivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None:
        return HttpResponse("unknown webhook-id", status=400, content_type="text/plain")
    try:
        Webhook(delivery.endpoint.secret).verify(request.body, dict(request.headers))
    except WebhookVerificationError as error:
        return HttpResponse(f"bad signature: {error}", status=400, content_type="text/plain")
    return HttpResponse(status=204)
