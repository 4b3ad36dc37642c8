from celery import shared_task

from . import rollups


@shared_task(name="metrics.refresh_rollups", ignore_result=True)
def refresh_rollups() -> int:
    """Hourly: the daily figures and the stored funnels' entries of the last days and today.
    Rewrites the same rows when run twice, so a retried or duplicated run changes nothing."""
    return sum(rollups.refresh_recent())
