"""What a workspace gives back (docs/rooms.md): its canvas saved as an artwork, and everything it
holds exported, as JSON or as one ZIP file (chat transcript, notes, canvas as PNG, SVG and JSON).

The canvas is stored as shapes in the room's shared document, so its picture is drawn here on
the server (`realtime.rendering`), never taken from a browser.
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pycrdt import Doc

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.kreative.models import CollabChatMessage, CollabSession, KreativeArtwork
from konnaxion.kreative.realtime import documents, rendering
from konnaxion.kreative.services.artworks import artwork_create
from konnaxion.users.models import User

TITLE_MAX_CHARS = 200


def _document(session: CollabSession) -> Doc[Any]:
    return rendering.document_load(documents.collab_document_state(session_id=session.pk))


def workspace_canvas_artwork(
    *, session: CollabSession, artist: User, title: str = ""
) -> KreativeArtwork:
    """The session's canvas as a new artwork of `artist` (a PNG drawn from its shapes, through
    the same checks as any uploaded artwork, with the shapes as its `vector_source`), crediting
    every participant. The caller has checked that `artist` takes part in the session.
    Raises ValidationFailed (`canvas_empty`: nothing drawn), PayloadTooLarge, StorageFull."""
    items = rendering.canvas_items(_document(session))
    if not items:
        raise ValidationFailed(
            "The canvas is empty: there is nothing to save.", code="canvas_empty"
        )
    artwork = artwork_create(
        artist=artist,
        title=(title.strip() or session.name)[:TITLE_MAX_CHARS],
        media_file=ContentFile(rendering.canvas_png(items), name=f"session-{session.pk}.png"),
        description=f"Made together in the collaboration session “{session.name}”.",
        medium="Collaborative canvas",
        nsfw=False,
    )
    KreativeArtwork.objects.filter(pk=artwork.pk).update(
        vector_source=rendering.canvas_source(items)
    )
    artwork.vector_source = rendering.canvas_source(items)
    artwork.credits.set(session.participants.values_list("user_id", flat=True))
    return artwork


@transaction.atomic
def workspace_canvas_save(
    *, session: CollabSession, actor: User, title: str = ""
) -> KreativeArtwork:
    """Anyone taking part in the session (open or ended) keeps its canvas as an artwork of their
    own (`workspace_canvas_artwork`). Raises NotFound (not in the session), ValidationFailed
    (`canvas_empty`), PayloadTooLarge, StorageFull."""
    if not session.participants.filter(user=actor).exists() and session.host_id != actor.pk:
        raise NotFound("No such workspace.")
    return workspace_canvas_artwork(session=session, artist=actor, title=title)


def workspace_export(*, session: CollabSession) -> dict[str, Any]:
    """Everything the workspace holds: its chat (oldest first), notes (text and HTML) and canvas
    (vector JSON)."""
    doc = _document(session)
    chat = CollabChatMessage.objects.filter(session=session).select_related("author").order_by("id")
    return {
        "session": session.pk,
        "name": session.name,
        "exported_at": timezone.now(),
        "chat": [
            {
                "id": message.pk,
                "author": message.author.username,
                "body": message.body,
                "created_at": message.created_at,
            }
            for message in chat
        ],
        "notes": rendering.notes_export(doc),
        "canvas": rendering.canvas_source(rendering.canvas_items(doc)),
    }


def _transcript(content: dict[str, Any]) -> str:
    lines = [f"# {content['name']}", ""]
    for message in content["chat"]:
        when = message["created_at"].strftime("%Y-%m-%d %H:%M")
        body = message["body"].replace("\n", "\n    ")
        lines.append(f"[{when}] {message['author']}: {body}")
    return "\n".join(lines) + "\n"


def workspace_export_zip(*, session: CollabSession) -> bytes:
    """The export as one ZIP file: `chat.txt` (the transcript, oldest first, times in UTC),
    `notes.md` (the notes as text), `notes.html`, `canvas.json` (the vector source), and
    `canvas.svg` and `canvas.png` when something is drawn. The caller has checked access."""
    content = workspace_export(session=session)
    items = content["canvas"]["items"]
    files: dict[str, str | bytes] = {
        "chat.txt": _transcript(content),
        "notes.md": f"# {content['name']}\n\n{content['notes']['text']}\n",
        "notes.html": content["notes"]["html"],
        "canvas.json": json.dumps(content["canvas"], indent=2, ensure_ascii=False),
    }
    if items:
        files["canvas.svg"] = rendering.canvas_svg(items)
        files["canvas.png"] = rendering.canvas_png(items)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"room-{session.pk}/{name}", data)
    return buffer.getvalue()


def workspace_export_name(*, session: CollabSession) -> str:
    """The file name an export is offered under."""
    return f"konnaxion-room-{session.pk}-{timezone.now():%Y-%m-%d}.zip"
