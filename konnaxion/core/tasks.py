"""Celery tasks of the core app."""

import socket
import time

from celery import shared_task
from django.core.cache import cache

from konnaxion.core.health import HEARTBEAT_KEY


@shared_task(ignore_result=True)
def worker_heartbeat() -> None:
    """A round trip through the queue, for diagnostics: records which worker ran it and when.
    (/healthz reads the heartbeats workers publish themselves, konnaxion.core.heartbeats.)"""
    cache.set(HEARTBEAT_KEY, {"at": time.time(), "worker": socket.gethostname()}, timeout=None)
