"""Demo rooms (`konnaxion up --demo`): an open room whose notes and canvas hold what its chat
talks about, written into its shared document as a room client writes them (one Yjs update,
merged by the document service), and an ended room whose people endorse each other and reply,
through the endorsement service's rules (an ended engagement both took part in)."""

from __future__ import annotations

from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText

from konnaxion.kreative.models import Endorsement
from konnaxion.kreative.realtime import documents
from konnaxion.kreative.services.collaboration_workspace import (
    collab_chat_message_post,
    collab_document_apply_update,
    workspace_create,
    workspace_end,
)
from konnaxion.kreative.services.partner_recommendation import (
    endorsement_create,
    endorsement_reply,
)
from konnaxion.users.models import User

TEAL, PINK, INK = "#0f766e", "#ff48b0", "#1f2937"
ZINE_NOTES = (
    "Risograph zine: the plan\n"
    "8 pages, A4 folded in eight, 50 copies.\n"
    "Inks: teal and fluorescent pink (Noor brings the drums on Saturday).\n"
    "Paper: Munken Print Cream 90 g, two reams.\n"
    "Cover: Kenji's wave in teal, the title in a pink box, a sun top right.\n"
    "To do: scan the drawings at 600 dpi by Friday."
)
# (author key, kind, points, colour, width, text): the cover sketch the chat talks about.
ZINE_CANVAS: tuple[tuple[str, str, list[int], str, int, str], ...] = (
    ("guest1", "stroke", [60, 380, 160, 320, 260, 380, 360, 320, 460, 380, 560, 320], TEAL, 10, ""),
    ("guest1", "stroke", [60, 430, 160, 370, 260, 430, 360, 370, 460, 430, 560, 370], TEAL, 6, ""),
    ("host", "rect", [80, 70, 520, 170], PINK, 6, ""),
    ("host", "text", [110, 125], INK, 3, "HARBOUR ZINE #1"),
    ("guest0", "ellipse", [700, 60, 840, 200], PINK, 8, ""),
    ("guest0", "text", [640, 500], INK, 2, "riso: teal + pink"),
)


def _zine_chat(host: User, guests: list[User]) -> list[tuple[User, str]]:
    noor, kenji = guests
    return [
        (host, "Welcome! The plan is in the notes, the cover sketch on the canvas."),
        (noor, "I can bring the teal and fluorescent pink drums on Saturday."),
        (kenji, "I drew the cover: a wave in teal, two lines. Too busy with the title box?"),
        (host, "Looks good. I put the title in a pink box on top: HARBOUR ZINE #1."),
        (noor, "I added a pink sun top right, and the paper to the notes: Munken Cream 90 g."),
        (kenji, "Noted: 8 pages folded in eight, 50 copies. I'll scan at 600 dpi by Friday."),
    ]


def demo_room_document_write(*, session_id: int, notes: str, shapes: list[dict]) -> None:
    """Write `notes` (one paragraph, as the room page edits them) and `shapes` into the room's
    shared document through the document service, as one edit of a room client."""
    doc: Doc = Doc()
    doc[documents.NOTES] = fragment = XmlFragment()
    doc[documents.CANVAS] = canvas = Array[Map[object]]()
    fragment.children.append(XmlElement("paragraph", {}, [XmlText(notes)]))
    for index, shape in enumerate(shapes):
        canvas.append(Map({**shape, "id": f"demo-{session_id}-{index}"}))
    collab_document_apply_update(session_id=session_id, update=doc.get_update())


def _zine_shapes(people: dict[str, User]) -> list[dict]:
    shapes = []
    for author, kind, points, colour, width, text in ZINE_CANVAS:
        shape = {"kind": kind, "points": points, "color": colour, "width": width}
        shape["author"] = people[author].username
        if text:
            shape["text"] = text
        shapes.append(shape)
    return shapes


def demo_room_load(*, host: User, guests: list[User]) -> None:
    """An open room where the admin and two demo people plan a zine: chat, notes and canvas."""
    room = workspace_create(
        host=host,
        name="Risograph zine jam",
        session_type="mixed_media",
        participants=[guest.username for guest in guests],
    )
    for author, body in _zine_chat(host, guests):
        collab_chat_message_post(session_id=room.pk, author=author, body=body)
    people = {"host": host, "guest0": guests[0], "guest1": guests[1]}
    demo_room_document_write(session_id=room.pk, notes=ZINE_NOTES, shapes=_zine_shapes(people))


# (author, subject, rating, skills, comment, the subject's reply or "")
SWAP_ENDORSEMENTS = (
    ("kenji", "noor", 5, ["etching"], "Noor's plates printed cleanly on the first pull.", ""),
    ("noor", "kenji", 5, ["woodcut"], "Kenji cut the key block in one afternoon.", "Thank you!"),
    ("amara", "noor", 4, ["printmaking"], "Generous with her press time.", "Come back soon."),
    ("noor", "amara", 5, ["dyeing"], "The indigo papers made the swap.", "It was a joy."),
    ("elif", "kenji", 4, ["printmaking"], "Patient when teaching registration.", ""),
    ("kenji", "elif", 5, ["glazing"], "Her glaze tests gave us the colour chart.", ""),
)


def demo_swap_load(*, people: dict[str, User]) -> None:
    """An ended print swap of four demo people, and their endorsements of each other: each pair
    endorsed both ways, so they are published, and some have the subject's reply."""
    noor = people["noor"]
    guests = [people[name] for name in ("kenji", "amara", "elif")]
    room = workspace_create(
        host=noor,
        name="Harbour print swap",
        session_type="painting",
        participants=[guest.username for guest in guests],
    )
    for writer, body in (
        (noor, "Thanks all: twelve prints each, swapped and signed."),
        (people["kenji"], "The registration marks worked this time."),
    ):
        collab_chat_message_post(session_id=room.pk, author=writer, body=body)
    room = workspace_end(session=room, actor=noor)
    made: dict[tuple[str, str], Endorsement] = {}
    for author, subject, rating, skills, comment, _reply in SWAP_ENDORSEMENTS:
        made[author, subject] = endorsement_create(
            author=people[author],
            subject=people[subject],
            session=room,
            rating=rating,
            skills=skills,
            comment=comment,
        )
    for author, subject, _rating, _skills, _comment, reply in SWAP_ENDORSEMENTS:
        if reply:
            endorsement_reply(endorsement=made[author, subject], actor=people[subject], reply=reply)
