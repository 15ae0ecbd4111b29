"""Query-string filters of the Opportunities board, each parsed and refused with a clear 400.

The filter code itself is the domain's (`konnaxion.kreative.filters`), shared with the /connect
pages and saved searches."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework.request import Request

from konnaxion.core.errors import ValidationFailed
from konnaxion.kreative import filters
from konnaxion.kreative.filters import ORDERINGS
from konnaxion.kreative.models import Opportunity

__all__ = ["ORDERINGS", "opportunity_filters_apply", "query_params_check"]


def query_params_check(request: Request) -> None:
    """PostgreSQL text cannot hold NUL characters: refuse them up front."""
    for name, values in request.query_params.lists():
        if any("\x00" in value for value in values):
            raise ValidationFailed(details={"fields": {name[:50]: "contains a NUL character"}})


def opportunity_filters_apply(queryset: QuerySet[Opportunity], *, request: Request) -> QuerySet:
    """The board's filters and ordering from the query string. Raises ValidationFailed."""
    return filters.opportunity_filters_apply(
        queryset, params=request.query_params, user=request.user
    )
