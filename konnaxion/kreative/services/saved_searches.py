"""Saved searches of Kontact, their alerts, and reminders of saved opportunities closing soon.

Part of `opportunity_announcement` (saved searches of the Opportunities board, reminders of
bookmarked opportunities) and `intelligent_matching` (saved searches of People): someone keeps
a search, runs it again later, and may be told of each new match, at once or in the daily
digest (docs/kontact.md, "Saved searches and alerts").

A new match is one the search finds through the same permission-filtered selectors as the
pages (`konnaxion.kreative.filters`), posted (opportunities) or changed (profiles) since the
search's `alerts_since`, and never told before: a `SavedSearchAlert` row per (search, match),
inserted with ON CONFLICT DO NOTHING, so two workers running at once never both tell of one
match, and a match one run misses stays new for the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, Field, Model, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.kreative import selectors
from konnaxion.kreative.filters import filters_normalize, opportunities_matching, profiles_matching
from konnaxion.kreative.models import (
    Opportunity,
    OpportunityApplication,
    OpportunityReminder,
    ProfessionalProfile,
    SavedOpportunity,
    SavedSearch,
    SavedSearchAlert,
)
from konnaxion.kreative.services.limits import limit_check, owner_lock
from konnaxion.notifications.models import Kind
from konnaxion.notifications.services.delivery import notify
from konnaxion.users.models import User

NAME_MAX_CHARS = 120
# Matches told per search and run: a broad search catches up over the next runs.
ALERT_BATCH = 100
ALERT_KINDS = {
    SavedSearch.Alert.IMMEDIATE: Kind.SAVED_SEARCH_MATCH,
    SavedSearch.Alert.DAILY: Kind.SAVED_SEARCH_DAILY,
}


def _name_checked(name: str) -> str:
    name = name.strip()
    if not name:
        raise ValidationFailed(details={"fields": {"name": "required"}})
    if len(name) > NAME_MAX_CHARS or "\x00" in name:
        raise ValidationFailed(
            details={"fields": {"name": f"at most {NAME_MAX_CHARS} plain characters"}}
        )
    return name


def _alert_checked(alert: str) -> str:
    if alert not in SavedSearch.Alert.values:
        raise ValidationFailed(details={"fields": {"alert": list(SavedSearch.Alert.values)}})
    return alert


def _filters_checked(*, kind: str, filters: Mapping[str, Any]) -> dict[str, str]:
    """The normalized filters; a refusal names the parameter under `filters`."""
    try:
        return filters_normalize(kind=kind, filters=filters)
    except ValidationFailed as refusal:
        fields = (refusal.details or {}).get("fields", {})
        raise ValidationFailed(refusal.message, details={"fields": {"filters": fields}}) from None


@transaction.atomic
def saved_search_create(
    *,
    owner: User,
    kind: str,
    name: str,
    filters: Mapping[str, Any],
    alert: str = SavedSearch.Alert.OFF,
) -> SavedSearch:
    """Keep a search of People or Opportunities for `owner`; its alert tells of matches posted
    or changed from now on. Raises ValidationFailed (`kind`, `name`, `alert`, `filters.<name>`)
    and LimitReached (409 too_many_saved_searches past SAVED_SEARCH_MAX_PER_USER)."""
    if kind not in SavedSearch.Kind.values:
        raise ValidationFailed(details={"fields": {"kind": list(SavedSearch.Kind.values)}})
    name = _name_checked(name)
    alert = _alert_checked(alert)
    normalized = _filters_checked(kind=kind, filters=filters)
    owner_lock(owner)
    limit_check(
        used=SavedSearch.objects.filter(owner=owner).count(),
        limit=settings.SAVED_SEARCH_MAX_PER_USER,
        code="too_many_saved_searches",
        message="You already have as many saved searches as allowed: delete one first.",
    )
    return SavedSearch.objects.create(
        owner=owner,
        kind=kind,
        name=name,
        filters=normalized,
        alert=alert,
        alerts_since=timezone.now(),
    )


def _owned_locked(*, saved_search: SavedSearch, actor: User) -> SavedSearch:
    locked = SavedSearch.objects.select_for_update().filter(pk=saved_search.pk, owner=actor).first()
    if locked is None:
        raise NotFound("No such saved search.")
    return locked


@transaction.atomic
def saved_search_update(
    *,
    saved_search: SavedSearch,
    actor: User,
    name: str | None = None,
    filters: Mapping[str, Any] | None = None,
    alert: str | None = None,
) -> SavedSearch:
    """Rename the search, change its filters or its alert (owner only). New filters, or an
    alert turned on, start from now: what matched before is not new. Raises NotFound (not the
    actor's), ValidationFailed."""
    search = _owned_locked(saved_search=saved_search, actor=actor)
    now = timezone.now()
    if name is not None:
        search.name = _name_checked(name)
    if filters is not None:
        normalized = _filters_checked(kind=search.kind, filters=filters)
        if normalized != search.filters:
            search.filters = normalized
            search.alerts_since = now
    if alert is not None:
        if search.alert == SavedSearch.Alert.OFF and _alert_checked(alert) != search.alert:
            search.alerts_since = now
        search.alert = alert
    search.save()
    return search


@transaction.atomic
def saved_search_delete(*, saved_search: SavedSearch, actor: User) -> None:
    """Delete the search and what its alerts recorded (owner only). Raises NotFound."""
    _owned_locked(saved_search=saved_search, actor=actor).delete()


def saved_search_results(*, saved_search: SavedSearch) -> QuerySet[Any]:
    """What the search finds now for its owner: profiles or opportunities, as the page or the
    API would list them."""
    if saved_search.kind == SavedSearch.Kind.PEOPLE:
        return profiles_matching(user=saved_search.owner, params=saved_search.filters)
    return opportunities_matching(user=saved_search.owner, params=saved_search.filters)


def saved_search_run(*, saved_search: SavedSearch, actor: User) -> QuerySet[Any]:
    """The search's current results (`saved_search_results`), recording when its owner last
    ran it. Raises NotFound (not the actor's)."""
    if saved_search.owner_id != actor.pk:
        raise NotFound("No such saved search.")
    now = timezone.now()
    SavedSearch.objects.filter(pk=saved_search.pk).update(last_run_at=now)
    saved_search.last_run_at = now
    return saved_search_results(saved_search=saved_search)


# Alerts --------------------------------------------------------------------------------------


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column  # a concrete column, never a relation
    return field.column


def _rows_insert_new(
    *, model: type[Model], fixed: dict[str, Any], key: str, values: list[int]
) -> set[int]:
    """Insert one row of `model` per value of `key` (with the `fixed` columns) unless it exists,
    and return the values inserted. ON CONFLICT DO NOTHING: of two concurrent callers, one
    inserts and learns of a row, the other waits for its commit and skips it."""
    if not values:
        return set()
    meta = model._meta
    columns = [_column(model, name) for name in [*fixed, key]]
    placeholders = ", ".join(["%s"] * len(fixed))
    # Table and column names come from the model; values are parameters.
    statement = (
        f"INSERT INTO {meta.db_table} ({', '.join(columns)}) "
        f"SELECT {placeholders}, unnest(%s::bigint[]) "
        f"ON CONFLICT DO NOTHING RETURNING {columns[-1]}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*fixed.values(), sorted(set(values))])
        return {row[0] for row in cursor.fetchall()}


def _new_matches(*, search: SavedSearch) -> list[tuple[int, Model]]:
    """(id, match) of the search's new matches (module docstring), oldest change first."""
    owner = search.owner
    if search.kind == SavedSearch.Kind.PEOPLE:
        told = SavedSearchAlert.objects.filter(saved_search=search, object_id=OuterRef("user_id"))
        profiles = (
            profiles_matching(user=owner, params=search.filters)
            .filter(updated_at__gte=search.alerts_since)
            .exclude(user=owner)
            .exclude(Exists(told))
            .order_by("updated_at", "user_id")[:ALERT_BATCH]
        )
        return [(profile.user_id, profile) for profile in profiles]
    told = SavedSearchAlert.objects.filter(saved_search=search, object_id=OuterRef("pk"))
    opportunities = (
        opportunities_matching(user=owner, params=search.filters)
        .filter(status=Opportunity.Status.OPEN, created_at__gte=search.alerts_since)
        .exclude(posted_by=owner)
        .exclude(Exists(told))
        .order_by("created_at", "id")[:ALERT_BATCH]
    )
    return [(opportunity.pk, opportunity) for opportunity in opportunities]


def _match_notify(*, search: SavedSearch, match: Model) -> None:
    kind = ALERT_KINDS[SavedSearch.Alert(search.alert)]
    if isinstance(match, ProfessionalProfile):
        person = match.user
        notify(
            kind=kind,
            recipients=[search.owner],
            actor=person,
            target=person,
            params={"search": search.name},
            url=reverse("web:profile", args=[person.username]),
        )
    elif isinstance(match, Opportunity):
        notify(
            kind=kind,
            recipients=[search.owner],
            actor=match.posted_by,
            target=match,
            params={"search": search.name, "opportunity": match.title},
            url=reverse("web:opportunity", args=[match.pk]),
        )


def saved_search_alerts_send(*, saved_search_id: int) -> int:
    """Tell the owner of an alerting search of each new match, once ever per match (the
    owner's email settings then apply to the kind). A search another worker is checking is
    skipped: that worker tells. Returns how many matches were told."""
    with transaction.atomic():
        search = (
            SavedSearch.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("owner")
            .filter(pk=saved_search_id, owner__is_active=True)
            .exclude(alert=SavedSearch.Alert.OFF)
            .first()
        )
        if search is None:
            return 0
        matches = _new_matches(search=search)
        told = _rows_insert_new(
            model=SavedSearchAlert,
            fixed={"saved_search": search.pk, "sent_at": timezone.now()},
            key="object_id",
            values=[pk for pk, _match in matches],
        )
        for pk, match in matches:
            if pk in told:
                _match_notify(search=search, match=match)
        SavedSearch.objects.filter(pk=search.pk).update(alerts_checked_at=timezone.now())
        return len(told)


def saved_searches_alert_all() -> int:
    """Check every alerting search of an active account (beat; idempotent). Returns how many
    matches were told."""
    ids = (
        SavedSearch.objects.filter(owner__is_active=True)
        .exclude(alert=SavedSearch.Alert.OFF)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return sum(saved_search_alerts_send(saved_search_id=pk) for pk in list(ids))


# Closing soon ------------------------------------------------------------------------------


def opportunity_closing_soon_audience(
    *, opportunities: QuerySet[Opportunity]
) -> dict[int, set[int]]:
    """Who is reminded that `opportunities` close soon: opportunity id -> user ids, the people
    who saved (bookmarked) them and those with a draft application not yet submitted. The one
    place for other reasons to care about a deadline; each person is still reminded once."""
    audience: dict[int, set[int]] = {}
    saved = SavedOpportunity.objects.filter(opportunity__in=opportunities.values("pk"))
    drafts = OpportunityApplication.objects.filter(
        opportunity__in=opportunities.values("pk"), status=OpportunityApplication.Status.DRAFT
    )
    for pairs in (
        saved.values_list("user_id", "opportunity_id"),
        drafts.values_list("applicant_id", "opportunity_id"),
    ):
        for user_id, opportunity_id in pairs:
            audience.setdefault(opportunity_id, set()).add(user_id)
    return audience


def _deadline_text(deadline: datetime | None) -> str:
    return deadline.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if deadline else ""


def opportunities_closing_soon_remind(*, now: datetime | None = None) -> int:
    """Remind each person of `opportunity_closing_soon_audience` once that an open opportunity
    they may see closes within OPPORTUNITY_CLOSING_SOON_HOURS (beat; idempotent, also when run
    twice at once). Returns how many reminders were sent."""
    now = now or timezone.now()
    closing = Opportunity.objects.filter(
        status=Opportunity.Status.OPEN,
        deadline__gt=now,
        deadline__lte=now + timedelta(hours=settings.OPPORTUNITY_CLOSING_SOON_HOURS),
    )
    sent = 0
    for opportunity_id, user_ids in sorted(
        opportunity_closing_soon_audience(opportunities=closing).items()
    ):
        reminded = OpportunityReminder.objects.filter(opportunity_id=opportunity_id)
        due = User.objects.filter(pk__in=user_ids, is_active=True).exclude(
            pk__in=reminded.values("user_id")
        )
        with transaction.atomic():
            readers = {}
            for user in due:
                opportunity = (
                    selectors.opportunities_visible_to(user=user)
                    .filter(pk=opportunity_id, status=Opportunity.Status.OPEN)
                    .first()
                )
                if opportunity is not None and opportunity.posted_by_id != user.pk:
                    readers[user.pk] = (user, opportunity)
            told = _rows_insert_new(
                model=OpportunityReminder,
                fixed={"opportunity": opportunity_id, "sent_at": timezone.now()},
                key="user",
                values=list(readers),
            )
            for user_id in sorted(told):
                user, opportunity = readers[user_id]
                notify(
                    kind=Kind.OPPORTUNITY_CLOSING_SOON,
                    recipients=[user],
                    actor=None,
                    target=opportunity,
                    params={
                        "opportunity": opportunity.title,
                        "deadline": _deadline_text(opportunity.deadline),
                    },
                    url=reverse("web:opportunity", args=[opportunity.pk]),
                )
            sent += len(told)
    return sent
