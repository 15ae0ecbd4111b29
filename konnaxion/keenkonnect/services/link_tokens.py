"""What share links and upload links have in common: tokens, passwords, expiry, refusals.

A token is 32 URL-safe characters from `secrets` (192 bits). Only its SHA-256 is stored and a
link is found by that digest, so the database never holds a usable token and no comparison of
secrets depends on their content. Passwords use Django's password hashers.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from konnaxion.core.errors import ApplicationError, NotFound, ValidationFailed
from konnaxion.keenkonnect.models import AuditEvent, ProjectResource
from konnaxion.keenkonnect.models.links import LinkBase
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.users.models import User

TOKEN_BYTES = 24
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
EXPIRY_DAYS = (1, 7, 30)
MAX_EXPIRY_DAYS = 366
PASSWORD_MAX_LENGTH = 128

AnyLink = TypeVar("AnyLink", bound=LinkBase)


class LinkRefused(ApplicationError):
    """A link that exists but may not be used now; `details.reason` says why: `expired`,
    `revoked`, `limit_reached` or `unavailable` (everything the holder of the token should
    not learn more about: the document's state, the sharer's rights, the project's setting)."""

    code = "link_unavailable"
    status = 410
    message = "This link is no longer available."


class LinkPasswordRequired(ApplicationError):
    """The link has a password and this use did not give the right one."""

    code = "link_password_required"
    status = 403
    message = "This link needs its password."


def link_revoke(
    *,
    links: QuerySet[AnyLink],
    link_id: int,
    actor: User,
    project_id: int,
    resource: ProjectResource | None,
) -> AnyLink:
    """Turn the link `link_id` among `links` off for good, audited; revoking twice is harmless.
    The caller decided who may. Raises NotFound."""
    link = links.select_for_update(no_key=True).filter(pk=link_id).first()
    if link is None:
        raise NotFound("No such link.")
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.revoked_by = actor
        link.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            project_id=project_id,
            resource=resource,
            actor=actor,
            action=AuditEvent.Action.LINK_REVOKE,
            details={"share_link" if resource is not None else "upload_link": link.pk},
        )
    return link


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """The stored form of `token`."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_digest(token: str) -> str | None:
    """The stored form of `token`; None for a string that cannot be a token."""
    return token_hash(token) if _TOKEN_SHAPE.fullmatch(token) else None


def password_hash_of(password: str) -> str:
    """The hash to store for `password` ("" for none). Raises ValidationFailed."""
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationFailed(details={"fields": {"password": "at most 128 characters"}})
    return make_password(password) if password else ""


def password_matches(*, link: LinkBase, password: str) -> bool:
    return bool(link.password_hash) and check_password(password, link.password_hash)


def expiry_from(*, days: int | None, at: datetime | None) -> datetime | None:
    """The moment a new link dies: in 1, 7 or 30 `days`, `at` a date to come (within a year),
    or never. Raises ValidationFailed."""
    now = timezone.now()
    if days is not None and at is not None:
        raise ValidationFailed(details={"fields": {"expires_at": "give days or a date, not both"}})
    if days is not None:
        if days not in EXPIRY_DAYS:
            raise ValidationFailed(details={"fields": {"expires_in_days": "1, 7 or 30"}})
        return now + timedelta(days=days)
    if at is not None:
        if at <= now or at > now + timedelta(days=MAX_EXPIRY_DAYS):
            raise ValidationFailed(
                details={"fields": {"expires_at": "a moment within the coming year"}}
            )
        return at
    return None


def refusal_of(link: LinkBase) -> str | None:
    """Why `link` may not be used whatever it is used for (None when it may)."""
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at is not None and link.expires_at <= timezone.now():
        return "expired"
    return None


def alive_now() -> Q:
    """The same conditions as `refusal_of`, as a filter for the counting UPDATEs."""
    return Q(revoked_at__isnull=True) & (
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def refusal_audited(
    *, project_id: int, resource: ProjectResource | None, reason: str, details: dict[str, Any]
) -> LinkRefused:
    """Audit a refused use (no token, no actor, no address) and return the error to raise."""
    # The project or document (and so the link) may have gone meanwhile: nothing to audit in.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        audit_record(
            project_id=project_id,
            resource=resource,
            actor=None,
            action=AuditEvent.Action.LINK_REFUSED,
            details={**details, "reason": reason},
        )
    return LinkRefused(details={"reason": reason})
