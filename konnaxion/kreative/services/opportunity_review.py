"""opportunity_announcement, review: juries score the applications of an opportunity.

Part of opportunity_announcement (the Opportunities board). The poster invites jurors, opens
review rounds (name, weighted criteria, optionally blind: jurors then never learn who applied),
shortlists, advances the shortlisted into a next round, decides (accepted or declined) and
exports the scores as CSV. Jurors score each application of the current round 1-5 per
criterion. Who sees what is `application_selectors`.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from konnaxion.core.errors import Conflict, NotFound, ValidationFailed
from konnaxion.kreative.application_selectors import (
    applications_reviewed,
    identity_hidden,
    round_current,
)
from konnaxion.kreative.models import (
    Opportunity,
    OpportunityApplication,
    OpportunityJuror,
    ReviewCriterion,
    ReviewRound,
    ReviewScore,
)
from konnaxion.kreative.models.applications import SCORE_MAX, SCORE_MIN
from konnaxion.kreative.services.opportunity_applications import (
    application_status_notify,
    poster_check,
)
from konnaxion.notifications.models import Kind
from konnaxion.notifications.services.delivery import notify
from konnaxion.users.models import User

Status = OpportunityApplication.Status
MAX_CRITERIA = 12
# What a new round takes: the never-reviewed submitted ones and the shortlisted ones advancing.
ENTERING_A_ROUND = (Status.SUBMITTED, Status.SHORTLISTED)
DECIDABLE = (Status.SUBMITTED, Status.IN_REVIEW, Status.SHORTLISTED)
DECISIONS = (Status.ACCEPTED, Status.DECLINED)


# Jurors -----------------------------------------------------------------------------------


@transaction.atomic
def juror_invite(*, opportunity: Opportunity, actor: User, user: User) -> OpportunityJuror:
    """The poster adds `user` to the jury (idempotent); they are told. Raises PermissionDenied
    (not the poster), ValidationFailed (oneself, or an applicant of this opportunity)."""
    poster_check(opportunity, actor)
    if user.pk == actor.pk:
        raise ValidationFailed("You review your applications already.", code="juror_is_poster")
    if opportunity.applications.filter(applicant=user).exclude(status=Status.DRAFT).exists():
        raise ValidationFailed("An applicant cannot judge the same call.", code="juror_applied")
    juror, created = OpportunityJuror.objects.get_or_create(opportunity=opportunity, user=user)
    if created:
        notify(
            kind=Kind.JUROR_INVITED,
            recipients=[user],
            actor=actor,
            target=juror,
            params={"opportunity": opportunity.title},
            url=reverse("web:opportunity_review", args=[opportunity.pk]),
        )
    return juror


@transaction.atomic
def juror_remove(*, opportunity: Opportunity, actor: User, user: User) -> None:
    """The poster removes a juror: from this moment on they see none of the applications
    (their scores so far stay in the results). Raises PermissionDenied, NotFound."""
    poster_check(opportunity, actor)
    deleted, _ = OpportunityJuror.objects.filter(opportunity=opportunity, user=user).delete()
    if not deleted:
        raise NotFound("No such juror.")


# Rounds -----------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    opportunity: Opportunity,
    actor: User,
    name: str,
    criteria: list[dict[str, Any]],
    blind: bool = False,
) -> ReviewRound:
    """Open the next review round with its criteria (`label`, `weight` 1-100). It takes every
    submitted application not yet reviewed and every shortlisted one (advancing), which become
    `in_review` (their applicants are told). Raises PermissionDenied, ValidationFailed,
    Conflict (no application to review)."""
    poster_check(opportunity, actor)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not name.strip() or not criteria or len(criteria) > MAX_CRITERIA:
        raise ValidationFailed(
            details={"fields": {"criteria": f"1 to {MAX_CRITERIA} criteria and a name"}}
        )
    for criterion in criteria:
        weight = criterion.get("weight", 1)
        if not str(criterion.get("label", "")).strip() or not 1 <= int(weight) <= 100:
            raise ValidationFailed(details={"fields": {"criteria": "a label and a weight 1-100"}})
    entering = list(
        OpportunityApplication.objects.select_for_update()
        .filter(opportunity=opportunity, status__in=ENTERING_A_ROUND)
        .select_related("applicant", "opportunity")
    )
    if not entering:
        raise Conflict(
            "No submitted or shortlisted application to review.", code="nothing_to_review"
        )
    last = opportunity.review_rounds.order_by("-number").first()
    round_ = ReviewRound.objects.create(
        opportunity=opportunity,
        number=(last.number + 1) if last else 1,
        name=name.strip(),
        blind=blind,
    )
    ReviewCriterion.objects.bulk_create(
        ReviewCriterion(
            round=round_, label=c["label"].strip(), weight=int(c.get("weight", 1)), order=order
        )
        for order, c in enumerate(criteria)
    )
    round_.applications.set(entering)
    OpportunityApplication.objects.filter(pk__in=[a.pk for a in entering]).update(
        status=Status.IN_REVIEW, updated_at=timezone.now()
    )
    for application in entering:
        application.status = Status.IN_REVIEW
        application_status_notify(application, actor=actor, kind=Kind.APPLICATION_STATUS_CHANGED)
    return round_


# Scores -----------------------------------------------------------------------------------


@transaction.atomic
def scores_set(
    *, application: OpportunityApplication, juror: User, scores: list[dict[str, Any]]
) -> list[ReviewScore]:
    """A juror scores an application of the current round: `{"criterion", "value" 1-5,
    "comment"}` per criterion (each replaces the juror's earlier score). Raises NotFound (not a
    juror now, or not in the current round, or withdrawn), Conflict (decided),
    ValidationFailed."""
    seat = (
        OpportunityJuror.objects.select_for_update()
        .filter(opportunity=application.opportunity_id, user=juror)
        .first()
    )
    round_ = round_current(opportunity=application.opportunity)
    application = OpportunityApplication.objects.select_for_update().get(pk=application.pk)
    if seat is None or round_ is None or application.status in (Status.DRAFT, Status.WITHDRAWN):
        raise NotFound("No such application.")
    if not round_.applications.filter(pk=application.pk).exists():
        raise NotFound("No such application.")
    if application.status in DECISIONS:
        raise Conflict("A decision was made: scores no longer change.", code="already_decided")
    criteria = {c.pk: c for c in round_.criteria.all()}
    rows = []
    for score in scores:
        named = score.get("criterion")
        criterion = criteria.get(named) if isinstance(named, int) else None
        value = score.get("value")
        if criterion is None or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            raise ValidationFailed(
                details={"fields": {"scores": "a criterion of the round and a value from 1 to 5"}}
            )
        row, _ = ReviewScore.objects.update_or_create(
            criterion=criterion,
            application=application,
            juror=juror,
            defaults={"value": value, "comment": str(score.get("comment") or "")[:5000]},
        )
        rows.append(row)
    return rows


@dataclass(frozen=True)
class ScoreSummary:
    """The results of one application in one round: the weighted average over all its scores,
    and the spread of the jurors' own weighted averages (min, max, population std-dev)."""

    average: float | None
    minimum: float | None
    maximum: float | None
    std_dev: float | None
    count: int
    jurors: int


def _weighted(scores: Iterable[ReviewScore]) -> float | None:
    scores = list(scores)
    weight = sum(score.criterion.weight for score in scores)
    if not weight:
        return None
    return sum(score.value * score.criterion.weight for score in scores) / weight


def score_summaries(
    *, round_: ReviewRound, applications: Iterable[OpportunityApplication]
) -> dict[int, ScoreSummary]:
    """The ScoreSummary of each application in `round_` (for the poster), in one query."""
    ids = [application.pk for application in applications]
    by_application: dict[int, list[ReviewScore]] = defaultdict(list)
    for score in ReviewScore.objects.filter(
        criterion__round=round_, application__in=ids
    ).select_related("criterion"):
        by_application[score.application_id].append(score)
    summaries = {}
    for pk in ids:
        scores = by_application.get(pk, [])
        by_juror: dict[int, list[ReviewScore]] = defaultdict(list)
        for score in scores:
            by_juror[score.juror_id].append(score)
        per_juror = [value for value in map(_weighted, by_juror.values()) if value is not None]
        summaries[pk] = ScoreSummary(
            average=round(value, 3) if (value := _weighted(scores)) is not None else None,
            minimum=round(min(per_juror), 3) if per_juror else None,
            maximum=round(max(per_juror), 3) if per_juror else None,
            std_dev=round(statistics.pstdev(per_juror), 3) if per_juror else None,
            count=len(scores),
            jurors=len(by_juror),
        )
    return summaries


# Shortlist and decisions -------------------------------------------------------------------


def _poster_locked(application: OpportunityApplication, actor: User) -> OpportunityApplication:
    poster_check(application.opportunity, actor)
    locked = (
        OpportunityApplication.objects.select_for_update(of=("self",))
        .select_related("opportunity", "applicant")
        .get(pk=application.pk)
    )
    if locked.status == Status.DRAFT:
        raise NotFound("No such application.")
    return locked


@transaction.atomic
def application_shortlist(
    *, application: OpportunityApplication, actor: User
) -> OpportunityApplication:
    """The poster shortlists a submitted or in-review application (it enters the next round
    they open); the applicant is told. Raises PermissionDenied, Conflict."""
    application = _poster_locked(application, actor)
    if application.status not in (Status.SUBMITTED, Status.IN_REVIEW):
        raise Conflict(
            f"The application is {application.status}: it cannot be shortlisted.",
            code="not_shortlistable",
        )
    application.status = Status.SHORTLISTED
    application.save(update_fields=["status", "updated_at"])
    application_status_notify(application, actor=actor, kind=Kind.APPLICATION_STATUS_CHANGED)
    return application


@transaction.atomic
def application_decide(
    *, application: OpportunityApplication, actor: User, decision: str
) -> OpportunityApplication:
    """The poster accepts or declines (`decision`) an application under review; the applicant
    is told. Once accepted, the two may endorse each other (partner_recommendation). Raises
    PermissionDenied, ValidationFailed, Conflict (withdrawn or already decided)."""
    if decision not in DECISIONS:
        raise ValidationFailed(details={"fields": {"decision": "accepted or declined"}})
    application = _poster_locked(application, actor)
    if application.status not in DECIDABLE:
        raise Conflict(
            f"The application is {application.status}: no decision can be made.",
            code="not_decidable",
        )
    application.status = decision
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    application_status_notify(application, actor=actor, kind=Kind.APPLICATION_DECIDED)
    return application


# Export -----------------------------------------------------------------------------------

CSV_HEADER = [
    "round",
    "application",
    "applicant",
    "status",
    "juror",
    "criterion",
    "weight",
    "score",
    "comment",
]


def scores_csv(*, opportunity: Opportunity, viewer: User) -> str:
    """Every score `viewer` may read, one row per application x juror x criterion, as CSV.
    The poster reads all of them with names; a juror their own, and in a blind round the
    applicants as "Applicant <id>"."""
    is_poster = opportunity.posted_by_id == viewer.pk
    applications = {a.pk: a for a in applications_reviewed(user=viewer, opportunity=opportunity)}
    scores = (
        ReviewScore.objects.filter(
            criterion__round__opportunity=opportunity, application__in=list(applications)
        )
        .select_related("criterion__round", "juror")
        .order_by("criterion__round__number", "application_id", "juror_id", "criterion__order")
    )
    if not is_poster:
        scores = scores.filter(juror=viewer)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for score in scores:
        application = applications[score.application_id]
        hidden = identity_hidden(application=application, viewer=viewer)
        writer.writerow(
            [
                _cell(score.criterion.round.name),
                application.pk,
                _cell(application.blind_label if hidden else application.applicant.username),
                application.status,
                _cell(score.juror.username),
                _cell(score.criterion.label),
                score.criterion.weight,
                score.value,
                _cell(score.comment),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
