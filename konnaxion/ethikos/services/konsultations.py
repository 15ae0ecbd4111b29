"""Konsultations: public consultations, suggestions, weighted votes, results and follow-up.

A consultation's votes are weighted as Smart Vote weights its votes: weighted_value = raw_value
x `konnaxion.ekoh.services.expertise.voter_weight(user, consultation.category)`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.core.permissions import is_moderator
from konnaxion.ekoh.models import ExpertiseCategory
from konnaxion.ekoh.services.expertise import voter_weight
from konnaxion.ethikos.models import (
    CitizenSuggestion,
    Consultation,
    ConsultationResult,
    ConsultationVote,
    ImpactTrack,
)
from konnaxion.users.models import User


def _require_moderator(actor: User) -> None:
    if not is_moderator(actor):
        raise PermissionDenied("Only moderators manage consultations.")


def _open_consultation_locked(*, consultation: Consultation) -> Consultation:
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    now = timezone.now()
    if locked.status != Consultation.Status.OPEN or not locked.open_date <= now < locked.close_date:
        raise Conflict("This consultation is not open.", code="consultation_not_open")
    return locked


@transaction.atomic
def consultation_create(
    *,
    created_by: User,
    title: str,
    open_date: datetime,
    close_date: datetime,
    description: str = "",
    category: ExpertiseCategory | None = None,
) -> Consultation:
    """Create a consultation (moderators only). Raises PermissionDenied, ValidationFailed."""
    _require_moderator(created_by)
    if not title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    if close_date <= open_date:
        raise ValidationFailed(
            "The close date must follow the open date.",
            details={"fields": {"close_date": "not after open_date"}},
        )
    return Consultation.objects.create(
        created_by=created_by,
        title=title.strip(),
        description=description,
        category=category,
        open_date=open_date,
        close_date=close_date,
    )


@transaction.atomic
def suggestion_submit(
    *, consultation: Consultation, author: User, content: str
) -> CitizenSuggestion:
    """Add a suggestion while the consultation is open. Raises ValidationFailed, Conflict."""
    if not content.strip():
        raise ValidationFailed(details={"fields": {"content": "blank"}})
    consultation = _open_consultation_locked(consultation=consultation)
    return CitizenSuggestion.objects.create(
        consultation=consultation, author=author, content=content.strip()
    )


@transaction.atomic
def consultation_vote_cast(
    *, consultation: Consultation, user: User, raw_value: int
) -> ConsultationVote:
    """Vote -1/0/+1 while the consultation is open (voting again replaces the vote).

    Stores the EkoH voter weight in the consultation's category and the weighted value.
    Raises ValidationFailed, Conflict (not open).
    """
    if isinstance(raw_value, bool) or raw_value not in (-1, 0, 1):
        raise ValidationFailed(
            "A consultation vote is -1, 0 or 1.", details={"fields": {"raw_value": "not -1/0/1"}}
        )
    consultation = _open_consultation_locked(consultation=consultation)
    weight = voter_weight(user=user, category=consultation.category)
    vote, _ = ConsultationVote.objects.update_or_create(
        user=user,
        consultation=consultation,
        defaults={
            "raw_value": raw_value,
            "weight": weight,
            "weighted_value": (Decimal(raw_value) * weight).quantize(Decimal("0.001")),
        },
    )
    return vote


def consultation_results_compute(*, consultation: Consultation) -> dict[str, Any]:
    """The snapshot stored in ConsultationResult.results_data (decimals as strings)."""
    totals = consultation.votes.aggregate(
        vote_count=Count("id"),
        sum_raw=Sum("raw_value"),
        sum_weight=Sum("weight"),
        sum_weighted=Sum("weighted_value"),
        **{
            f"{name}_count": Count("id", filter=Q(raw_value=value))
            for name, value in (("for", 1), ("neutral", 0), ("against", -1))
        },
        **{
            f"{name}_weight": Sum("weight", filter=Q(raw_value=value))
            for name, value in (("for", 1), ("neutral", 0), ("against", -1))
        },
    )
    sum_weight = totals["sum_weight"] or Decimal("0")
    support = (
        ((totals["for_weight"] or Decimal("0")) / sum_weight).quantize(Decimal("0.0001"))
        if sum_weight
        else Decimal("0")
    )
    return {
        "vote_count": totals["vote_count"],
        "sum_raw_value": totals["sum_raw"] or 0,
        "sum_weight": str(sum_weight),
        "sum_weighted_value": str(totals["sum_weighted"] or Decimal("0")),
        "counts": {name: totals[f"{name}_count"] for name in ("for", "neutral", "against")},
        "weights": {
            name: str(totals[f"{name}_weight"] or Decimal("0"))
            for name in ("for", "neutral", "against")
        },
        "weighted_support": str(support),
        "suggestion_count": consultation.suggestions.count(),
    }


@transaction.atomic
def consultation_close(*, consultation: Consultation) -> ConsultationResult:
    """Close the consultation and store its result snapshot; closing again recomputes nothing
    new (idempotent). Archived consultations keep their status."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if consultation.status == Consultation.Status.OPEN:
        consultation.status = Consultation.Status.CLOSED
        consultation.save(update_fields=["status"])
    result, _ = ConsultationResult.objects.update_or_create(
        consultation=consultation,
        defaults={"results_data": consultation_results_compute(consultation=consultation)},
    )
    return result


def consultations_close_due(*, now: datetime | None = None) -> list[int]:
    """Close every open consultation whose close date has passed (the beat task's work)."""
    now = now or timezone.now()
    due = Consultation.objects.filter(status=Consultation.Status.OPEN, close_date__lte=now)
    closed = []
    for consultation in due.order_by("pk"):
        consultation_close(consultation=consultation)
        closed.append(consultation.pk)
    return closed


@transaction.atomic
def consultation_close_now(*, consultation: Consultation, actor: User) -> ConsultationResult:
    """A moderator closes a consultation early. Raises PermissionDenied, Conflict."""
    _require_moderator(actor)
    if consultation.status != Consultation.Status.OPEN:
        raise Conflict("This consultation is not open.", code="consultation_not_open")
    return consultation_close(consultation=consultation)


@transaction.atomic
def impact_track_add(
    *, consultation: Consultation, actor: User, action: str, status: str, on: date | None = None
) -> ImpactTrack:
    """Log a follow-up action of a closed consultation (moderators only)."""
    _require_moderator(actor)
    if consultation.status == Consultation.Status.OPEN:
        raise Conflict("Follow-up is logged once the consultation has closed.", code="still_open")
    if not action.strip():
        raise ValidationFailed(details={"fields": {"action": "blank"}})
    return ImpactTrack.objects.create(
        consultation=consultation,
        action=action.strip(),
        status=status,
        date=on or timezone.now().date(),
        created_by=actor,
    )
