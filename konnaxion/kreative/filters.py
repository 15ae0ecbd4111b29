"""The filters of Kontact's People and Opportunities searches, in the API's query language.

One filter code for every path: the API's lists (`/api/profiles/`,
`/api/connect/opportunities/`), the /connect pages (their forms translated to these parameters)
and saved searches with their alerts. Each function raises ValidationFailed naming the
parameter it refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from konnaxion.core.errors import ValidationFailed
from konnaxion.kreative import selectors
from konnaxion.kreative.models import Opportunity, ProfessionalProfile, SavedOpportunity
from konnaxion.users.models import User

ORDERINGS = {
    "deadline": ("deadline", "id"),
    "-deadline": ("-deadline", "-id"),
    "starts_on": ("starts_on", "id"),
    "-starts_on": ("-starts_on", "-id"),
    "-created_at": ("-created_at", "-id"),
}
QUERY_MAX_CHARS = 200
VALUE_MAX_CHARS = 500
PEOPLE_FILTERS = ("q", "skills", "styles", "region", "role", "open")
OPPORTUNITY_FILTERS = (
    "q",
    "type",
    "tags",
    "region",
    "remote",
    "deadline_after",
    "deadline_before",
    "starts_before",
    "ends_after",
    "status",
    "no_entry_fee",
    "saved",
    "ordering",
)
PROFILE_ROLES = ("creator", "diffuser")
TRUE_FLAGS = ("1", "true", "yes")

Params = Mapping[str, str]


def _parsed(params: Params, name: str, parse: Any) -> date | datetime | None:
    raw = params.get(name)
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


def names_of(value: str | None) -> list[str]:
    """The names of a comma-separated list ("a, b" -> ["a", "b"])."""
    return [name.strip() for name in (value or "").split(",") if name.strip()]


def flag_of(value: str | None) -> bool:
    return (value or "").lower() in TRUE_FLAGS


def opportunity_filters_apply(
    queryset: QuerySet[Opportunity], *, params: Params, user: User | AnonymousUser
) -> QuerySet[Opportunity]:
    """The board's filters and ordering (OPPORTUNITY_FILTERS but `q`) on `queryset`. Raises
    ValidationFailed."""
    if params.get("type"):
        if params["type"] not in Opportunity.Type.values:
            raise ValidationFailed(details={"fields": {"type": "unknown type"}})
        queryset = queryset.filter(type=params["type"])
    if params.get("status"):
        if params["status"] not in Opportunity.Status.values:
            raise ValidationFailed(details={"fields": {"status": "unknown status"}})
        queryset = queryset.filter(status=params["status"])
    for name in names_of(params.get("tags")):
        queryset = queryset.filter(
            Exists(Opportunity.objects.filter(pk=OuterRef("pk"), tags__name__iexact=name))
        )
    if params.get("region"):
        queryset = queryset.filter(region__iexact=params["region"])
    if params.get("remote") in ("1", "0"):
        queryset = queryset.filter(remote=params["remote"] == "1")
    if params.get("no_entry_fee") == "1":
        queryset = queryset.filter(entry_fee=0)
    if params.get("saved") == "1" and user.is_authenticated:
        queryset = queryset.filter(
            Exists(SavedOpportunity.objects.filter(opportunity=OuterRef("pk"), user=user))
        )
    bounds = {
        "deadline__gte": _parsed(params, "deadline_after", parse_datetime),
        "deadline__lte": _parsed(params, "deadline_before", parse_datetime),
        "starts_on__lte": _parsed(params, "starts_before", parse_date),
        "ends_on__gte": _parsed(params, "ends_after", parse_date),
    }
    queryset = queryset.filter(**{key: value for key, value in bounds.items() if value})
    ordering = params.get("ordering")
    if ordering:
        if ordering not in ORDERINGS:
            raise ValidationFailed(details={"fields": {"ordering": sorted(ORDERINGS)}})
        queryset = queryset.order_by(*ORDERINGS[ordering])
    return queryset


def opportunities_matching(*, user: User | AnonymousUser, params: Params) -> QuerySet[Opportunity]:
    """The opportunities `user` may see that match `params` (`opportunities_search` then the
    filters), in the board's order. Raises ValidationFailed."""
    queryset = selectors.opportunities_search(
        user=user, query=(params.get("q") or "")[:QUERY_MAX_CHARS]
    )
    return opportunity_filters_apply(queryset, params=params, user=user)


def profiles_matching(
    *, user: User | AnonymousUser, params: Params
) -> QuerySet[ProfessionalProfile]:
    """The profiles `user` may see that match `params` (PEOPLE_FILTERS, `profiles_search`).
    Raises ValidationFailed."""
    role = params.get("role") or ""
    if role and role not in PROFILE_ROLES:
        raise ValidationFailed(details={"fields": {"role": "creator or diffuser"}})
    return selectors.profiles_search(
        user=user,
        query=(params.get("q") or "")[:QUERY_MAX_CHARS],
        skills=names_of(params.get("skills")),
        styles=names_of(params.get("styles")),
        region=params.get("region") or "",
        role=role,
        open_only=flag_of(params.get("open")),
    )


def filters_normalize(*, kind: str, filters: Mapping[str, Any]) -> dict[str, str]:
    """`filters` as a saved search keeps them: known names of `kind`'s search only, strings,
    empty ones dropped, lists as "a,b", flags as "1", checked by the searches' own code.
    Raises ValidationFailed naming the refused parameter."""
    known = PEOPLE_FILTERS if kind == "people" else OPPORTUNITY_FILTERS
    normalized: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in filters.items():
        if name not in known:
            errors[str(name)[:50]] = f"unknown filter; known: {', '.join(known)}"
        elif not isinstance(value, str):
            errors[name] = "must be a string"
        elif "\x00" in value:
            errors[name] = "contains a NUL character"
        elif len(value) > VALUE_MAX_CHARS:
            errors[name] = f"at most {VALUE_MAX_CHARS} characters"
        elif name in ("skills", "styles", "tags"):
            normalized[name] = ",".join(names_of(value))
        elif name == "open":
            normalized[name] = "1" if flag_of(value) else ""
        elif name == "q":
            normalized[name] = value.strip()[:QUERY_MAX_CHARS]
        else:
            normalized[name] = value.strip()
    if errors:
        raise ValidationFailed(details={"fields": errors})
    normalized = {name: normalized[name] for name in sorted(normalized) if normalized[name]}
    # The searches parse every value before running: an empty queryset checks them all.
    if kind == "people":
        profiles_matching(user=AnonymousUser(), params=normalized)
    else:
        opportunity_filters_apply(
            Opportunity.objects.none(), params=normalized, user=AnonymousUser()
        )
    return normalized
