"""document_comments: threads of comments on a document's versions (docs/comments.md).

Whoever may read a document may read and write its comments; the comments are seen exactly
where the document is (`selectors.resources_visible_to`). A thread is a top-level comment,
optionally pinned to an anchor on its version, and its replies (one level). Each write locks
the project's row first (the lock order of `locking.py`, the event log needs it), reads the
caller's level again under it, then locks the document's row, then the thread's.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from konnaxion.core.errors import NotFound, PermissionDenied, ValidationFailed
from konnaxion.keenkonnect.models import (
    AccessLevel,
    DocumentComment,
    DocumentVersion,
    ProjectResource,
)
from konnaxion.keenkonnect.models.comments import COMMENT_MAX_CHARS
from konnaxion.keenkonnect.selectors import is_signed_in, resources_visible_to
from konnaxion.keenkonnect.services import notices, real_time_sync
from konnaxion.keenkonnect.services.document_diff import kind_of
from konnaxion.keenkonnect.services.granular_permissions import ensure_level_now
from konnaxion.keenkonnect.services.locking import project_lock, resource_lock
from konnaxion.users.models import User

if TYPE_CHECKING:
    from konnaxion.keenkonnect.selectors import ResourceWithLevel

# `@name`: Django's username characters, not preceded by a word character (an e-mail address
# is no mention); a trailing full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]{1,150})")
MAX_MENTIONS = 20
MAX_COORDINATE = 1e9


@dataclass
class CommentWritten:
    """A comment just written, and who its text names: `mentioned` are all the readers it
    names, `newly_mentioned` those an edit added (everyone, for a new comment). Notifications
    start from `newly_mentioned`."""

    comment: DocumentComment
    mentioned: list[User] = field(default_factory=list)
    newly_mentioned: list[User] = field(default_factory=list)


def _invalid(name: str, message: str) -> ValidationFailed:
    return ValidationFailed(details={"fields": {name: message}})


def _number(value: Any, name: str, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _invalid(name, "a number")
    if not low <= value <= high:
        raise _invalid(name, f"between {low:g} and {high:g}")
    return float(value)


def _rect(value: Any) -> dict[str, float]:
    """A rectangle in 0..1 coordinates of the page or image, inside it and not empty."""
    if not isinstance(value, dict) or set(value) != {"x", "y", "w", "h"}:
        raise _invalid("anchor.rect", "an object with x, y, w and h")
    rect = {key: _number(value[key], f"anchor.rect.{key}", low=0, high=1) for key in "xywh"}
    if rect["w"] <= 0 or rect["h"] <= 0:
        raise _invalid("anchor.rect", "a width and a height above 0")
    if rect["x"] + rect["w"] > 1 + 1e-9 or rect["y"] + rect["h"] > 1 + 1e-9:
        raise _invalid("anchor.rect", "inside the page or image (x + w and y + h at most 1)")
    return rect


def anchor_clean(
    *, anchor: Any, version: DocumentVersion, page_count: int | None = None
) -> dict[str, Any] | None:
    """The anchor normalised for `version`'s content type: a PDF takes `{"page", "rect"?}` (a
    page up to `page_count` when it is known), an image `{"rect"}`, a 3D model
    `{"point": [x, y, z]}`; rectangles are 0..1 of the page or image. None stays None. Raises
    ValidationFailed for any other shape."""
    if anchor is None:
        return None
    if not isinstance(anchor, dict):
        raise _invalid("anchor", "an object")
    kind = kind_of(version.content_type)
    if kind == "pdf":
        if not set(anchor) <= {"page", "rect"} or "page" not in anchor:
            raise _invalid("anchor", "a PDF page: {page, rect?}")
        page = anchor["page"]
        last = page_count or 100_000
        if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= last:
            raise _invalid("anchor.page", f"a page number from 1 to {last}")
        cleaned: dict[str, Any] = {"kind": "page", "page": page}
        if anchor.get("rect") is not None:
            cleaned["rect"] = _rect(anchor["rect"])
        return cleaned
    if kind == "image":
        if set(anchor) != {"rect"}:
            raise _invalid("anchor", "a rectangle of the image: {rect}")
        return {"kind": "rect", "rect": _rect(anchor["rect"])}
    if kind == "mesh":
        point = anchor.get("point")
        if set(anchor) != {"point"} or not isinstance(point, list) or len(point) != 3:
            raise _invalid("anchor", "a point of the model: {point: [x, y, z]}")
        coordinates = [
            _number(value, f"anchor.point.{axis}", low=-MAX_COORDINATE, high=MAX_COORDINATE)
            for axis, value in zip("xyz", point, strict=True)
        ]
        return {"kind": "point", "point": coordinates}
    raise _invalid("anchor", "this version's type takes no anchor")


def _body_clean(body: Any) -> str:
    if not isinstance(body, str):
        raise _invalid("body", "text")
    body = body.strip()
    if not body:
        raise _invalid("body", "a comment cannot be empty")
    if len(body) > COMMENT_MAX_CHARS:
        raise _invalid("body", f"at most {COMMENT_MAX_CHARS} characters")
    return body


def mentions_find(*, body: str, resource_id: int) -> list[User]:
    """The people `body` names with @username who may read the document, by username. A name
    of someone who may not (or of nobody) is plain text: nothing tells them apart."""
    names = {name.rstrip(".") for name in MENTION.findall(body)}
    names = set(sorted(name for name in names if name)[:MAX_MENTIONS])
    if not names:
        return []
    people = User.objects.filter(username__in=names, is_active=True).order_by("username")
    return [
        person
        for person in people
        if resources_visible_to(user=person).filter(pk=resource_id).exists()
    ]


def _locked(*, resource: ResourceWithLevel, actor: User | AnonymousUser) -> ProjectResource:
    """Lock the project, check that `actor` may still read the document, lock the document and
    return its row (NotFound when it went to the trash or away meanwhile)."""
    if not is_signed_in(actor):
        raise PermissionDenied("Sign in to comment.", code="not_authenticated", status=401)
    project_lock(project_id=resource.project_id)
    ensure_level_now(user=actor, resource=resource, needed=AccessLevel.READ)
    locked = resource_lock(resource_id=resource.pk)
    if locked is None or locked.trashed_at is not None:
        raise NotFound("No such document.")
    return locked


def _page_count(document: ProjectResource, version: DocumentVersion) -> int | None:
    """The number of pages of `version`, when indexing read it (the current version only)."""
    if document.indexed_version != version.number:
        return None
    count = document.extracted_metadata.get("page_count")
    return count if isinstance(count, int) and count >= 1 else None


def _comment_locked(*, resource: ResourceWithLevel, comment_id: int) -> DocumentComment:
    comment = (
        DocumentComment.objects.select_for_update(no_key=True)
        .filter(resource_id=resource.pk, pk=comment_id)
        .select_related("version")
        .first()
    )
    if comment is None:
        raise NotFound("No such comment.")
    return comment


def _event(comment: DocumentComment, *, project_id: int, type: str, actor: User) -> None:
    """Log the change for the project's sockets: ids only, each socket relays it to whoever may
    read the document now (the page fetches the comment itself)."""
    real_time_sync.event_record(
        project_id=project_id,
        type=type,
        resource_id=comment.resource_id,
        version=comment.version.number,
        actor=actor,
        payload={"comment": comment.pk, "thread": comment.parent_id or comment.pk},
    )


@transaction.atomic
def comment_create(
    *,
    resource: ResourceWithLevel,
    actor: User | AnonymousUser,
    body: Any,
    version_number: int | None = None,
    anchor: Any = None,
    parent_id: int | None = None,
) -> CommentWritten:
    """Comment on a version of `resource` (the current one by default), or reply to the thread
    `parent_id` (a reply is on its thread's version and takes no anchor). Read level.

    Raises ValidationFailed (body, anchor, version), NotFound, PermissionDenied.
    """
    text = _body_clean(body)
    document = _locked(resource=resource, actor=actor)
    assert isinstance(actor, User)  # _locked refused anyone else
    parent = None
    version: DocumentVersion | None
    if parent_id is not None:
        parent = _comment_locked(resource=resource, comment_id=parent_id)
        if parent.parent_id is not None:
            raise _invalid("parent", "replies answer a thread, not another reply")
        if anchor is not None:
            raise _invalid("anchor", "a reply takes no anchor")
        if version_number is not None and version_number != parent.version.number:
            raise _invalid("version", "a reply is on its thread's version")
        version = parent.version
    else:
        versions = DocumentVersion.objects.filter(resource_id=resource.pk)
        if version_number is None:
            versions = versions.filter(pk=resource.current_version_id or 0)
        else:
            versions = versions.filter(number=version_number)
        version = versions.first()
        if version is None:
            raise _invalid("version", "a version of this document")
    cleaned_anchor = anchor_clean(
        anchor=anchor, version=version, page_count=_page_count(document, version)
    )
    comment = DocumentComment.objects.create(
        resource_id=resource.pk,
        version=version,
        parent=parent,
        author=actor,
        body=text,
        anchor=cleaned_anchor,
    )
    mentioned = mentions_find(body=text, resource_id=resource.pk)
    comment.mentions.set(mentioned)
    _event(comment, project_id=resource.project_id, type="comment.added", actor=actor)
    notices.comment_added_notify(
        resource=document, comment_id=comment.pk, mentioned=mentioned, actor=actor
    )
    return CommentWritten(comment=comment, mentioned=mentioned, newly_mentioned=mentioned)


def _ensure_author(comment: DocumentComment, actor: User) -> None:
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only its author may change a comment.", code="not_the_author")
    if comment.deleted_at is not None:
        raise NotFound("No such comment.")


@transaction.atomic
def comment_update(
    *, resource: ResourceWithLevel, comment_id: int, actor: User | AnonymousUser, body: Any
) -> CommentWritten:
    """Change the text of one's own comment (read level still needed). Raises ValidationFailed,
    NotFound, PermissionDenied."""
    text = _body_clean(body)
    document = _locked(resource=resource, actor=actor)
    assert isinstance(actor, User)
    comment = _comment_locked(resource=resource, comment_id=comment_id)
    _ensure_author(comment, actor)
    before = set(comment.mentions.values_list("pk", flat=True))
    comment.body = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    mentioned = mentions_find(body=text, resource_id=resource.pk)
    comment.mentions.set(mentioned)
    _event(comment, project_id=resource.project_id, type="comment.updated", actor=actor)
    added = [person for person in mentioned if person.pk not in before]
    notices.mentions_notify(resource=document, comment_id=comment.pk, people=added, actor=actor)
    return CommentWritten(comment=comment, mentioned=mentioned, newly_mentioned=added)


@transaction.atomic
def comment_delete(
    *, resource: ResourceWithLevel, comment_id: int, actor: User | AnonymousUser
) -> None:
    """Delete a comment: its author, or an admin of the document. A thread's first comment that
    has replies stays as a placeholder without text; a thread whose placeholder loses its last
    reply goes with it. Raises NotFound, PermissionDenied."""
    _locked(resource=resource, actor=actor)
    assert isinstance(actor, User)
    comment = _comment_locked(resource=resource, comment_id=comment_id)
    if comment.deleted_at is not None:
        raise NotFound("No such comment.")
    if comment.author_id != actor.pk and resource.my_level < AccessLevel.ADMIN:
        raise PermissionDenied(
            "Only its author or the document's admins may delete a comment.",
            code="not_the_author",
        )
    _event(comment, project_id=resource.project_id, type="comment.deleted", actor=actor)
    if comment.parent_id is None and comment.replies.exists():
        comment.body = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "deleted_at"])
        comment.mentions.clear()
        return
    parent_id = comment.parent_id
    comment.delete()
    if parent_id is not None:
        DocumentComment.objects.filter(
            pk=parent_id, deleted_at__isnull=False, replies__isnull=True
        ).delete()


def _thread_state(
    *, resource: ResourceWithLevel, comment_id: int, actor: User | AnonymousUser, resolve: bool
) -> DocumentComment:
    _locked(resource=resource, actor=actor)
    assert isinstance(actor, User)
    thread = _comment_locked(resource=resource, comment_id=comment_id)
    if thread.parent_id is not None:
        raise _invalid("comment", "threads are resolved by their first comment")
    if (thread.resolved_at is not None) != resolve:
        thread.resolved_at = timezone.now() if resolve else None
        thread.resolved_by = actor if resolve else None
        thread.save(update_fields=["resolved_at", "resolved_by"])
        _event(
            thread,
            project_id=resource.project_id,
            type="comment.resolved" if resolve else "comment.reopened",
            actor=actor,
        )
    return thread


@transaction.atomic
def comment_resolve(
    *, resource: ResourceWithLevel, comment_id: int, actor: User | AnonymousUser
) -> DocumentComment:
    """Mark the thread resolved, by `actor`, now (read level; resolving it again changes
    nothing). Raises ValidationFailed (a reply), NotFound, PermissionDenied."""
    return _thread_state(resource=resource, comment_id=comment_id, actor=actor, resolve=True)


@transaction.atomic
def comment_reopen(
    *, resource: ResourceWithLevel, comment_id: int, actor: User | AnonymousUser
) -> DocumentComment:
    """Open a resolved thread again (read level). Raises ValidationFailed, NotFound,
    PermissionDenied."""
    return _thread_state(resource=resource, comment_id=comment_id, actor=actor, resolve=False)
