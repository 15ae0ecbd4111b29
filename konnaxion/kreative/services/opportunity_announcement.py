"""opportunity_announcement: the Opportunities board (residencies, exhibitions, calls, jobs)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.utils import timezone

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.core.permissions import is_moderator
from konnaxion.core.search import ENGLISH_CONFIGURATION
from konnaxion.files.incoming import IncomingFile
from konnaxion.kreative.models import Opportunity, OpportunityAttachment, SavedOpportunity
from konnaxion.kreative.services.attachments import attachments_store
from konnaxion.kreative.services.limits import limit_check, owner_lock
from konnaxion.tags.services import tags_get_or_create
from konnaxion.users.models import User
from konnaxion.users.selectors import email_verified_check

Status = Opportunity.Status
SEARCH_CONFIG = ENGLISH_CONFIGURATION
EDITABLE_FIELDS = (
    "type",
    "title",
    "description",
    "organisation",
    "region",
    "city",
    "country",
    "remote",
    "starts_on",
    "ends_on",
    "deadline",
    "eligibility_scope",
    "eligibility",
    "entry_fee",
    "compensation",
    "currency",
    "apply_url",
    "apply_instructions",
    "accepts_applications",
    "eligible_regions",
    "eligible_roles",
    "requires_open_to_collaboration",
)


def _check(opportunity: Opportunity, *, creating: bool) -> None:
    errors: dict[str, str] = {}
    if opportunity.type not in Opportunity.Type.values:
        errors["type"] = "unknown type"
    if opportunity.eligibility_scope not in Opportunity.EligibilityScope.values:
        errors["eligibility_scope"] = "unknown scope"
    if (
        opportunity.starts_on
        and opportunity.ends_on
        and opportunity.ends_on < opportunity.starts_on
    ):
        errors["ends_on"] = "ends before it starts"
    if creating and opportunity.deadline and opportunity.deadline <= timezone.now():
        errors["deadline"] = "already passed"
    says_how = opportunity.apply_url or opportunity.apply_instructions.strip()
    if not says_how and not opportunity.accepts_applications:
        errors["apply_url"] = "say how to apply: a URL, instructions or applications here"
    if opportunity.apply_url and not opportunity.apply_url.startswith("https://"):
        errors["apply_url"] = "must be an https URL"
    money = opportunity.entry_fee or opportunity.compensation
    if money and not (len(opportunity.currency) == 3 and opportunity.currency.isalpha()):
        errors["currency"] = "an ISO 4217 code (EUR, USD...) is needed with an amount"
    if errors:
        raise ValidationFailed(details={"fields": errors})
    opportunity.currency = opportunity.currency.upper()


def opportunity_search_vector_refresh(*, opportunity: Opportunity) -> None:
    """Recompute the search document: title and tags A, organisation and place B, description C."""
    tags = " ".join(tag.name for tag in opportunity.tags.all())
    Opportunity.objects.filter(pk=opportunity.pk).update(
        search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector(Value(tags), weight="A", config=SEARCH_CONFIG)
        + SearchVector("organisation", "city", "country", weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", "eligibility", weight="C", config=SEARCH_CONFIG)
    )


def _attachments_store(*, opportunity: Opportunity, uploads: list[IncomingFile]) -> None:
    """Check and store every upload; on any refusal all uploads are discarded."""
    attachments_store(
        uploads=uploads,
        record=lambda blob, name, content_type: OpportunityAttachment.objects.create(
            opportunity=opportunity,
            blob=blob,
            name=name,
            content_type=content_type,
            size=blob.size,
        ),
    )


@transaction.atomic
def opportunity_create(
    *,
    posted_by: User,
    tags: list[str] | None = None,
    attachments: list[IncomingFile] | None = None,
    **fields: Any,
) -> Opportunity:
    """Post an opportunity, open from now on. Attachments are PDF, PNG or JPG files checked by
    content, each at most OPPORTUNITY_ATTACHMENT_MAX_MB.

    Raises EmailUnverified (403 email_unverified: the poster's address is not verified),
    ValidationFailed, PayloadTooLarge, UnsupportedMediaType, LimitReached (409
    too_many_open_opportunities past OPPORTUNITY_MAX_OPEN_PER_USER open ones); nothing remains
    on refusal.
    """
    attachments = attachments or []
    try:
        email_verified_check(posted_by)
        unknown = set(fields) - set(EDITABLE_FIELDS)
        if unknown:
            raise ValidationFailed(details={"fields": {name: "unknown" for name in unknown}})
        if len(attachments) > settings.OPPORTUNITY_MAX_ATTACHMENTS:
            raise ValidationFailed(
                f"At most {settings.OPPORTUNITY_MAX_ATTACHMENTS} attachments.",
                details={"fields": {"attachments": "too many"}},
            )
        opportunity = Opportunity(posted_by=posted_by, status=Status.OPEN, **fields)
        _check(opportunity, creating=True)
        owner_lock(posted_by)
        limit_check(
            used=Opportunity.objects.filter(posted_by=posted_by, status=Status.OPEN).count(),
            limit=settings.OPPORTUNITY_MAX_OPEN_PER_USER,
            code="too_many_open_opportunities",
            message="You already have as many open opportunities as allowed: close one first.",
        )
        opportunity.save()
        if tags:
            opportunity.tags.set(tags_get_or_create(names=tags))
    except BaseException:
        for upload in attachments:
            upload.discard()
        raise
    _attachments_store(opportunity=opportunity, uploads=attachments)
    opportunity_search_vector_refresh(opportunity=opportunity)
    return opportunity


def _locked_for_change(*, opportunity: Opportunity, actor: User) -> Opportunity:
    if opportunity.posted_by_id != actor.pk and not is_moderator(actor):
        raise PermissionDenied("Only the poster may change this opportunity.")
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


@transaction.atomic
def opportunity_update(
    *, opportunity: Opportunity, actor: User, tags: list[str] | None = None, **fields: Any
) -> Opportunity:
    """Change an open opportunity. Raises PermissionDenied, Conflict (closed or filled),
    ValidationFailed."""
    opportunity = _locked_for_change(opportunity=opportunity, actor=actor)
    if opportunity.status != Status.OPEN:
        raise Conflict(
            f"The opportunity is {opportunity.status}; it can no longer change.",
            code="opportunity_not_open",
        )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(details={"fields": {name: "not editable" for name in unknown}})
    for name, value in fields.items():
        setattr(opportunity, name, value)
    _check(opportunity, creating="deadline" in fields)
    opportunity.save()
    if tags is not None:
        opportunity.tags.set(tags_get_or_create(names=tags))
    opportunity_search_vector_refresh(opportunity=opportunity)
    return opportunity


@transaction.atomic
def opportunity_close(*, opportunity: Opportunity, actor: User) -> Opportunity:
    """Close an open opportunity. Raises PermissionDenied, Conflict (not open)."""
    opportunity = _locked_for_change(opportunity=opportunity, actor=actor)
    if opportunity.status != Status.OPEN:
        raise Conflict(
            f"The opportunity is already {opportunity.status}.", code="opportunity_not_open"
        )
    opportunity.status = Status.CLOSED
    opportunity.save(update_fields=["status", "updated_at"])
    return opportunity


@transaction.atomic
def opportunity_fill(*, opportunity: Opportunity, actor: User) -> Opportunity:
    """Mark an open or closed opportunity filled, for good. Raises PermissionDenied, Conflict."""
    opportunity = _locked_for_change(opportunity=opportunity, actor=actor)
    if opportunity.status == Status.FILLED:
        raise Conflict("The opportunity is already filled.", code="opportunity_filled")
    opportunity.status = Status.FILLED
    opportunity.save(update_fields=["status", "updated_at"])
    return opportunity


@transaction.atomic
def opportunity_delete(*, opportunity: Opportunity, actor: User) -> None:
    """Delete the opportunity (its attachments' blobs are collected later if unused)."""
    _locked_for_change(opportunity=opportunity, actor=actor).delete()


def opportunity_save(*, opportunity: Opportunity, user: User) -> SavedOpportunity:
    """Bookmark the opportunity for `user` (idempotent)."""
    try:
        with transaction.atomic():
            saved, _ = SavedOpportunity.objects.get_or_create(user=user, opportunity=opportunity)
    except IntegrityError:
        saved = SavedOpportunity.objects.get(user=user, opportunity=opportunity)
    return saved


def opportunity_unsave(*, opportunity: Opportunity, user: User) -> None:
    """Remove the bookmark (idempotent)."""
    SavedOpportunity.objects.filter(user=user, opportunity=opportunity).delete()


def opportunities_close_expired(*, now: datetime | None = None) -> int:
    """Close every open opportunity whose deadline has passed; returns how many. Idempotent."""
    now = now or timezone.now()
    return Opportunity.objects.filter(status=Status.OPEN, deadline__lt=now).update(
        status=Status.CLOSED, updated_at=now
    )
