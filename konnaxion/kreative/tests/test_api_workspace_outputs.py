"""/api/connect/workspaces/<id>/: leave, save-canvas, archive (the export as a ZIP) — who may,
and what nobody else learns."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image
from rest_framework.test import APIClient

from konnaxion.files.services import blob_open
from konnaxion.kreative.models import CollabSession, CollabSessionParticipant, KreativeArtwork
from konnaxion.kreative.services.collaboration_workspace import (
    collab_chat_message_post,
    workspace_end,
)
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.kreative.tests.test_api_workspaces import client_for, draw
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/connect/workspaces/"
STROKE = {
    "id": "s1",
    "kind": "stroke",
    "points": [10, 10, 110, 10, 200, 120],
    "color": "#ff0000",
    "width": 3,
}
BOX = {"id": "r1", "kind": "rect", "points": [40, 40, 90, 80], "width": 4, "color": "#00ff00"}


def test_an_invited_person_leaves_and_the_room_is_gone_for_them():
    # given
    host, ana, ben = UserFactory(), UserFactory(), UserFactory()
    session = room_with([host, ana, ben])
    # when
    response = client_for(ana).post(f"{URL}{session.pk}/leave/")
    # then
    assert response.status_code == 204
    assert client_for(ana).get(f"{URL}{session.pk}/").status_code == 404
    assert client_for(ana).get(URL).json()["count"] == 0
    people = set(session.participants.values_list("user__username", flat=True))
    assert people == {host.username, ben.username}
    # and the host may invite them again
    again = client_for(host).post(
        f"{URL}{session.pk}/invite/", {"participants": [ana.username]}, format="json"
    )
    assert again.status_code == 200
    assert client_for(ana).get(f"{URL}{session.pk}/").status_code == 200


def test_the_host_cannot_leave_and_outsiders_get_404():
    # given
    host, ana, outsider = UserFactory(), UserFactory(), UserFactory()
    session = room_with([host, ana])
    # when
    by_host = client_for(host).post(f"{URL}{session.pk}/leave/")
    by_outsider = client_for(outsider).post(f"{URL}{session.pk}/leave/")
    # then
    assert (by_host.status_code, by_host.json()["error"]["code"]) == (409, "host_cannot_leave")
    assert by_outsider.status_code == 404
    assert CollabSessionParticipant.objects.filter(session=session).count() == 2


def test_a_participant_saves_the_canvas_as_their_own_artwork_crediting_everyone():
    # given an ended room with a drawing
    host, ana, ben = UserFactory(), UserFactory(), UserFactory()
    session = room_with([host, ana, ben])
    draw(session, STROKE, BOX)
    workspace_end(session=session, actor=host)
    # when ana keeps it
    response = client_for(ana).post(
        f"{URL}{session.pk}/save-canvas/", {"title": "Red line"}, format="json"
    )
    # then it is her artwork, drawn from the canvas shapes, credited to all three
    assert response.status_code == 201, response.content
    artwork = KreativeArtwork.objects.get(pk=response.json()["id"])
    assert (artwork.artist, artwork.title, artwork.media_type) == (ana, "Red line", "image")
    assert artwork.vector_source == {"format": "konnaxion-canvas/1", "items": [STROKE, BOX]}
    assert set(artwork.credits.values_list("pk", flat=True)) == {host.pk, ana.pk, ben.pk}
    with blob_open(blob=artwork.media) as stored, Image.open(stored) as picture:
        assert (picture.format, picture.size) == ("PNG", (222, 142))
        assert picture.convert("RGB").getpixel((66, 16)) == (255, 0, 0)
    assert CollabSession.objects.get(pk=session.pk).final_artwork is None


def test_saving_an_empty_canvas_or_someone_elses_room_stores_nothing():
    # given
    host, ana, outsider = UserFactory(), UserFactory(), UserFactory()
    session = room_with([host, ana])
    # when
    empty = client_for(ana).post(f"{URL}{session.pk}/save-canvas/", {}, format="json")
    draw(session, STROKE)
    foreign = client_for(outsider).post(f"{URL}{session.pk}/save-canvas/", {}, format="json")
    # then
    assert (empty.status_code, empty.json()["error"]["code"]) == (400, "canvas_empty")
    assert foreign.status_code == 404
    assert not KreativeArtwork.objects.exists()


def test_the_archive_holds_the_transcript_notes_and_canvas_for_participants_only():
    # given
    host, ana, outsider = UserFactory(username="hana"), UserFactory(), UserFactory()
    session = room_with([host, ana], name="Zine")
    draw(session, STROKE, BOX, note="Fold in eight")
    collab_chat_message_post(session_id=session.pk, author=host, body="Cover first?")
    # when
    response = client_for(ana).get(f"{URL}{session.pk}/archive/")
    refused = client_for(outsider).get(f"{URL}{session.pk}/archive/")
    # then
    assert refused.status_code == 404
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert f"konnaxion-room-{session.pk}-" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(name.split("/", 1)[1] for name in archive.namelist())
        read = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    assert names == [
        "canvas.json",
        "canvas.png",
        "canvas.svg",
        "chat.txt",
        "notes.html",
        "notes.md",
    ]
    assert read["chat.txt"].decode().splitlines()[2].endswith("] hana: Cover first?")
    assert read["notes.md"].decode() == "# Zine\n\nPlan\nFold in eight now\n"
    assert b"<polyline points=" in read["canvas.svg"] and b'<rect x="40"' in read["canvas.svg"]
    assert read["canvas.png"].startswith(b"\x89PNG")


def test_the_archive_of_an_empty_room_has_no_picture():
    # given
    host = UserFactory()
    session = room_with([host])
    # when
    response = client_for(host).get(f"{URL}{session.pk}/archive/")
    # then
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = sorted(name.split("/", 1)[1] for name in archive.namelist())
    assert names == ["canvas.json", "chat.txt", "notes.html", "notes.md"]


@pytest.mark.parametrize("action", ["leave", "save-canvas", "archive"])
def test_anonymous_callers_are_refused(action):
    session = room_with([UserFactory()])
    method = APIClient().get if action == "archive" else APIClient().post
    assert method(f"{URL}{session.pk}/{action}/").status_code in (401, 403)
