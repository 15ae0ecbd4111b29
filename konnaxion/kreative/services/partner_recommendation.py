"""partner_recommendation: double-blind endorsements between people who worked together.

Only an ended CollabSession both took part in, a completed Project both were on the team of, or
an application the poster accepted (between its applicant and its poster, from the decision on)
qualifies; endorsements are written within ENDORSEMENT_WINDOW_DAYS after it ended and stay hidden
until the subject endorses back or ENDORSEMENT_BLIND_DAYS have passed.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from konnaxion.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.kreative.models import (
    CollabSession,
    CollabSessionParticipant,
    Endorsement,
    OpportunityApplication,
    ProfessionalProfile,
)
from konnaxion.kreative.services.professional_profile import users_blocked_between
from konnaxion.tags.models import Tag
from konnaxion.users.models import User


class NotEligible(PermissionDenied):
    code = "not_eligible"
    message = "Only people who took part in the same ended engagement may endorse each other."


class AlreadyEndorsed(Conflict):
    code = "already_endorsed"
    message = "You have already endorsed this person for this engagement."


class WindowClosed(Conflict):
    code = "window_closed"
    message = "Endorsements are accepted only within the window after the engagement ended."


Engagement = CollabSession | Project | OpportunityApplication


def _engagement_end(*, author: User, subject: User, engagement: Engagement) -> datetime:
    """When the shared engagement ended (an application: its acceptance). Raises NotEligible."""
    if isinstance(engagement, OpportunityApplication):
        pair = {engagement.applicant_id, engagement.opportunity.posted_by_id}
        accepted = engagement.status == OpportunityApplication.Status.ACCEPTED
        if not accepted or engagement.decided_at is None or pair != {author.pk, subject.pk}:
            raise NotEligible()
        return engagement.decided_at
    if isinstance(engagement, CollabSession):
        both = CollabSessionParticipant.objects.filter(
            session=engagement, user__in=[author.pk, subject.pk]
        ).count()
        if engagement.ended_at is None or both != 2:
            raise NotEligible()
        return engagement.ended_at
    both = ProjectTeam.objects.filter(project=engagement, user__in=[author.pk, subject.pk]).count()
    if engagement.status != Project.Status.COMPLETED or both != 2:
        raise NotEligible()
    # The project's last change is its completion: completed projects are no longer edited.
    return engagement.updated_at


def _skills_check(*, subject: User, skills: list[str]) -> list[Tag]:
    """The subject's own skill tags named `skills`. Raises ValidationFailed for others."""
    if not skills:
        return []
    profile = ProfessionalProfile.objects.filter(user=subject).first()
    own = {tag.name.lower(): tag for tag in profile.skills.all()} if profile else {}
    unknown = [name for name in skills if name.strip().lower() not in own]
    if unknown:
        raise ValidationFailed(
            "Endorsed skills must be among the subject's skills.",
            details={"fields": {"skills": unknown}},
        )
    return list(
        {own[name.strip().lower()].pk: own[name.strip().lower()] for name in skills}.values()
    )


def _reciprocal(endorsement: Endorsement) -> QuerySet[Endorsement]:
    return Endorsement.objects.filter(
        author=endorsement.subject_id,
        subject=endorsement.author_id,
        session=endorsement.session_id,
        project=endorsement.project_id,
        application=endorsement.application_id,
    )


@transaction.atomic
def endorsement_create(
    *,
    author: User,
    subject: User,
    rating: int,
    session: CollabSession | None = None,
    project: Project | None = None,
    application: OpportunityApplication | None = None,
    skills: list[str] | None = None,
    comment: str = "",
) -> Endorsement:
    """Endorse `subject` for a shared engagement (exactly one of `session`, `project`,
    `application`).

    Hidden until the subject endorses back (both are then published) or the blind period ends.
    Raises NotEligible (403 not_eligible), AlreadyEndorsed, WindowClosed (409), ValidationFailed.
    """
    engagements = [named for named in (session, project, application) if named is not None]
    if len(engagements) != 1:
        raise ValidationFailed(
            "Name one engagement: a session, a project or an application.", code="invalid"
        )
    if not 1 <= rating <= 5:
        raise ValidationFailed(details={"fields": {"rating": "from 1 to 5"}})
    if author.pk == subject.pk or users_blocked_between(user=author, other=subject):
        raise NotEligible()
    ended_at = _engagement_end(author=author, subject=subject, engagement=engagements[0])
    now = timezone.now()
    if now > ended_at + timedelta(days=settings.ENDORSEMENT_WINDOW_DAYS):
        raise WindowClosed(details={"ended_at": ended_at.isoformat()})
    tags = _skills_check(subject=subject, skills=skills or [])
    try:
        with transaction.atomic():
            endorsement = Endorsement.objects.create(
                author=author,
                subject=subject,
                session=session,
                project=project,
                application=application,
                engagement_ended_at=ended_at,
                rating=rating,
                comment=comment,
            )
    except IntegrityError as error:
        raise AlreadyEndorsed() from error
    endorsement.skills.set(tags)
    # Both sides have spoken: the two endorsements become public together.
    reciprocal = _reciprocal(endorsement).select_for_update().first()
    if reciprocal is not None:
        published = reciprocal.published_at or now
        Endorsement.objects.filter(pk__in=[endorsement.pk, reciprocal.pk]).update(
            published_at=published
        )
        endorsement.published_at = published
    return endorsement


@transaction.atomic
def endorsement_update(
    *,
    endorsement: Endorsement,
    actor: User,
    rating: int | None = None,
    skills: list[str] | None = None,
    comment: str | None = None,
) -> Endorsement:
    """The author changes an unpublished endorsement. Raises NotFound (others), Conflict."""
    if endorsement.author_id != actor.pk:
        raise NotFound("No such endorsement.")
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.published_at is not None:
        raise Conflict("A published endorsement can no longer change.", code="already_published")
    if rating is not None:
        if not 1 <= rating <= 5:
            raise ValidationFailed(details={"fields": {"rating": "from 1 to 5"}})
        endorsement.rating = rating
    if comment is not None:
        endorsement.comment = comment
    endorsement.save()
    if skills is not None:
        endorsement.skills.set(_skills_check(subject=endorsement.subject, skills=skills))
    return endorsement


@transaction.atomic
def endorsement_reply(*, endorsement: Endorsement, actor: User, reply: str) -> Endorsement:
    """The subject's one public reply to a published endorsement.

    Raises NotFound (not the subject, or not yet published), Conflict (already replied).
    """
    endorsement = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
    if endorsement.subject_id != actor.pk or endorsement.published_at is None:
        raise NotFound("No such endorsement.")
    if endorsement.replied_at is not None:
        raise Conflict("You have already replied.", code="already_replied")
    if not reply.strip():
        raise ValidationFailed(details={"fields": {"reply": "required"}})
    endorsement.reply = reply.strip()
    endorsement.replied_at = timezone.now()
    endorsement.save(update_fields=["reply", "replied_at", "updated_at"])
    return endorsement


def endorsements_publish_due(*, now: datetime | None = None) -> int:
    """Publish every hidden endorsement whose blind period is over; returns how many. Idempotent."""
    now = now or timezone.now()
    due = now - timedelta(days=settings.ENDORSEMENT_BLIND_DAYS)
    return Endorsement.objects.filter(
        Q(published_at__isnull=True) & Q(engagement_ended_at__lte=due)
    ).update(published_at=now)
