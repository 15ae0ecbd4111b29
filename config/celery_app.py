"""The Celery application; configuration comes from Django settings prefixed `CELERY_`."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("konnaxion")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every worker publishes its own heartbeat (konnaxion.core.heartbeats), read by /healthz.
app.steps["worker"].add("konnaxion.core.heartbeats:WorkerHeartbeat")
# Every worker keeps the task messages it holds from being delivered again while it lives
# (konnaxion.runtime.held_messages; docs/deploy.md, "When a worker dies").
app.steps["consumer"].add("konnaxion.runtime.held_messages:HeldMessagesHeartbeat")
