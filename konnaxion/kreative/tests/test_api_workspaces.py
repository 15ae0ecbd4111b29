"""/api/connect/workspaces/: create, list, detail, invite, end (final artwork), export."""

from __future__ import annotations

import pytest
from PIL import Image
from pycrdt import Array, Doc, Map, XmlElement, XmlFragment, XmlText
from rest_framework.test import APIClient

from konnaxion.files.services import blob_open
from konnaxion.kreative.models import (
    CollabChatMessage,
    CollabSession,
    CollabSessionParticipant,
    Endorsement,
    KreativeArtwork,
)
from konnaxion.kreative.realtime import documents
from konnaxion.kreative.services.collaboration_workspace import (
    collab_chat_message_post,
    collab_document_apply_update,
    workspace_create,
)
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db
URL = "/api/connect/workspaces/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def draw(session: CollabSession, *shapes: dict, note: str = "") -> None:
    """Edit the session's document as a room client would: shapes on the canvas, a note."""
    doc = Doc()
    doc[documents.NOTES] = notes = XmlFragment()
    doc[documents.CANVAS] = canvas = Array()
    if note:
        notes.children.append(XmlElement("heading", {"level": "2"}, [XmlText("Plan")]))
        notes.children.append(XmlElement("paragraph", {}, [XmlText()]))
        text = notes.children[1].children[0]
        text.insert(0, note)
        text.insert(len(text), " now", {"bold": True})
    for shape in shapes:
        canvas.append(Map(shape))
    collab_document_apply_update(session_id=session.pk, update=doc.get_update())


def test_a_group_workspace_invites_the_people_named():
    # given
    host, ana, ben = UserFactory(), UserFactory(), UserFactory()
    # when
    response = client_for(host).post(
        URL,
        {"name": "Mural", "session_type": "painting", "participants": [ana.username, ben.username]},
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "group"
    assert body["host"] == host.username
    assert [(p["username"], p["role"]) for p in body["participants"]] == [
        (host.username, "host"),
        (ana.username, "participant"),
        (ben.username, "participant"),
    ]
    assert body["participants"][1]["joined_at"] is None
    assert body["room"] == f"/ws/connect/workspaces/{body['id']}/"


@pytest.mark.parametrize("others", [0, 2])
def test_a_dm_holds_exactly_two_people(others):
    # given
    host = UserFactory()
    names = [UserFactory().username for _ in range(others)]
    # when
    response = client_for(host).post(
        URL, {"name": "Hi", "session_type": "music", "kind": "dm", "participants": names}
    )
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "dm_needs_two"
    assert not CollabSession.objects.exists()


def test_a_dm_takes_no_more_invitations():
    # given
    host, friend, third = UserFactory(), UserFactory(), UserFactory()
    session = workspace_create(
        host=host, name="Hi", session_type="music", kind="dm", participants=[friend.username]
    )
    # when
    response = client_for(host).post(
        f"{URL}{session.pk}/invite/", {"participants": [third.username]}, format="json"
    )
    # then
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "dm_closed"
    assert CollabSessionParticipant.objects.filter(session=session).count() == 2


@pytest.mark.parametrize("direction", ["host_blocked_them", "they_blocked_host"])
def test_blocked_people_are_never_invited(direction):
    # given
    host, other, friend = UserFactory(), UserFactory(), UserFactory()
    if direction == "host_blocked_them":
        block_create(blocker=host, blocked=other)
    else:
        block_create(blocker=other, blocked=host)
    session = workspace_create(
        host=host, name="Jam", session_type="music", participants=[friend.username]
    )
    # when
    created = client_for(host).post(
        URL, {"name": "x", "session_type": "music", "participants": [other.username]}
    )
    invited = client_for(host).post(
        f"{URL}{session.pk}/invite/", {"participants": [other.username]}, format="json"
    )
    # then
    for response in (created, invited):
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "unknown_users"
        assert response.json()["error"]["details"]["fields"]["participants"] == [other.username]
    assert CollabSession.objects.count() == 1
    assert not CollabSessionParticipant.objects.filter(user=other).exists()


def test_unknown_people_and_bad_input_are_refused_and_leave_nothing():
    # given
    host = UserFactory()
    client = client_for(host)
    # when
    responses = [
        client.post(URL, {"name": "x", "session_type": "music", "participants": ["nobody"]}),
        client.post(URL, {"name": "x", "session_type": "opera"}),
        client.post(URL, {"name": "x", "session_type": "music", "kind": "crowd"}),
        client.post(URL, {"name": "   ", "session_type": "music"}),
        client.get(URL, {"status": "sleeping"}),
        client.get(f"{URL}999999/"),
    ]
    # then
    assert [response.status_code for response in responses] == [400, 400, 400, 400, 400, 404]
    assert not CollabSession.objects.exists()


def test_only_the_host_invites_and_invitations_are_idempotent():
    # given
    host, guest, newcomer = UserFactory(), UserFactory(), UserFactory()
    session = workspace_create(
        host=host, name="Jam", session_type="music", participants=[guest.username]
    )
    # when
    refused = client_for(guest).post(
        f"{URL}{session.pk}/invite/", {"participants": [newcomer.username]}, format="json"
    )
    first = client_for(host).post(
        f"{URL}{session.pk}/invite/", {"participants": [newcomer.username]}, format="json"
    )
    again = client_for(host).post(
        f"{URL}{session.pk}/invite/",
        {"participants": [newcomer.username, guest.username]},
        format="json",
    )
    # then
    assert refused.status_code == 403
    assert first.status_code == again.status_code == 200
    assert [p["username"] for p in again.json()["participants"]] == [
        host.username,
        guest.username,
        newcomer.username,
    ]


def test_the_list_shows_mine_filtered_by_status_and_never_across_a_block():
    # given
    me, host, blocker = UserFactory(), UserFactory(), UserFactory()
    active = workspace_create(host=host, name="a", session_type="music", participants=[me.username])
    ended = workspace_create(host=me, name="b", session_type="music", participants=[])
    client_for(me).post(f"{URL}{ended.pk}/end/", {}, format="json")
    hidden = workspace_create(
        host=blocker, name="c", session_type="music", participants=[me.username]
    )
    block_create(blocker=blocker, blocked=me)
    workspace_create(host=host, name="not mine", session_type="music", participants=[])
    client = client_for(me)
    # when
    every = client.get(URL).json()["results"]
    actives = client.get(URL, {"status": "active"}).json()["results"]
    endeds = client.get(URL, {"status": "ended"}).json()["results"]
    detail = client.get(f"{URL}{hidden.pk}/")
    # then
    assert {item["id"] for item in every} == {active.pk, ended.pk}
    assert [item["id"] for item in actives] == [active.pk]
    assert [item["id"] for item in endeds] == [ended.pk]
    assert detail.status_code == 404


@pytest.mark.parametrize("rows", [2, 50])
def test_the_list_costs_the_same_queries_for_2_or_50_workspaces(
    rows, django_assert_max_num_queries, settings
):
    # given: one host with many rooms (the caps are tested in test_limits.py)
    settings.COLLAB_MAX_OPEN_ROOMS_PER_USER = settings.COLLAB_MAX_PENDING_INVITATIONS = 1000
    me = UserFactory()
    others = [UserFactory() for _ in range(3)]
    for number in range(rows):
        workspace_create(
            host=me,
            name=f"w{number}",
            session_type="painting",
            participants=[user.username for user in others],
        )
    client = client_for(me)
    # when
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"page_size": 100})
    # then
    assert response.status_code == 200
    assert response.json()["count"] == rows


def test_ending_saves_the_canvas_as_a_credited_artwork_and_the_room_becomes_endorsable():
    # given
    host, ana, ben = UserFactory(), UserFactory(), UserFactory()
    session = workspace_create(
        host=host,
        name="Mural",
        session_type="painting",
        participants=[ana.username, ben.username],
    )
    stroke = {
        "id": "s1",
        "kind": "stroke",
        "points": [10, 10, 110, 10, 200, 120],
        "color": "#ff0000",
        "width": 3,
    }
    box = {"id": "r1", "kind": "rect", "points": [40, 40, 90, 80], "width": 4}
    draw(session, stroke, box)
    # when
    early = client_for(ana).post(
        "/api/connect/endorsements/",
        {"subject": ben.username, "session": session.pk, "rating": 5},
        format="json",
    )
    response = client_for(host).post(
        f"{URL}{session.pk}/end/", {"save_canvas": True, "title": "Our mural"}, format="json"
    )
    endorsed = client_for(ana).post(
        "/api/connect/endorsements/",
        {"subject": ben.username, "session": session.pk, "rating": 5},
        format="json",
    )
    # then
    assert early.status_code == 403
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ended_at"] is not None
    artwork = KreativeArtwork.objects.get(pk=body["final_artwork"])
    assert (artwork.title, artwork.artist_id, artwork.media_type) == ("Our mural", host.pk, "image")
    assert artwork.vector_source == {"format": "konnaxion-canvas/1", "items": [stroke, box]}
    assert set(artwork.credits.values_list("pk", flat=True)) == {host.pk, ana.pk, ben.pk}
    with blob_open(blob=artwork.media) as stored, Image.open(stored) as picture:
        assert picture.format == "PNG"
        assert picture.size == (222, 142)  # the drawing's frame plus a 16-pixel margin
        # the stroke's horizontal part, in the picture's coordinates (shifted by the margin)
        assert picture.convert("RGB").getpixel((60 - 10 + 16, 10 - 10 + 16)) == (255, 0, 0)
        assert picture.convert("RGB").getpixel((60 - 10 + 16, 60 - 10 + 16)) == (255, 255, 255)
    assert endorsed.status_code == 201
    assert Endorsement.objects.filter(author=ana, subject=ben, session=session).exists()


def test_ending_twice_an_empty_canvas_and_a_guest_are_refused():
    # given
    host, guest = UserFactory(), UserFactory()
    session = workspace_create(
        host=host, name="Jam", session_type="music", participants=[guest.username]
    )
    # when
    by_guest = client_for(guest).post(f"{URL}{session.pk}/end/", {}, format="json")
    empty = client_for(host).post(f"{URL}{session.pk}/end/", {"save_canvas": True}, format="json")
    ended = client_for(host).post(f"{URL}{session.pk}/end/", {}, format="json")
    twice = client_for(host).post(f"{URL}{session.pk}/end/", {}, format="json")
    # then
    assert by_guest.status_code == 403
    assert (empty.status_code, empty.json()["error"]["code"]) == (400, "canvas_empty")
    assert ended.status_code == 200
    assert ended.json()["final_artwork"] is None
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "session_ended")
    assert not KreativeArtwork.objects.exists()


def test_the_export_holds_the_chat_the_notes_and_the_canvas():
    # given
    host, guest = UserFactory(), UserFactory()
    session = workspace_create(
        host=host, name="Plan", session_type="mixed_media", participants=[guest.username]
    )
    shape = {"id": "e1", "kind": "ellipse", "points": [0, 0, 30, 20]}
    draw(session, shape, note="Meet at <10>")
    collab_chat_message_post(session_id=session.pk, author=host, body="hello")
    collab_chat_message_post(session_id=session.pk, author=guest, body="hi!")
    # when
    response = client_for(guest).get(f"{URL}{session.pk}/export/")
    # then
    assert response.status_code == 200
    body = response.json()
    assert [(m["author"], m["body"]) for m in body["chat"]] == [
        (host.username, "hello"),
        (guest.username, "hi!"),
    ]
    assert body["notes"] == {
        "text": "Plan\nMeet at <10> now",
        "html": "<h2>Plan</h2><p>Meet at &lt;10&gt;<strong> now</strong></p>",
    }
    assert body["canvas"] == {"format": "konnaxion-canvas/1", "items": [shape]}
    assert CollabChatMessage.objects.count() == 2


def test_a_malformed_canvas_item_stays_in_the_source_but_not_in_the_picture():
    # given
    host = UserFactory()
    session = workspace_create(host=host, name="x", session_type="painting", participants=[])
    odd = {"id": "odd", "kind": "stroke", "points": ["a", None], "color": "not a colour"}
    dot = {"id": "dot", "kind": "stroke", "points": [5, 5], "color": "blue", "width": 1e9}
    draw(session, odd, dot)
    # when
    response = client_for(host).post(
        f"{URL}{session.pk}/end/", {"save_canvas": True}, format="json"
    )
    # then
    assert response.status_code == 200
    artwork = KreativeArtwork.objects.get()
    assert artwork.vector_source["items"] == [odd, dot]
    picture = Image.open(blob_open(blob=artwork.media))
    assert picture.size == (64, 64)
