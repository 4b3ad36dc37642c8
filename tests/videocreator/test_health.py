import pytest

from videocreator import health


@pytest.mark.django_db
def test_healthz_reports_each_part(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "storage", "cache"}
    assert all(check["status"] == "up" for check in body["checks"].values())


@pytest.mark.django_db
def test_healthz_is_503_when_a_part_is_down(client, settings):
    # A broker on a port where nothing listens.
    from videocreator.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = original
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "up"
    assert "error" not in body["checks"]["broker"]  # no internals leak when DEBUG is off


@pytest.mark.django_db
def test_storage_check_leaves_nothing_behind(settings):
    health.check_storage()
    from pathlib import Path

    assert not list(Path(settings.MEDIA_ROOT).glob("healthz/*"))


@pytest.mark.django_db
def test_healthz_reports_worker_heartbeat_without_failing_on_it(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from analytics.models import WorkerHeartbeat
    from analytics.tasks import record_worker_heartbeat

    assert client.get("/healthz").json()["workers"] == {"status": "unknown"}
    record_worker_heartbeat.delay()
    assert client.get("/healthz").json()["workers"]["status"] == "up"
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.json()["workers"]["status"] == "silent"
    assert response.status_code == 200
