"""Share links: one document seen and downloaded by whoever holds the link, without an account.

Made by someone with the admin level on the document, in a project whose owners allow links.
Every use checks again everything that made the link valid (docs/sharing.md, "When a link
dies"), counts itself and is audited without the token. A download at the limit is counted by
one conditional UPDATE, so two downloads racing for the last one cannot both pass.
The first use (a view or a download, `SharedDocument.first_use`) tells the link's creator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentVersion,
    ProjectResource,
    ShareLink,
)
from konnaxion.keenkonnect.services import notices
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.granular_permissions import ensure_level, level_of
from konnaxion.keenkonnect.services.link_tokens import (
    LinkPasswordRequired,
    LinkRefused,
    alive_now,
    expiry_from,
    link_revoke,
    password_hash_of,
    password_matches,
    refusal_audited,
    refusal_of,
    token_digest,
    token_hash,
    token_new,
)
from konnaxion.users.models import User

if TYPE_CHECKING:  # a type that exists for the type checker only
    from konnaxion.keenkonnect.selectors import ResourceWithLevel


@dataclass(frozen=True)
class NewLink:
    """A link just made, with its token: the only moment the token is known."""

    link: ShareLink
    token: str


@dataclass(frozen=True)
class SharedDocument:
    """What one use of a share link may show: the document and the version it stands for."""

    link: ShareLink
    resource: ProjectResource
    version: DocumentVersion
    first_use: bool = False


def _ensure_may_share(*, user: User | AnonymousUser, resource: ProjectResource) -> None:
    if not resource.project.links_allowed:
        raise PermissionDenied(
            "This project does not allow links; its owners may allow them in its settings.",
            code="links_not_allowed",
        )
    if level_of(user=user, resource=resource) < AccessLevel.ADMIN:
        raise PermissionDenied("Sharing by link needs the admin level on this document.")


@transaction.atomic
def share_link_create(
    *,
    resource: ResourceWithLevel,
    actor: User,
    version_number: int | None = None,
    password: str = "",
    expires_in_days: int | None = None,
    expires_at: datetime | None = None,
    max_downloads: int | None = None,
) -> NewLink:
    """A link to `resource` (admin level, project allowing links), pinned to `version_number`
    or following the current version. Raises NotFound, PermissionDenied, ValidationFailed."""
    ensure_level(resource=resource, needed=AccessLevel.ADMIN)
    _ensure_may_share(user=actor, resource=resource)
    if max_downloads is not None and max_downloads < 1:
        raise ValidationFailed(details={"fields": {"max_downloads": "at least 1"}})
    if (
        version_number is not None
        and not DocumentVersion.objects.filter(resource=resource, number=version_number).exists()
    ):
        raise ValidationFailed(details={"fields": {"version": "no such version"}})
    token = token_new()
    link = ShareLink.objects.create(
        resource=resource,
        token_hash=token_hash(token),
        created_by=actor,
        version_number=version_number,
        password_hash=password_hash_of(password),
        expires_at=expiry_from(days=expires_in_days, at=expires_at),
        max_downloads=max_downloads,
    )
    audit_record(
        project_id=resource.project_id,
        resource=resource,
        actor=actor,
        action=AuditEvent.Action.LINK_CREATE,
        details={"share_link": link.pk, "version": version_number},
    )
    return NewLink(link=link, token=token)


def share_links_of(*, resource: ResourceWithLevel) -> QuerySet[ShareLink]:
    """The document's links, newest first (admin level). Raises NotFound, PermissionDenied."""
    ensure_level(resource=resource, needed=AccessLevel.ADMIN)
    return ShareLink.objects.filter(resource=resource).select_related("created_by")


@transaction.atomic
def share_link_revoke(*, resource: ResourceWithLevel, link_id: int, actor: User) -> ShareLink:
    """Turn a link off for good (admin level on its document). Revoking twice is harmless.
    Raises NotFound, PermissionDenied."""
    ensure_level(resource=resource, needed=AccessLevel.ADMIN)
    return link_revoke(
        links=ShareLink.objects.filter(resource=resource),
        link_id=link_id,
        actor=actor,
        project_id=resource.project_id,
        resource=resource,
    )


def _link_of(token: str) -> ShareLink:
    digest = token_digest(token)
    link = (
        ShareLink.objects.filter(token_hash=digest)
        .select_related("resource", "resource__project", "created_by")
        .first()
        if digest
        else None
    )
    if link is None:
        raise NotFound("No such link.")
    return link


def _version_of(link: ShareLink) -> DocumentVersion | None:
    versions = DocumentVersion.objects.select_related("blob").filter(resource_id=link.resource_id)
    if link.version_number is None:
        current = link.resource.current_version_id
        return None if current is None else versions.filter(pk=current).first()
    return versions.filter(number=link.version_number).first()


def _refuse(link: ShareLink, reason: str, *, use: str) -> LinkRefused:
    return refusal_audited(
        project_id=link.resource.project_id,
        resource=link.resource,
        reason=reason,
        details={"share_link": link.pk, "use": use},
    )


def _usable(link: ShareLink, *, use: str, password: str | None, unlocked: bool) -> DocumentVersion:
    reason = refusal_of(link)
    resource = link.resource
    if (
        reason is None
        and link.max_downloads is not None
        and link.download_count >= link.max_downloads
    ):
        reason = "limit_reached"
    if reason is None and (
        resource.trashed_at is not None
        or not resource.project.links_allowed
        or level_of(user=link.created_by, resource=resource) < AccessLevel.ADMIN
    ):
        reason = "unavailable"
    version = _version_of(link) if reason is None else None
    if reason is None and version is None:
        reason = "unavailable"
    if reason is not None:
        raise _refuse(link, reason, use=use)
    assert version is not None
    if link.password_hash and not unlocked:
        if password is None:
            raise LinkPasswordRequired()
        if not password_matches(link=link, password=password):
            raise _refuse(link, "wrong_password", use=use) from LinkPasswordRequired()
    return version


def share_link_unlock(*, token: str, password: str) -> ShareLink:
    """Check `password` for the link (the caller remembers the unlocked link for the visitor).
    Raises NotFound, LinkRefused (reason `wrong_password` included, audited)."""
    link = _link_of(token)
    _usable(link, use="password", password=password, unlocked=False)
    return link


def share_link_view(*, token: str, unlocked: bool) -> SharedDocument:
    """One view of the shared document: counted and audited. Raises NotFound (no such token),
    LinkRefused, LinkPasswordRequired."""
    link = _link_of(token)
    version = _usable(link, use="view", password=None, unlocked=unlocked)
    return _count(link, version, action=AuditEvent.Action.LINK_VIEW, counted=Q())


def share_link_download(*, token: str, unlocked: bool) -> SharedDocument:
    """One download: counted against the limit (one conditional UPDATE, so downloads racing
    for the last one pass one at a time) and audited. Raises as `share_link_view`."""
    link = _link_of(token)
    version = _usable(link, use="download", password=None, unlocked=unlocked)
    within = Q(max_downloads__isnull=True) | Q(download_count__lt=F("max_downloads"))
    return _count(link, version, action=AuditEvent.Action.LINK_DOWNLOAD, counted=within)


def share_link_preview(*, token: str, unlocked: bool) -> SharedDocument:
    """What the public page's preview image shows: checked like a view, neither counted nor
    audited (the view of the page it belongs to was)."""
    link = _link_of(token)
    version = _usable(link, use="preview", password=None, unlocked=unlocked)
    return SharedDocument(link=link, resource=link.resource, version=version)


def _count(link: ShareLink, version: DocumentVersion, *, action: str, counted: Q) -> SharedDocument:
    now = timezone.now()
    field = "download_count" if action == AuditEvent.Action.LINK_DOWNLOAD else "view_count"
    try:
        with transaction.atomic():
            updated = ShareLink.objects.filter(alive_now(), counted, pk=link.pk).update(
                **{field: F(field) + 1, "last_used_at": now}
            )
            if updated:
                first_use = bool(
                    ShareLink.objects.filter(pk=link.pk, first_used_at__isnull=True).update(
                        first_used_at=now
                    )
                )
                audit_record(
                    project_id=link.resource.project_id,
                    resource=link.resource,
                    actor=None,
                    action=action,
                    details={"share_link": link.pk, "version": version.number},
                )
                if first_use:
                    notices.share_link_used_notify(resource=link.resource, creator=link.created_by)
    except IntegrityError as gone:
        raise NotFound("No such link.") from gone
    if not updated:
        # Revoked, expired or used up between the check and the count.
        fresh = ShareLink.objects.filter(pk=link.pk).first()
        if fresh is None:
            raise NotFound("No such link.")
        raise _refuse(link, refusal_of(fresh) or "limit_reached", use=field[:-6])
    return SharedDocument(link=link, resource=link.resource, version=version, first_use=first_use)
