"""Celery tasks of Smart Vote."""

from celery import shared_task

from konnaxion.smart_vote.services.emerging_experts import emerging_experts_detect


@shared_task(ignore_result=True)
def emerging_experts_detect_task() -> int:
    """Daily: flag emerging experts (idempotent for a given day)."""
    return len(emerging_experts_detect())
