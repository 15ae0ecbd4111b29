"""The room page's actions without JavaScript: end (host), leave, save the canvas as an artwork,
export as a ZIP; outsiders get 404 and nothing happens."""

import io
import zipfile

import pytest

from konnaxion.kreative.models import CollabSession, CollabSessionParticipant, KreativeArtwork
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.kreative.tests.test_api_workspaces import draw
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.tests.test_workspace_pages import signed_in

pytestmark = pytest.mark.django_db
STROKE = {"id": "s1", "kind": "stroke", "points": [10, 10, 110, 60], "color": "#112233"}


def path(session, action=""):
    return f"/connect/workspaces/{session.pk}/{action}"


def test_the_host_ends_the_room_keeping_the_canvas_and_it_stays_readable():
    # given
    host, ana = UserFactory(), UserFactory()
    session = room_with([host, ana], name="Mural")
    draw(session, STROKE)
    # when
    response = signed_in(host).post(
        path(session, "end/"), {"end-save_canvas": "on", "end-title": "Our wall"}, follow=True
    )
    # then
    session.refresh_from_db()
    assert session.ended_at is not None
    assert session.final_artwork.title == "Our wall"
    assert "The room has ended." in response.content.decode()
    page = signed_in(ana).get(path(session)).content.decode()
    assert "This room has ended: it is read-only." in page
    assert f'action="{path(session, "end/")}"' not in page
    assert f'action="{path(session, "invite/")}"' not in page
    assert path(session, "export/") in page


def test_only_the_host_ends_and_outsiders_learn_nothing():
    # given
    host, ana, outsider = UserFactory(), UserFactory(), UserFactory()
    session = room_with([host, ana])
    # when
    by_guest = signed_in(ana).post(path(session, "end/"))
    by_outsider = signed_in(outsider).post(path(session, "end/"))
    # then
    assert (by_guest.status_code, by_outsider.status_code) == (403, 404)
    assert CollabSession.objects.get(pk=session.pk).ended_at is None


def test_ending_twice_or_saving_an_empty_canvas_says_why():
    # given
    host = UserFactory()
    session = room_with([host])
    # when
    empty = signed_in(host).post(path(session, "save-canvas/"), follow=True)
    signed_in(host).post(path(session, "end/"))
    twice = signed_in(host).post(path(session, "end/"), follow=True)
    # then
    assert "The canvas is empty: there is nothing to save." in empty.content.decode()
    assert "This room has already ended." in twice.content.decode()
    assert not KreativeArtwork.objects.exists()


def test_a_guest_leaves_and_the_room_leaves_their_list():
    # given
    host, ana = UserFactory(), UserFactory()
    session = room_with([host, ana], name="Jam")
    # when
    response = signed_in(ana).post(path(session, "leave/"))
    # then
    assert response.status_code == 302
    assert response["Location"] == "/connect/?tab=workspace"
    assert not CollabSessionParticipant.objects.filter(session=session, user=ana).exists()
    assert signed_in(ana).get(path(session)).status_code == 404
    # and the host has no leave button, and cannot leave
    page = signed_in(host).get(path(session)).content.decode()
    assert path(session, "leave/") not in page
    refused = signed_in(host).post(path(session, "leave/"), follow=True)
    assert "The host cannot leave the room: end it instead." in refused.content.decode()


def test_a_guest_saves_the_canvas_as_their_artwork():
    # given
    host, ana = UserFactory(), UserFactory()
    session = room_with([host, ana], name="Sky")
    draw(session, STROKE)
    # when
    response = signed_in(ana).post(path(session, "save-canvas/"), {"canvas-title": ""}, follow=True)
    # then
    (artwork,) = KreativeArtwork.objects.all()
    assert (artwork.artist, artwork.title) == (ana, "Sky")
    assert "The canvas is saved as your artwork." in response.content.decode()


def test_the_export_is_a_zip_for_participants_and_a_404_for_others():
    # given
    host, outsider = UserFactory(), UserFactory()
    session = room_with([host])
    draw(session, STROKE, note="Plan")
    # when
    response = signed_in(host).get(path(session, "export/"))
    refused = signed_in(outsider).get(path(session, "export/"))
    # then
    assert refused.status_code == 404
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert len(archive.namelist()) == 6


@pytest.mark.parametrize("action", ["end/", "leave/", "save-canvas/"])
def test_outsiders_posting_change_nothing(action):
    # given
    host, ana, outsider = UserFactory(), UserFactory(), UserFactory()
    session = room_with([host, ana])
    draw(session, STROKE)
    # when
    response = signed_in(outsider).post(path(session, action))
    # then
    assert response.status_code == 404
    assert CollabSessionParticipant.objects.filter(session=session).count() == 2
    assert CollabSession.objects.get(pk=session.pk).ended_at is None
    assert not KreativeArtwork.objects.exists()
