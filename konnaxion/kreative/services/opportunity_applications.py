"""opportunity_announcement, applications: applying to an opportunity on the board.

Part of opportunity_announcement (the Opportunities board): a poster lets an opportunity take
applications and asks questions; applicants keep a draft (statement, artworks of their own,
attachments, answers) until the deadline, submit it if eligible, and may withdraw it until a
decision. The entry fee is recorded per application by the poster (no payment is processed).
Reviewing the submitted applications is `opportunity_review`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.functions import TransactionNow
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse

from konnaxion.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from konnaxion.files.incoming import IncomingFile
from konnaxion.kreative.models import (
    ApplicationAnswer,
    ApplicationArtwork,
    ApplicationAttachment,
    ApplicationQuestion,
    KreativeArtwork,
    Opportunity,
    OpportunityApplication,
    ProfessionalProfile,
)
from konnaxion.kreative.services.attachments import attachments_store, uploads_discard
from konnaxion.kreative.services.professional_profile import users_blocked_between
from konnaxion.notifications.models import Kind
from konnaxion.notifications.services.delivery import notify
from konnaxion.users.models import User
from konnaxion.users.selectors import email_verified_check

Status = OpportunityApplication.Status
FeeStatus = OpportunityApplication.FeeStatus
MAX_ARTWORKS = 20
MAX_QUESTIONS = 30
MAX_ATTACHMENTS = 10
# Until a decision, the applicant may still step back.
WITHDRAWABLE = (Status.SUBMITTED, Status.IN_REVIEW, Status.SHORTLISTED)


class NotEligible(PermissionDenied):
    code = "not_eligible"
    message = "You do not meet the eligibility rules of this opportunity."


class ApplicationsClosed(Conflict):
    code = "applications_closed"
    message = "This opportunity takes no applications now: it is closed or its deadline passed."


class AlreadyApplied(Conflict):
    code = "already_applied"
    message = "You have already applied to this opportunity."


def application_url(application: OpportunityApplication) -> str:
    return reverse("web:application", args=[application.pk])


def application_status_notify(
    application: OpportunityApplication, *, actor: User | None, kind: str
) -> None:
    """Tell the applicant their application's new status (never naming anyone to jurors)."""
    notify(
        kind=kind,
        recipients=[application.applicant],
        actor=actor,
        target=application,
        params={"opportunity": application.opportunity.title, "status": application.status},
        url=application_url(application),
    )


# Questions ----------------------------------------------------------------------------------


def poster_check(opportunity: Opportunity, actor: User) -> None:
    if opportunity.posted_by_id != actor.pk:
        raise PermissionDenied("Only the poster may do this.")


@transaction.atomic
def opportunity_questions_set(
    *, opportunity: Opportunity, actor: User, questions: list[dict[str, Any]]
) -> list[ApplicationQuestion]:
    """Replace the questions applicants answer (`label`, `kind`, `options`, `required`), in
    order. Raises PermissionDenied (not the poster), Conflict (applications already submitted:
    their answers would no longer match), ValidationFailed."""
    poster_check(opportunity, actor)
    Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
    if opportunity.applications.exclude(status=Status.DRAFT).exists():
        raise Conflict(
            "Applications were already submitted: the questions can no longer change.",
            code="questions_locked",
        )
    if len(questions) > MAX_QUESTIONS:
        raise ValidationFailed(details={"fields": {"questions": f"at most {MAX_QUESTIONS}"}})
    rows = []
    for order, question in enumerate(questions):
        label = (question.get("label") or "").strip()
        kind = question.get("kind", ApplicationQuestion.Kind.TEXT)
        options = [o.strip() for o in question.get("options") or [] if o.strip()]
        if not label or kind not in ApplicationQuestion.Kind.values:
            raise ValidationFailed(details={"fields": {"questions": f"question {order + 1}"}})
        if kind == ApplicationQuestion.Kind.CHOICE and len(options) < 2:
            raise ValidationFailed(
                "A choice question needs at least two options.",
                details={"fields": {"questions": f"question {order + 1}"}},
            )
        rows.append(
            ApplicationQuestion(
                opportunity=opportunity,
                label=label,
                kind=kind,
                options=options if kind == ApplicationQuestion.Kind.CHOICE else [],
                required=bool(question.get("required")),
                order=order,
            )
        )
    opportunity.questions.all().delete()
    return ApplicationQuestion.objects.bulk_create(rows)


# Drafts --------------------------------------------------------------------------------------


def _open_for_applications(opportunity_id: int) -> Opportunity:
    """The opportunity, its row locked, if it takes applications at the moment the current
    transaction began (TransactionNow, not Now: Django's Now is the statement's own time, and
    a statement waiting for the lock would check an earlier moment than the one a later
    statement stamps). Raises ApplicationsClosed."""
    opportunity = (
        Opportunity.objects.select_for_update()
        .filter(pk=opportunity_id, status=Opportunity.Status.OPEN, accepts_applications=True)
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=TransactionNow()))
        .first()
    )
    if opportunity is None:
        raise ApplicationsClosed()
    return opportunity


def _artworks_set(*, application: OpportunityApplication, artwork_ids: list[int]) -> None:
    if len(artwork_ids) > MAX_ARTWORKS or len(set(artwork_ids)) != len(artwork_ids):
        raise ValidationFailed(details={"fields": {"artworks": "distinct, at most 20"}})
    own = set(
        KreativeArtwork.objects.filter(
            pk__in=artwork_ids, artist=application.applicant_id
        ).values_list("pk", flat=True)
    )
    others = [pk for pk in artwork_ids if pk not in own]
    if others:
        raise ValidationFailed(
            "Only your own artworks can be sent.", details={"fields": {"artworks": others}}
        )
    application.artworks.all().delete()
    ApplicationArtwork.objects.bulk_create(
        ApplicationArtwork(application=application, artwork_id=pk, order=order)
        for order, pk in enumerate(artwork_ids)
    )


def _answers_set(*, application: OpportunityApplication, answers: dict[int, Any]) -> None:
    """Text and choice answers by question id; a file question's answer is an attachment id
    of the application."""
    questions = {q.pk: q for q in application.opportunity.questions.all()}
    unknown = [pk for pk in answers if pk not in questions]
    if unknown:
        raise ValidationFailed(details={"fields": {"answers": f"unknown questions {unknown}"}})
    for pk, value in answers.items():
        question = questions[pk]
        text, attachment = str(value or "").strip(), None
        if (
            question.kind == ApplicationQuestion.Kind.CHOICE
            and text
            and text not in question.options
        ):
            raise ValidationFailed(details={"fields": {"answers": f"question {pk}: not an option"}})
        if question.kind == ApplicationQuestion.Kind.FILE and text:
            attachment = application.attachments.filter(
                pk=int(text) if text.isdigit() else 0
            ).first()
            if attachment is None:
                raise ValidationFailed(details={"fields": {"answers": f"question {pk}: no file"}})
            text = ""
        ApplicationAnswer.objects.update_or_create(
            application=application,
            question=question,
            defaults={"text": text, "attachment": attachment},
        )


def _attachments_add(
    *, application: OpportunityApplication, uploads: list[IncomingFile]
) -> list[ApplicationAttachment]:
    if application.attachments.count() + len(uploads) > MAX_ATTACHMENTS:
        uploads_discard(uploads)
        raise ValidationFailed(
            f"At most {MAX_ATTACHMENTS} attachments.",
            details={"fields": {"attachments": "too many"}},
        )
    return attachments_store(
        uploads=uploads,
        record=lambda blob, name, content_type: ApplicationAttachment.objects.create(
            application=application,
            blob=blob,
            name=name,
            content_type=content_type,
            size=blob.size,
        ),
    )


def _draft_fill(
    application: OpportunityApplication,
    *,
    statement: str | None,
    artworks: list[int] | None,
    answers: dict[int, Any] | None,
    attachments: list[IncomingFile],
) -> list[ApplicationAttachment]:
    if statement is not None:
        application.statement = statement
        application.save(update_fields=["statement", "updated_at"])
    if artworks is not None:
        _artworks_set(application=application, artwork_ids=artworks)
    stored = _attachments_add(application=application, uploads=attachments) if attachments else []
    if answers is not None:
        _answers_set(application=application, answers=answers)
    return stored


@transaction.atomic
def application_create(
    *,
    opportunity: Opportunity,
    applicant: User,
    statement: str = "",
    artworks: list[int] | None = None,
    answers: dict[int, Any] | None = None,
    attachments: list[IncomingFile] | None = None,
) -> OpportunityApplication:
    """Start a draft application to an open opportunity that takes applications, before its
    deadline. Raises EmailUnverified, ApplicationsClosed (409), NotEligible (403: the poster
    oneself, or a block between them), AlreadyApplied (409), ValidationFailed; nothing remains
    on refusal."""
    attachments = attachments or []
    try:
        email_verified_check(applicant)
        opportunity = _open_for_applications(opportunity.pk)
        if opportunity.posted_by_id == applicant.pk:
            raise NotEligible(
                "You cannot apply to your own opportunity.", details={"rule": "poster"}
            )
        if users_blocked_between(user=applicant, other=opportunity.posted_by):
            raise NotEligible(details={"rule": "blocked"})
        fee = FeeStatus.UNPAID if opportunity.entry_fee else FeeStatus.WAIVED
        try:
            with transaction.atomic():
                application = OpportunityApplication.objects.create(
                    opportunity=opportunity, applicant=applicant, fee_status=fee
                )
        except IntegrityError as error:
            raise AlreadyApplied() from error
    except BaseException:
        uploads_discard(attachments)
        raise
    _draft_fill(
        application,
        statement=statement,
        artworks=artworks,
        answers=answers,
        attachments=attachments,
    )
    return application


def _own_draft(application: OpportunityApplication, actor: User) -> OpportunityApplication:
    if application.applicant_id != actor.pk:
        raise NotFound("No such application.")
    locked = OpportunityApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != Status.DRAFT:
        raise Conflict("A submitted application no longer changes.", code="not_a_draft")
    return locked


@transaction.atomic
def application_update(
    *,
    application: OpportunityApplication,
    actor: User,
    statement: str | None = None,
    artworks: list[int] | None = None,
    answers: dict[int, Any] | None = None,
    attachments: list[IncomingFile] | None = None,
) -> OpportunityApplication:
    """Change one's draft until the deadline: statement, artworks (their order), answers, and
    more attachments. Raises NotFound (others), Conflict (not a draft), ApplicationsClosed,
    ValidationFailed, PayloadTooLarge, UnsupportedMediaType; nothing changes on refusal."""
    attachments = attachments or []
    try:
        _open_for_applications(application.opportunity_id)
        application = _own_draft(application, actor)
    except BaseException:
        uploads_discard(attachments)
        raise
    _draft_fill(
        application,
        statement=statement,
        artworks=artworks,
        answers=answers,
        attachments=attachments,
    )
    return application


@transaction.atomic
def application_attachment_delete(
    *, application: OpportunityApplication, actor: User, attachment_id: int
) -> None:
    """Remove an attachment from one's draft (its blob is collected later if unused)."""
    application = _own_draft(application, actor)
    deleted, _ = application.attachments.filter(pk=attachment_id).delete()
    if not deleted:
        raise NotFound("No such attachment.")


@transaction.atomic
def application_delete(*, application: OpportunityApplication, actor: User) -> None:
    """Throw one's draft away. Raises NotFound (others), Conflict (not a draft)."""
    _own_draft(application, actor).delete()


# Eligibility and submission ----------------------------------------------------------------


def _words(text: str) -> set[str]:
    return {part.strip().lower() for part in text.replace(";", ",").split(",") if part.strip()}


def eligibility_check(*, opportunity: Opportunity, applicant: User) -> None:
    """Raise NotEligible (403 not_eligible, `details.rule` naming it) unless `applicant`'s
    profile meets every rule the poster declared: a region or country of `eligible_regions`
    among the profile's region and city (each may list several, comma-separated); a role or
    skill of `eligible_roles`; open to collaboration when required."""
    profile = ProfessionalProfile.objects.filter(user=applicant).first()
    if opportunity.eligible_regions:
        wanted = {region.strip().lower() for region in opportunity.eligible_regions}
        where = _words(profile.region) | _words(profile.city) if profile else set()
        if not wanted & where:
            raise NotEligible(
                "Your profile's region is not among those this opportunity is open to.",
                details={"rule": "region", "allowed": opportunity.eligible_regions},
            )
    if opportunity.eligible_roles:
        wanted = {role.strip().lower() for role in opportunity.eligible_roles}
        has = set()
        if profile:
            has = {profile.role.lower()} | {tag.name.lower() for tag in profile.skills.all()}
        if not wanted & has:
            raise NotEligible(
                "Your profile has none of the roles or skills this opportunity asks for.",
                details={"rule": "role", "allowed": opportunity.eligible_roles},
            )
    if opportunity.requires_open_to_collaboration and not (
        profile and profile.open_to_collaboration
    ):
        raise NotEligible(
            "This opportunity is for people open to collaboration (see your profile).",
            details={"rule": "open_to_collaboration"},
        )


def _required_answers_check(application: OpportunityApplication) -> None:
    answered = {
        answer.question_id
        for answer in application.answers.all()
        if answer.text.strip() or answer.attachment_id
    }
    missing = [
        q.pk
        for q in application.opportunity.questions.filter(required=True)
        if q.pk not in answered
    ]
    if missing:
        raise ValidationFailed(
            "Answer every required question first.",
            code="answers_missing",
            details={"fields": {"answers": missing}},
        )


@transaction.atomic
def application_submit(
    *, application: OpportunityApplication, actor: User
) -> OpportunityApplication:
    """Submit one's draft. Atomic with the deadline: the opportunity's row is locked and the
    deadline compared with the database's clock in the same statement, so a submission racing
    the deadline (or a close) is either in, stamped before it, or refused.

    Raises NotFound (others), Conflict (not a draft), ApplicationsClosed (409), NotEligible
    (403, naming the rule), ValidationFailed (answers_missing)."""
    opportunity = _open_for_applications(application.opportunity_id)
    application = _own_draft(application, actor)
    if users_blocked_between(user=actor, other=opportunity.posted_by):
        raise NotEligible(details={"rule": "blocked"})
    eligibility_check(opportunity=opportunity, applicant=actor)
    _required_answers_check(application)
    OpportunityApplication.objects.filter(pk=application.pk).update(
        status=Status.SUBMITTED, submitted_at=TransactionNow(), updated_at=TransactionNow()
    )
    application.refresh_from_db()
    application_status_notify(application, actor=None, kind=Kind.APPLICATION_STATUS_CHANGED)
    notify(
        kind=Kind.APPLICATION_RECEIVED,
        recipients=[opportunity.posted_by],
        actor=actor,
        target=application,
        params={"opportunity": opportunity.title},
        url=application_url(application),
    )
    return application


@transaction.atomic
def application_withdraw(
    *, application: OpportunityApplication, actor: User
) -> OpportunityApplication:
    """The applicant withdraws a submitted application, until a decision (a draft is deleted
    instead); jurors no longer see it. Raises NotFound (others), Conflict (a draft, decided or
    already withdrawn)."""
    if application.applicant_id != actor.pk:
        raise NotFound("No such application.")
    application = OpportunityApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in WITHDRAWABLE:
        raise Conflict(
            f"The application is {application.status}: it can no longer be withdrawn.",
            code="not_withdrawable",
        )
    application.status = Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application


@transaction.atomic
def application_fee_set(
    *, application: OpportunityApplication, actor: User, fee_status: str
) -> OpportunityApplication:
    """The poster records the entry fee of a submitted application as unpaid, paid or waived.
    Raises PermissionDenied (not the poster), ValidationFailed."""
    poster_check(application.opportunity, actor)
    if fee_status not in FeeStatus.values:
        raise ValidationFailed(details={"fields": {"fee_status": "unpaid, paid or waived"}})
    application = OpportunityApplication.objects.select_for_update().get(pk=application.pk)
    application.fee_status = fee_status
    application.save(update_fields=["fee_status", "updated_at"])
    return application
