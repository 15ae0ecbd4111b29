"""Celery tasks of the core app."""

import socket
import time

from celery import shared_task
from django.core.cache import cache

from konnaxion.core.health import HEARTBEAT_KEY


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """Record that a worker is alive and consuming the queue (read by /healthz)."""
    cache.set(HEARTBEAT_KEY, {"at": time.time(), "worker": socket.gethostname()}, timeout=None)
