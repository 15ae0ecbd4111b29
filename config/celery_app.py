"""The Celery application; configuration comes from Django settings prefixed `CELERY_`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("konnaxion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every worker publishes its own heartbeat (konnaxion.core.heartbeats), read by /healthz.
app.steps["worker"].add("konnaxion.core.heartbeats:WorkerHeartbeat")
