"""Celery tasks of keenKonnect: thin adapters over the services."""

from celery import shared_task

from konnaxion.keenkonnect.services.secure_document_storage import blobs_collect_garbage


@shared_task(ignore_result=False, acks_late=True)
def blobs_collect_garbage_task() -> int:
    """Delete unreferenced blobs past the grace period; idempotent, so safe to run again."""
    return blobs_collect_garbage()
