"""Celery tasks of Insights: partitions ahead, hourly API performance, monthly usage."""

from celery import shared_task
from django.utils import timezone

from konnaxion.insights.services.api_performance import api_perf_rollup
from konnaxion.insights.services.partitions import fact_partitions_ensure, month_add
from konnaxion.insights.services.usage import usage_mau_compute


@shared_task
def fact_partitions_ensure_task() -> list[str]:
    """Daily: partitions of the fact tables for this month and the next three (idempotent)."""
    return fact_partitions_ensure(today=timezone.now().date())


@shared_task
def api_perf_rollup_task() -> int:
    """Hourly: roll the finished hours' request counters into api_perf_fact."""
    return api_perf_rollup()


@shared_task
def usage_mau_compute_task(month: str | None = None) -> int:
    """Monthly: usage of the previous month (or of `month`, "YYYY-MM-DD"); idempotent."""
    from datetime import date

    target = date.fromisoformat(month) if month else month_add(timezone.now().date(), -1)
    return len(usage_mau_compute(month=target))
