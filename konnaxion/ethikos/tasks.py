"""Celery tasks of ethiKos."""

from celery import shared_task

from konnaxion.ethikos.services.konsultations import consultations_close_due


@shared_task
def consultations_close_due_task() -> list[int]:
    """Every few minutes: close consultations past their close date and store their results."""
    return consultations_close_due()
