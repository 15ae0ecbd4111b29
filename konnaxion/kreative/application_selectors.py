"""Reads of applications and their review (opportunity_announcement), permission-filtered.

Who sees an application: its applicant (any status); the poster of its opportunity once it is
submitted (never a draft); a juror of the opportunity while it is in one of the opportunity's
review rounds and not withdrawn. Everyone else gets 404. `applications_visible_to` is the SQL
rule every path (REST, pages, CSV, notifications) goes through.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from konnaxion.core.errors import NotFound
from konnaxion.kreative.models import (
    ApplicationArtwork,
    ApplicationQuestion,
    Opportunity,
    OpportunityApplication,
    OpportunityJuror,
    ReviewRound,
    ReviewScore,
)
from konnaxion.kreative.selectors import _signed_in, opportunities_visible_to
from konnaxion.users.models import User

Status = OpportunityApplication.Status


def _juror_of(user: User, opportunity_ref: Any) -> Exists:
    return Exists(OpportunityJuror.objects.filter(opportunity=opportunity_ref, user=user))


def applications_visible_to(*, user: User | AnonymousUser) -> QuerySet[OpportunityApplication]:
    """The applications `user` may see (module docstring), with their opportunity and
    applicant; none of an opportunity posted by someone who does not exist for `user`."""
    if not _signed_in(user) or not user.is_active:
        return OpportunityApplication.objects.none()
    in_a_round = Exists(
        ReviewRound.applications.through.objects.filter(opportunityapplication=OuterRef("pk"))
    )
    judged = (
        _juror_of(user, OuterRef("opportunity"))
        & in_a_round
        & ~Q(status__in=[Status.DRAFT, Status.WITHDRAWN])
    )
    posted = Q(opportunity__posted_by=user) & ~Q(status=Status.DRAFT)
    return (
        OpportunityApplication.objects.filter(Q(applicant=user) | posted | judged)
        .filter(opportunity__in=opportunities_visible_to(user=user).values("pk"))
        .select_related("opportunity", "opportunity__posted_by", "applicant")
    )


def application_get_for(*, user: User | AnonymousUser, pk: int) -> OpportunityApplication:
    """An application `user` may see, with what it is made of. Raises NotFound."""
    application = (
        applications_visible_to(user=user)
        .filter(pk=pk)
        .select_related("applicant__professional_profile")
        .prefetch_related(
            Prefetch(
                "artworks",
                queryset=ApplicationArtwork.objects.select_related("artwork").order_by("order"),
            ),
            "attachments",
            "answers__question",
            "answers__attachment",
        )
        .first()
    )
    if application is None:
        raise NotFound("No such application.")
    return application


def applications_of(*, user: User | AnonymousUser) -> QuerySet[OpportunityApplication]:
    """`user`'s own applications, newest first."""
    if not _signed_in(user):
        return OpportunityApplication.objects.none()
    return applications_visible_to(user=user).filter(applicant=user)


def opportunity_role_of(*, user: User | AnonymousUser, opportunity: Opportunity) -> str | None:
    """ "poster", "juror" or None: how `user` takes part in reviewing `opportunity`."""
    if not _signed_in(user):
        return None
    if opportunity.posted_by_id == user.pk:
        return "poster"
    if OpportunityJuror.objects.filter(opportunity=opportunity, user=user).exists():
        return "juror"
    return None


def opportunity_get_reviewed_by(*, user: User | AnonymousUser, pk: int) -> tuple[Opportunity, str]:
    """An opportunity `user` posted or judges, and which of the two. Raises NotFound for anyone
    else (the opportunity may be public, its applications are not)."""
    opportunity = opportunities_visible_to(user=user).filter(pk=pk).first()
    role = opportunity_role_of(user=user, opportunity=opportunity) if opportunity else None
    if opportunity is None or role is None:
        raise NotFound("No such opportunity.")
    return opportunity, role


def applications_reviewed(
    *, user: User, opportunity: Opportunity, round_number: int | None = None
) -> QuerySet[OpportunityApplication]:
    """The applications of `opportunity` that `user` reviews: every submitted one for the
    poster, the in-round ones for a juror; `round_number` keeps one round's."""
    queryset = applications_visible_to(user=user).filter(opportunity=opportunity)
    queryset = queryset.exclude(status=Status.DRAFT).exclude(applicant=user)
    if round_number is not None:
        queryset = queryset.filter(review_rounds__number=round_number)
    elif opportunity.posted_by_id != user.pk:
        queryset = queryset.filter(review_rounds__isnull=False).distinct()
    return queryset.prefetch_related("review_rounds").order_by("submitted_at", "id")


def identity_hidden(*, application: OpportunityApplication, viewer: User | AnonymousUser) -> bool:
    """Whether `viewer` must not learn who applied: a juror (neither the poster nor the
    applicant) while the latest round the application is in is blind. Every adapter showing
    an application to a juror (API, pages, CSV) asks this."""
    if viewer.pk in (application.applicant_id, application.opportunity.posted_by_id):
        return False
    rounds = sorted(application.review_rounds.all(), key=lambda round_: round_.number)
    return bool(rounds) and rounds[-1].blind


def questions_of(*, opportunity: Opportunity) -> QuerySet[ApplicationQuestion]:
    return ApplicationQuestion.objects.filter(opportunity=opportunity).order_by("order", "id")


def rounds_of(*, opportunity: Opportunity) -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(opportunity=opportunity).prefetch_related("criteria")


def round_current(*, opportunity: Opportunity) -> ReviewRound | None:
    """The latest round of `opportunity`, the one jurors score now."""
    return rounds_of(opportunity=opportunity).order_by("-number").first()


def jurors_of(*, opportunity: Opportunity) -> QuerySet[OpportunityJuror]:
    return OpportunityJuror.objects.filter(opportunity=opportunity).select_related("user")


def jurors_visible_to(*, user: User | AnonymousUser) -> QuerySet[OpportunityJuror]:
    """Jury seats `user` may see: their own, and those of the opportunities they posted."""
    if not _signed_in(user):
        return OpportunityJuror.objects.none()
    return OpportunityJuror.objects.filter(Q(user=user) | Q(opportunity__posted_by=user))


def scores_of(
    *, application: OpportunityApplication, round_: ReviewRound, viewer: User
) -> QuerySet[ReviewScore]:
    """The scores of `application` in `round_` that `viewer` may read: all of them for the
    poster; for a juror, their own, and the others' only once they scored every criterion."""
    scores = ReviewScore.objects.filter(application=application, criterion__round=round_)
    scores = scores.select_related("criterion", "juror")
    if application.opportunity.posted_by_id == viewer.pk:
        return scores
    own = scores.filter(juror=viewer)
    if own.count() < round_.criteria.count():
        return own
    return scores


def opportunities_with_applications_of(*, user: User) -> QuerySet[Opportunity]:
    """Opportunities `user` posted that take applications, and those they judge."""
    return (
        opportunities_visible_to(user=user)
        .filter(Q(posted_by=user, accepts_applications=True) | Q(jurors__user=user))
        .distinct()
    )
