"""Celery tasks of keenKonnect: thin adapters over the services."""

from typing import Any

from celery import Task, shared_task
from django.db import DatabaseError
from redis.exceptions import RedisError

from konnaxion.keenkonnect.services.document_checkout import checkouts_expire
from konnaxion.keenkonnect.services.document_versioning import versions_apply_retention
from konnaxion.keenkonnect.services.intelligent_indexing import (
    REASON_GAVE_UP,
    resource_index,
    resource_index_fail,
)
from konnaxion.keenkonnect.services.real_time_sync import project_events_prune
from konnaxion.keenkonnect.services.resumable_uploads import upload_sessions_expire
from konnaxion.keenkonnect.services.search_vocabulary import search_vocabulary_rebuild
from konnaxion.keenkonnect.services.secure_document_storage import resources_purge_expired_trash


@shared_task(ignore_result=False, acks_late=True)
def resources_purge_expired_trash_task() -> int:
    """Purge documents trashed longer than STOCKAGE_TRASH_DAYS; idempotent."""
    return resources_purge_expired_trash()


@shared_task(ignore_result=False, acks_late=True)
def versions_apply_retention_task() -> int:
    """Apply every project's version retention policy; idempotent."""
    return versions_apply_retention()


@shared_task(ignore_result=False, acks_late=True)
def upload_sessions_expire_task() -> int:
    """Delete expired resumable uploads and orphaned upload files; idempotent."""
    return upload_sessions_expire()


class ResourceIndexTask(Task):
    """Marks the document failed when its indexing fails for good (after the retries, or at
    once for an error that is not retried), so that it does not stay pending for ever."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        named = dict(zip(("resource_id", "version_number"), args, strict=False)) | kwargs
        resource_id, version_number = named["resource_id"], named["version_number"]
        resource_index_fail(
            resource_id=resource_id, version_number=version_number, reason=REASON_GAVE_UP
        )


@shared_task(
    base=ResourceIndexTask,
    ignore_result=False,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(DatabaseError, RedisError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def resource_index_task(resource_id: int, version_number: int) -> str:
    """Index one version of a document; keyed by version, so a redelivery does nothing twice."""
    return resource_index(resource_id=resource_id, version_number=version_number)


@shared_task(ignore_result=False, acks_late=True)
def project_events_prune_task() -> int:
    """Delete real-time events past REALTIME_EVENT_RETENTION_DAYS; idempotent."""
    return project_events_prune()


@shared_task(ignore_result=False, acks_late=True)
def search_vocabulary_rebuild_task() -> int:
    """Make the search's vocabulary again from every document, with exact counts; idempotent."""
    return search_vocabulary_rebuild()


@shared_task(ignore_result=False, acks_late=True)
def checkouts_expire_task() -> int:
    """Remove expired check-out locks (each audited and announced); idempotent."""
    return checkouts_expire()
