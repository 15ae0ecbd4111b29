"""intelligent_matching: explained people suggestions, precomputed and served.

A viewer's list (the best `MAX_TOP_N`, after the diversity pass) is stored in
`PrecomputedSuggestions` per purpose and set of optional signals. It is refreshed by a Celery
task for active users (beat), when a user's tags or follows change, and computed on demand when
missing, older than `SUGGESTION_MAX_AGE_HOURS` or stored in an older form (reasons as text
rather than codes: the list is a cache, recomputed rather than converted). Serving re-checks
exclusions made since (follows, blocks, dismissals, hidden profiles) and counts an impression
per shown person. Reasons are stored as codes and worded in the reader's language on display.

The single entry point of people matching: the implementation lives in `kreative/matching/`,
and code outside that package (API, web pages, tasks, other services, benchmarks) imports from
here, which re-exports what it needs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

from konnaxion.core.errors import ValidationFailed
from konnaxion.core.queue import task_enqueue
from konnaxion.kreative.matching import (
    MAX_TOP_N,
    OPTIONAL_SIGNALS,
    PURPOSES,
    REASON_CODES,
    Reason,
    rank,
)
from konnaxion.kreative.matching.neighbourhood import neighbourhood_index
from konnaxion.kreative.matching.reason_text import is_reason, reasons_text
from konnaxion.kreative.matching.statistics import (
    matching_statistics_invalidate_on_commit,
    population_statistics,
)
from konnaxion.kreative.models import (
    Block,
    PrecomputedSuggestions,
    ProfessionalProfile,
    SuggestionDismissal,
    SuggestionImpression,
)
from konnaxion.kreative.selectors import user_get_visible
from konnaxion.users.models import User
from konnaxion.users.selectors import users_with_verified_email

__all__ = [
    "DEFAULT_PURPOSE",
    "MAX_TOP_N",
    "PURPOSES",
    "REASON_CODES",
    "REFRESH_TASK",
    "SuggestedPerson",
    "matching_statistics_invalidate_on_commit",
    "neighbourhood_index",
    "population_statistics",
    "rank",
    "signals_key",
    "suggestion_dismiss",
    "suggestion_request_clean",
    "suggestions_compute",
    "suggestions_list",
    "suggestions_precompute_active",
    "suggestions_refresh",
    "suggestions_refresh_on_commit",
    "suggestions_refresh_user",
]

logger = logging.getLogger(__name__)

DEFAULT_PURPOSE = "follow"
REFRESH_TASK = "konnaxion.kreative.tasks.suggestions_refresh_task"


class StoredSuggestion(TypedDict):
    """One person of a stored list (`PrecomputedSuggestions.suggestions`), as JSON."""

    user_id: int
    username: str
    score: float
    reasons: list[Reason]


class _Shown(TypedDict):
    """What `_still_suggestible` reads about a person it lets through."""

    pk: int
    username: str
    display_name: str | None
    headline: str | None


@dataclass(frozen=True)
class SuggestedPerson:
    """One person to show: who, how relevant, why (strongest reason first, as data)."""

    username: str
    display_name: str
    headline: str
    score: float
    reasons_detail: tuple[Reason, ...]

    @property
    def reasons(self) -> list[str]:
        """The reasons as sentences in the active language."""
        return reasons_text(self.reasons_detail)


def suggestion_request_clean(
    *, top_n: str | None, purpose: str | None, signals: str | None
) -> tuple[int, str, frozenset[str]]:
    """Validate the query parameters. Raises ValidationFailed with the offending fields."""
    errors: dict[str, str] = {}
    count = settings.AI_SUGGESTION_TOP_N
    if top_n not in (None, ""):
        try:
            count = int(top_n)
        except ValueError:
            count = 0
        if not 1 <= count <= MAX_TOP_N:
            errors["top_n"] = f"an integer between 1 and {MAX_TOP_N}"
    chosen_purpose = purpose or DEFAULT_PURPOSE
    if chosen_purpose not in PURPOSES:
        errors["purpose"] = "follow or collaborate"
    wanted = frozenset(name.strip() for name in (signals or "").split(",") if name.strip())
    if wanted - OPTIONAL_SIGNALS:
        errors["signals"] = f"unknown: {', '.join(sorted(wanted - OPTIONAL_SIGNALS))}"
    if errors:
        raise ValidationFailed(details={"fields": errors})
    return count, chosen_purpose, wanted


def signals_key(signals: frozenset[str]) -> str:
    return ",".join(sorted(signals))


def suggestions_compute(
    *, viewer_id: int, purpose: str, signals: frozenset[str]
) -> list[StoredSuggestion]:
    """The best `MAX_TOP_N` people for the viewer, as stored: user_id, username, score, reasons
    (each a `Reason`: code and parameters)."""
    index = neighbourhood_index(viewer_id=viewer_id, signals=signals)
    ranked = rank(viewer=viewer_id, index=index, purpose=purpose, top_n=MAX_TOP_N, signals=signals)
    return [
        {
            "user_id": item.user_id,
            "username": item.username,
            "score": item.score,
            "reasons": list(item.reasons),
        }
        for item in ranked
    ]


def suggestions_refresh(
    *, viewer_id: int, purpose: str, signals: frozenset[str]
) -> PrecomputedSuggestions:
    """Compute the viewer's list now and store it (one row per purpose and signals)."""
    suggestions = suggestions_compute(viewer_id=viewer_id, purpose=purpose, signals=signals)
    row = PrecomputedSuggestions(
        viewer_id=viewer_id,
        purpose=purpose,
        signals_key=signals_key(signals),
        suggestions=suggestions,
        computed_at=timezone.now(),
    )
    # One INSERT ... ON CONFLICT DO UPDATE: concurrent refreshes of one list never collide.
    PrecomputedSuggestions.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["viewer", "purpose", "signals_key"],
        update_fields=["suggestions", "computed_at"],
    )
    return row


def suggestions_refresh_user(*, user_id: int) -> int:
    """Recompute every list the user already has (the default one if none). Returns how many."""
    keys = list(
        PrecomputedSuggestions.objects.filter(viewer_id=user_id).values_list(
            "purpose", "signals_key"
        )
    ) or [(DEFAULT_PURPOSE, "")]
    for purpose, key in keys:
        signals = frozenset(name for name in key.split(",") if name)
        suggestions_refresh(viewer_id=user_id, purpose=purpose, signals=signals)
    return len(keys)


def suggestions_refresh_on_commit(*, user_ids: list[int]) -> None:
    """After commit, ask a worker to refresh these users' lists. A broker outage is logged,
    not raised: the lists are recomputed on demand once stale."""

    def enqueue() -> None:
        for user_id in dict.fromkeys(user_ids):
            try:
                task_enqueue(REFRESH_TASK, user_id)
            except (KombuError, RedisError, OSError) as error:
                logger.warning("suggestions refresh for %s not queued: %s", user_id, error)

    transaction.on_commit(enqueue)


def suggestions_precompute_active() -> int:
    """Refresh the lists of users active within `SUGGESTION_ACTIVE_DAYS`. Returns how many."""
    since = timezone.now() - timedelta(days=settings.SUGGESTION_ACTIVE_DAYS)
    user_ids = (
        User.objects.filter(is_active=True)
        .filter(Q(last_login__gte=since) | Q(professional_profile__updated_at__gte=since))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for user_id in user_ids.iterator():
        suggestions_refresh_user(user_id=user_id)
        count += 1
    return count


def suggestions_list(
    *, viewer: User, top_n: int, purpose: str, signals: frozenset[str]
) -> list[SuggestedPerson]:
    """Up to `top_n` people for `viewer`, best first, with reasons; counts the impressions.

    Served from the precomputed list when fresh, computed (and stored) otherwise; people the
    viewer followed, blocked, was blocked by or dismissed since, or who hid themselves, are
    left out, and so is anyone whose email address is not verified."""
    fresh_since = timezone.now() - timedelta(hours=settings.SUGGESTION_MAX_AGE_HOURS)
    row = PrecomputedSuggestions.objects.filter(
        viewer_id=viewer.pk,
        purpose=purpose,
        signals_key=signals_key(signals),
        computed_at__gte=fresh_since,
    ).first()
    if row is None or not _current_form(row.suggestions):
        row = suggestions_refresh(viewer_id=viewer.pk, purpose=purpose, signals=signals)
    entries = row.suggestions
    shown = _still_suggestible(viewer=viewer, user_ids=[entry["user_id"] for entry in entries])
    people = []
    shown_ids = []
    for entry in entries:
        profile = shown.get(entry["user_id"])
        if profile is None:
            continue
        shown_ids.append(entry["user_id"])
        people.append(
            SuggestedPerson(
                username=profile["username"],
                display_name=profile["display_name"] or "",
                headline=profile["headline"] or "",
                score=entry["score"],
                reasons_detail=tuple(entry["reasons"]),
            )
        )
        if len(people) == top_n:
            break
    _impressions_count(viewer_id=viewer.pk, user_ids=shown_ids)
    return people


def _current_form(entries: list[dict[str, Any]]) -> bool:
    """Whether a stored list holds its reasons as this version writes them (code, parameters)."""
    return all(is_reason(reason) for entry in entries for reason in entry["reasons"])


def _still_suggestible(*, viewer: User, user_ids: list[int]) -> dict[int, _Shown]:
    """Of `user_ids`, those the viewer may still be shown, with what the answer displays."""
    if not user_ids:
        return {}
    in_force_since = timezone.now() - timedelta(days=settings.SUGGESTION_DISMISSAL_DAYS)
    blocked = Block.objects.filter(Q(blocker=viewer) | Q(blocked=viewer))
    rows = (
        users_with_verified_email(User.objects.filter(pk__in=user_ids, is_active=True))
        .exclude(follower_links__follower=viewer)
        .exclude(pk__in=blocked.values("blocked_id"))
        .exclude(pk__in=blocked.values("blocker_id"))
        .exclude(
            pk__in=SuggestionDismissal.objects.filter(
                viewer=viewer, created_at__gte=in_force_since
            ).values("dismissed_id")
        )
        .exclude(professional_profile__discoverable=False)
        .exclude(professional_profile__visibility=ProfessionalProfile.Visibility.HIDDEN)
        .values(
            "pk",
            "username",
            display_name=F("professional_profile__display_name"),
            headline=F("professional_profile__headline"),
        )
    )
    return {row["pk"]: row for row in rows}


def _impressions_count(*, viewer_id: int, user_ids: list[int]) -> None:
    """One more impression for each person shown, at most one an hour (one statement)."""
    if not user_ids:
        return
    table = SuggestionImpression._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} (viewer_id, shown_id, count, last_shown_at)
            SELECT %s, shown, 1, now() FROM unnest(%s::bigint[]) AS shown
            ON CONFLICT (viewer_id, shown_id) DO UPDATE
            SET count = {table}.count + 1, last_shown_at = EXCLUDED.last_shown_at
            WHERE {table}.last_shown_at < EXCLUDED.last_shown_at - interval '1 hour'
            """,  # noqa: S608 - the table name comes from the model
            [viewer_id, user_ids],
        )


def suggestion_dismiss(*, viewer: User, username: str) -> SuggestionDismissal:
    """`viewer` no longer wants `username` suggested (for `SUGGESTION_DISMISSAL_DAYS`; each
    dismissal also pushes the person down for good). Raises NotFound, ValidationFailed."""
    # Someone deactivated, hidden or across a block answers like a name nobody has.
    other = user_get_visible(viewer=viewer, username=username)
    if other.pk == viewer.pk:
        raise ValidationFailed("One is never suggested to oneself.", code="dismiss_self")
    now = timezone.now()
    try:
        with transaction.atomic():
            dismissal, created = SuggestionDismissal.objects.get_or_create(
                viewer=viewer, dismissed=other, defaults={"created_at": now}
            )
    except IntegrityError:
        dismissal, created = SuggestionDismissal.objects.get(viewer=viewer, dismissed=other), False
    if not created:
        SuggestionDismissal.objects.filter(pk=dismissal.pk).update(
            count=F("count") + 1, created_at=now
        )
        dismissal.refresh_from_db()
    return dismissal
