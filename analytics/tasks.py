import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(bind=True, name="analytics.record_worker_heartbeat", ignore_result=True)
def record_worker_heartbeat(self) -> str:
    """Record that this worker is alive; running it twice only moves the time."""
    # The worker's node name (celery@host) tells apart several workers on one host.
    hostname = self.request.hostname or socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"last_seen_at": timezone.now()}
    )
    return hostname
