"""Upload links: outsiders drop files into a project without an account.

Made by the project's owners (the admin level on the project), in a project allowing links.
Each file goes through the same checks as any upload (`upload_check`: size, type, content) and
the same storage (`blob_store`: encrypted, deduplicated), then becomes a new document marked as
received by link (`ReceivedFile`). The holder of the link sees nothing of the project.
Each file tells the link's creator and the project's watchers (`upload_link_received`);
`ReceivedDocument.first_file` says when a file was the link's first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.files.incoming import IncomingFile
from konnaxion.files.services import blob_store, upload_check
from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    Project,
    ProjectResource,
    ReceivedFile,
    UploadLink,
)
from konnaxion.keenkonnect.services import notices
from konnaxion.keenkonnect.services.audit import audit_record
from konnaxion.keenkonnect.services.granular_permissions import project_level_of
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
from konnaxion.keenkonnect.services.locking import project_lock
from konnaxion.keenkonnect.services.secure_document_storage import resource_add_locked
from konnaxion.users.models import User

LABEL_MAX = 100


@dataclass(frozen=True)
class NewUploadLink:
    """A link just made, with its token: the only moment the token is known."""

    link: UploadLink
    token: str


@dataclass(frozen=True)
class ReceivedDocument:
    resource: ProjectResource
    first_file: bool


def _ensure_may_manage(*, project: Project, user: User) -> None:
    if project_level_of(user=user, project=project) < AccessLevel.ADMIN:
        raise PermissionDenied("Upload links are for the project's owners.")


@transaction.atomic
def upload_link_create(
    *,
    project: Project,
    actor: User,
    label: str,
    password: str = "",
    expires_in_days: int | None = None,
    expires_at: datetime | None = None,
    max_files: int | None = None,
) -> NewUploadLink:
    """An upload link into `project` (owners, project allowing links).
    Raises PermissionDenied, ValidationFailed."""
    _ensure_may_manage(project=project, user=actor)
    if not project.links_allowed:
        raise PermissionDenied(
            "This project does not allow links; its owners may allow them in its settings.",
            code="links_not_allowed",
        )
    label = label.strip()
    if not label or len(label) > LABEL_MAX:
        raise ValidationFailed(details={"fields": {"label": "1 to 100 characters"}})
    if max_files is not None and max_files < 1:
        raise ValidationFailed(details={"fields": {"max_files": "at least 1"}})
    token = token_new()
    link = UploadLink.objects.create(
        project=project,
        token_hash=token_hash(token),
        created_by=actor,
        label=label,
        password_hash=password_hash_of(password),
        expires_at=expiry_from(days=expires_in_days, at=expires_at),
        max_files=max_files,
    )
    audit_record(
        project_id=project.pk,
        resource=None,
        actor=actor,
        action=AuditEvent.Action.LINK_CREATE,
        details={"upload_link": link.pk},
    )
    return NewUploadLink(link=link, token=token)


def upload_links_of(*, project: Project, user: User) -> QuerySet[UploadLink]:
    """The project's upload links, newest first (owners). Raises PermissionDenied."""
    _ensure_may_manage(project=project, user=user)
    return UploadLink.objects.filter(project=project).select_related("created_by")


@transaction.atomic
def upload_link_revoke(*, project: Project, link_id: int, actor: User) -> UploadLink:
    """Turn an upload link off for good (owners); revoking twice is harmless.
    Raises NotFound, PermissionDenied."""
    _ensure_may_manage(project=project, user=actor)
    return link_revoke(
        links=UploadLink.objects.filter(project=project),
        link_id=link_id,
        actor=actor,
        project_id=project.pk,
        resource=None,
    )


def _link_of(token: str) -> UploadLink:
    digest = token_digest(token)
    link = (
        UploadLink.objects.filter(token_hash=digest).select_related("project", "created_by").first()
        if digest
        else None
    )
    if link is None:
        raise NotFound("No such link.")
    return link


def _refuse(link: UploadLink, reason: str) -> LinkRefused:
    return refusal_audited(
        project_id=link.project_id,
        resource=None,
        reason=reason,
        details={"upload_link": link.pk, "use": "upload"},
    )


def _usable(link: UploadLink, *, password: str | None, unlocked: bool) -> None:
    reason = refusal_of(link)
    if reason is None and link.max_files is not None and link.file_count >= link.max_files:
        reason = "limit_reached"
    if reason is None and (
        not link.project.links_allowed
        or project_level_of(user=link.created_by, project=link.project) < AccessLevel.ADMIN
    ):
        reason = "unavailable"
    if reason is not None:
        raise _refuse(link, reason)
    if link.password_hash and not unlocked:
        if password is None:
            raise LinkPasswordRequired()
        if not password_matches(link=link, password=password):
            raise _refuse(link, "wrong_password") from LinkPasswordRequired()


def upload_link_get_usable(*, token: str, unlocked: bool) -> UploadLink:
    """The link behind `token` if a file may be sent through it now (the form's page).
    Raises NotFound, LinkRefused, LinkPasswordRequired."""
    link = _link_of(token)
    _usable(link, password=None, unlocked=unlocked)
    return link


def upload_link_unlock(*, token: str, password: str) -> UploadLink:
    """Check `password` (the caller remembers the unlocked link). Raises NotFound, LinkRefused."""
    link = _link_of(token)
    _usable(link, password=password, unlocked=False)
    return link


def upload_link_receive(
    *, token: str, upload: IncomingFile, uploader_name: str = "", unlocked: bool
) -> ReceivedDocument:
    """Store `upload` as a new document of the link's project, received by link. The file
    count is taken under the project's lock, so a limit of N lets exactly N files in.
    Raises NotFound, LinkRefused, LinkPasswordRequired, ValidationFailed and the upload
    checks' errors; a refused file leaves no row and no temporary file."""
    try:
        link = _link_of(token)
        _usable(link, password=None, unlocked=unlocked)
        uploader_name = uploader_name.strip()
        if len(uploader_name) > LABEL_MAX:
            raise ValidationFailed(details={"fields": {"name": "at most 100 characters"}})
        verified = upload_check(upload=upload)
    except BaseException:
        upload.discard()
        raise
    blob = blob_store(upload=upload, content_type=verified.content_type)
    now = timezone.now()
    within = Q(max_files__isnull=True) | Q(file_count__lt=F("max_files"))
    with transaction.atomic():
        project_lock(project_id=link.project_id)
        counted = UploadLink.objects.filter(alive_now(), within, pk=link.pk).update(
            file_count=F("file_count") + 1, last_used_at=now
        )
        if counted:
            first_file = bool(
                UploadLink.objects.filter(pk=link.pk, first_used_at__isnull=True).update(
                    first_used_at=now
                )
            )
            resource = resource_add_locked(
                project=link.project,
                blob=blob,
                content_type=verified.content_type,
                original_name=verified.file_name.name,
                added_by=None,
                audit_details={"upload_link": link.pk},
            )
            ReceivedFile.objects.create(
                resource=resource,
                upload_link=link,
                link_label=link.label,
                uploader_name=uploader_name,
            )
            notices.upload_link_received_notify(
                resource=resource, link_label=link.label, creator=link.created_by
            )
    if not counted:
        fresh = UploadLink.objects.filter(pk=link.pk).first()
        if fresh is None:
            raise NotFound("No such link.")
        raise _refuse(link, refusal_of(fresh) or "limit_reached")
    return ReceivedDocument(resource=resource, first_file=first_file)
