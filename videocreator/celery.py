import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "videocreator.settings")

app = Celery("videocreator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
