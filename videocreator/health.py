"""GET /healthz: is each part we depend on reachable? 200 when all are, else 503."""

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from analytics.models import WorkerHeartbeat
from videocreator.celery import app as celery_app
from videos.rendering.fonts import languages_without_fonts

logger = logging.getLogger(__name__)


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def check_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as handle:
            if handle.read() != b"ok":
                raise RuntimeError("storage returned different bytes")
    finally:
        default_storage.delete(name)


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    value = cache.get(key)
    cache.delete(key)
    if value != "ok":
        raise RuntimeError("cache did not return the value it was given")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
    "cache": check_cache,
}


def run_checks() -> dict[str, dict]:
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except Exception as error:
            results[name] = {"status": "down", "error": f"{type(error).__name__}: {error}"[:300]}
        else:
            results[name] = {"status": "up"}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


def worker_status() -> dict:
    """When a worker last ran the heartbeat task. Reported, not part of the 200/503 verdict:
    a web host is healthy even while workers restart."""
    latest = WorkerHeartbeat.objects.order_by("-last_seen_at").first()
    if latest is None:
        return {"status": "unknown"}
    age = (timezone.now() - latest.last_seen_at).total_seconds()
    fresh = age <= settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS
    return {"status": "up" if fresh else "silent", "last_seen_seconds": round(age)}


def font_status() -> dict:
    """Whether installed fonts draw text in all nine languages (Debian: fonts-noto-core,
    fonts-noto-cjk). Reported, not part of the 200/503 verdict: without them only the renders
    of the uncovered languages fail (with "font_missing")."""
    try:
        missing = languages_without_fonts()
    except Exception:  # a broken font folder must not break the health check
        logger.exception("healthz could not check the fonts")
        return {"status": "unknown"}
    return {"status": "missing" if missing else "ok", "missing": missing}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = run_checks()
    healthy = all(result["status"] == "up" for result in checks.values())
    body = {"status": "ok" if healthy else "error", "checks": checks}
    if checks["database"]["status"] == "up":
        body["workers"] = worker_status()
    body["fonts"] = font_status()
    if not settings.DEBUG and not healthy:
        # Error texts can reveal hosts and paths; staff read them in the worker logs.
        for result in checks.values():
            result.pop("error", None)
    return JsonResponse(body, status=200 if healthy else 503)
