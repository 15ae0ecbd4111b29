"""Celery tasks of the file store: thin adapters over its services."""

from celery import shared_task

from konnaxion.files.services import blobs_collect_garbage


@shared_task(ignore_result=False, acks_late=True)
def blobs_collect_garbage_task() -> int:
    """Delete unreferenced blobs past the grace period; idempotent, so safe to run again."""
    return blobs_collect_garbage()
