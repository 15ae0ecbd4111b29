"""Query-string filters of the Opportunities board, each parsed and refused with a clear 400."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework.request import Request

from konnaxion.core.errors import ValidationFailed
from konnaxion.kreative.models import Opportunity, SavedOpportunity

ORDERINGS = {
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "starts_on": ("starts_on", "id"),
    "-starts_on": ("-starts_on", "-id"),
    "-created_at": ("-created_at", "-id"),
}


def _parsed(request: Request, name: str, parse):
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        value = parse(raw)
        if isinstance(value, datetime):
            # PostgreSQL accepts only offsets within a day: compare in UTC.
            if timezone.is_naive(value):
                value = timezone.make_aware(value, UTC)
            value = value.astimezone(UTC)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise ValidationFailed(details={"fields": {name: "not a valid date"}})
    return value


def query_params_check(request: Request) -> None:
    """PostgreSQL text cannot hold NUL characters: refuse them up front."""
    for name, values in request.query_params.lists():
        if any("\x00" in value for value in values):
            raise ValidationFailed(details={"fields": {name[:50]: "contains a NUL character"}})


def opportunity_filters_apply(queryset: QuerySet[Opportunity], *, request: Request) -> QuerySet:
    """The board's filters and ordering from the query string. Raises ValidationFailed."""
    params = request.query_params
    if params.get("type"):
        if params["type"] not in Opportunity.Type.values:
            raise ValidationFailed(details={"fields": {"type": "unknown type"}})
        queryset = queryset.filter(type=params["type"])
    if params.get("status"):
        if params["status"] not in Opportunity.Status.values:
            raise ValidationFailed(details={"fields": {"status": "unknown status"}})
        queryset = queryset.filter(status=params["status"])
    for name in [n.strip() for n in params.get("tags", "").split(",") if n.strip()]:
        queryset = queryset.filter(
            Exists(Opportunity.objects.filter(pk=OuterRef("pk"), tags__name__iexact=name))
        )
    if params.get("region"):
        queryset = queryset.filter(region__iexact=params["region"])
    if params.get("remote") in ("1", "0"):
        queryset = queryset.filter(remote=params["remote"] == "1")
    if params.get("no_entry_fee") == "1":
        queryset = queryset.filter(entry_fee=0)
    if params.get("saved") == "1" and request.user.is_authenticated:
        queryset = queryset.filter(
            Exists(SavedOpportunity.objects.filter(opportunity=OuterRef("pk"), user=request.user))
        )
    bounds = {
        "deadline__gte": _parsed(request, "deadline_after", parse_datetime),
        "deadline__lte": _parsed(request, "deadline_before", parse_datetime),
        "starts_on__lte": _parsed(request, "starts_before", parse_date),
        "ends_on__gte": _parsed(request, "ends_after", parse_date),
    }
    queryset = queryset.filter(**{key: value for key, value in bounds.items() if value})
    ordering = params.get("ordering")
    if ordering:
        if ordering not in ORDERINGS:
            raise ValidationFailed(details={"fields": {"ordering": sorted(ORDERINGS)}})
        queryset = queryset.order_by(*ORDERINGS[ordering])
    return queryset
