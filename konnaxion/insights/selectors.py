"""Reads of Insights (staff only: the API checks it)."""

from __future__ import annotations

from django.db.models import QuerySet

from konnaxion.insights.models import (
    ApiPerfFact,
    DimDomain,
    DimEndpoint,
    SmartVoteFact,
    UsageMauFact,
)


def domains_listed() -> QuerySet[DimDomain]:
    return DimDomain.objects.all()


def endpoints_listed() -> QuerySet[DimEndpoint]:
    return DimEndpoint.objects.all()


def smart_vote_facts() -> QuerySet[SmartVoteFact]:
    return SmartVoteFact.objects.select_related("date", "domain")


def usage_mau_facts() -> QuerySet[UsageMauFact]:
    return UsageMauFact.objects.select_related("month", "domain")


def api_perf_facts() -> QuerySet[ApiPerfFact]:
    return ApiPerfFact.objects.select_related("date", "endpoint")
