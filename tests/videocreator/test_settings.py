import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "videocreator.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = _run("import django; django.setup()", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_runs_without_secret_key():
    result = _run("import django; django.setup(); print('ok')", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_deploy_check_is_silent_with_production_settings():
    result = _run(
        "import sys; from django.core.management import execute_from_command_line;"
        "execute_from_command_line(['manage.py','check','--deploy','--fail-level','WARNING'])",
        DEBUG="0",
        SECRET_KEY="x" * 10 + "production-secret-with-enough-length-and-entropy-4Kq9",
        ALLOWED_HOSTS="videocreator.example.com",
        SITE_URL="https://videocreator.example.com",
        SECURE_SSL_REDIRECT="1",
        SESSION_COOKIE_SECURE="1",
        CSRF_COOKIE_SECURE="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_s3_storage_is_used_when_a_bucket_is_set():
    result = _run(
        "import django; django.setup(); from django.core.files.storage import storages;"
        "print(type(storages['default']).__name__, storages['default'].bucket_name)",
        DEBUG="1",
        AWS_STORAGE_BUCKET_NAME="videos-bucket",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "videos-bucket"]


def test_redis_cache_and_email_url_come_from_environment():
    result = _run(
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.CACHES['default']['BACKEND'], s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT)",
        DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/3",
        EMAIL_URL="smtp+tls://user:pass@mail.example.com:587",
    )
    assert result.returncode == 0, result.stderr
    backend, email_backend, host, port = result.stdout.split()
    assert backend.endswith("RedisCache")
    assert email_backend.endswith("smtp.EmailBackend")
    assert (host, port) == ("mail.example.com", "587")


@pytest.mark.django_db
def test_setup_periodic_tasks_is_idempotent(capsys):
    from django_celery_beat.models import PeriodicTask

    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")
    heartbeat = PeriodicTask.objects.get(task="analytics.record_worker_heartbeat")
    assert heartbeat.enabled and heartbeat.interval.every == 60
    assert PeriodicTask.objects.filter(task="analytics.record_worker_heartbeat").count() == 1
    assert "0 created" in capsys.readouterr().out.splitlines()[-1]


@pytest.mark.django_db
def test_setup_periodic_tasks_disables_tasks_no_longer_defined():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from videocreator.periodic import MANAGED_PREFIX

    every = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name=MANAGED_PREFIX + "Old job", task="gone.task", interval=every)
    call_command("setup_periodic_tasks")
    assert not PeriodicTask.objects.get(name=MANAGED_PREFIX + "Old job").enabled


def test_celery_is_configured_for_long_tasks():
    from videocreator.celery import app

    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


@pytest.mark.parametrize(
    ("jit", "expected"), [(None, "-c jit=off"), ("1", None)], ids=["default", "DATABASE_JIT=1"]
)
def test_postgresql_connections_run_without_jit_unless_asked(jit, expected):
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print([settings.DATABASES[a].get('OPTIONS', {}).get('options') for a in"
        " ('default', 'analytics')])"
    )
    env = {
        "DEBUG": "1",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/videocreator",
        "ANALYTICS_DATABASE_URL": "postgres://postgres@127.0.0.1:5432/replica",
    }
    if jit:
        env["DATABASE_JIT"] = jit
    result = _run(code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr([expected, expected])


@pytest.mark.django_db
def test_the_connection_really_has_jit_off_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
