import socket

from celery import shared_task
from django.utils import timezone

from .models import WorkerHeartbeat


@shared_task(name="analytics.record_worker_heartbeat", ignore_result=True)
def record_worker_heartbeat() -> str:
    """Record that a worker on this host is alive; running it twice only moves the time."""
    hostname = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"last_seen_at": timezone.now()}
    )
    return hostname
