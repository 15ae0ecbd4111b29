"""The Workspace tab of /connect (my rooms, create and invite) and the room page."""

import pytest
from django.test import Client

from konnaxion.kreative.models import CollabChatMessage, CollabSession, CollabSessionParticipant
from konnaxion.kreative.services.collab_sessions import (
    collab_session_end,
    collab_session_participant_add,
    collab_session_start,
)
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def room(host, name="Night studio", *, invited=()):
    session = collab_session_start(host=host, name=name, session_type="painting")
    for person in invited:
        collab_session_participant_add(session=session, actor=host, user=person)
    return session


# The tab --------------------------------------------------------------------------------------


def test_workspace_tab_lists_rooms_hosted_and_joined_active_first():
    # given
    ana, ben, cy = UserFactory(username="ana"), UserFactory(), UserFactory()
    ended = room(ana, "Finished mural")
    collab_session_end(session=ended, actor=ana)
    hosted = room(ana, "Ana's studio")
    joined = room(ben, "Ben's jam", invited=[ana])
    room(cy, "Someone else's room")
    # when
    page = signed_in(ana).get("/connect/", {"tab": "workspace"})
    # then
    assert page.status_code == 200
    listed = [row.name for row in page.context["page"].object_list]
    assert listed == [joined.name, hosted.name, ended.name]
    html = page.content.decode()
    assert f'href="/connect/workspaces/{joined.pk}/"' in html
    assert "Someone else&#x27;s room" not in html


def test_workspace_tab_asks_visitors_to_sign_in(client):
    # when
    html = client.get("/connect/", {"tab": "workspace"}).content.decode()
    # then
    assert "Sign in to see your rooms." in html
    assert 'action="/connect/workspaces/new/"' not in html


def test_workspace_tab_query_count_does_not_grow_with_rooms(django_assert_max_num_queries):
    # given
    ana = UserFactory()
    client = signed_in(ana)
    for index in range(2):
        room(ana, f"Room {index}", invited=[UserFactory()])
    client.get("/connect/", {"tab": "workspace"})  # warms the session and the language
    with django_assert_max_num_queries(8) as few:
        client.get("/connect/", {"tab": "workspace"})
    for index in range(2, 20):
        room(ana, f"Room {index}", invited=[UserFactory()])
    # when
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/connect/", {"tab": "workspace"})
    # then
    assert len(page.context["page"].object_list) == 20


# Create and invite ------------------------------------------------------------------------


def test_create_a_room_invites_the_named_people_and_opens_it():
    # given
    ana = UserFactory(username="ana")
    ben, cy = UserFactory(username="ben"), UserFactory(username="cy")
    # when
    response = signed_in(ana).post(
        "/connect/workspaces/new/",
        {"name": "  Duo  ", "session_type": "music", "participants": "ben, @cy ben ana"},
    )
    # then
    session = CollabSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/connect/workspaces/{session.pk}/"
    assert (session.name, session.session_type, session.host) == ("Duo", "music", ana)
    people = CollabSessionParticipant.objects.filter(session=session)
    assert {(p.user.username, p.role) for p in people} == {
        ("ana", "host"),
        ("ben", "participant"),
        ("cy", "participant"),
    }
    assert ben.pk and cy.pk


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": "", "session_type": "music"}, "This field is required."),
        ({"name": "Duo", "session_type": "opera"}, "Select a valid choice."),
        ({"name": "Duo", "session_type": "music", "participants": "ghost"}, "Nobody is called"),
        ({"name": "Duo\x00", "session_type": "music"}, "Null characters are not allowed."),
    ],
)
def test_create_a_room_with_bad_input_says_why_and_creates_nothing(fields, error):
    # given
    ana = UserFactory()
    # when
    response = signed_in(ana).post("/connect/workspaces/new/", fields)
    # then
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not CollabSession.objects.exists()
    assert not CollabSessionParticipant.objects.exists()


def test_create_a_room_needs_a_signed_in_person(client):
    # when
    response = client.post("/connect/workspaces/new/", {"name": "x", "session_type": "music"})
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not CollabSession.objects.exists()


def test_the_host_invites_more_people_from_the_room():
    # given
    ana, ben = UserFactory(), UserFactory(username="ben")
    session = room(ana)
    # when
    response = signed_in(ana).post(
        f"/connect/workspaces/{session.pk}/invite/", {"participants": "ben"}
    )
    # then
    assert response.status_code == 302
    assert session.participants.filter(user=ben, role="participant").exists()


def test_only_the_host_invites_and_not_into_an_ended_room():
    # given
    ana, ben, cy = UserFactory(), UserFactory(), UserFactory(username="cy")
    session = room(ana, invited=[ben])
    ended = room(ana, "Over")
    collab_session_end(session=ended, actor=ana)
    # when
    by_guest = signed_in(ben).post(
        f"/connect/workspaces/{session.pk}/invite/", {"participants": "cy"}
    )
    into_ended = signed_in(ana).post(
        f"/connect/workspaces/{ended.pk}/invite/", {"participants": "cy"}
    )
    # then
    assert by_guest.status_code == 403
    assert into_ended.status_code == 409
    assert "This room has ended" in into_ended.content.decode()
    assert not CollabSessionParticipant.objects.filter(user=cy).exists()


# The room page -----------------------------------------------------------------------------


def test_room_page_shows_the_room_its_people_and_chat_history_to_its_participants():
    # given
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    session = room(ana, invited=[ben])
    CollabChatMessage.objects.create(session=session, author=ana, body="<b>hello</b> ben")
    # when
    pages = [signed_in(person).get(f"/connect/workspaces/{session.pk}/") for person in (ana, ben)]
    # then
    for page in pages:
        html = page.content.decode()
        assert page.status_code == 200
        assert "Night studio" in html
        assert "Invited: ana, ben" in html
        assert "&lt;b&gt;hello&lt;/b&gt; ben" in html
        assert f'data-socket="/ws/connect/workspaces/{session.pk}/"' in html
        assert 'data-viewer="false"' in html
        assert 'type="module" src="/static/web/room.js"' in html
    assert f'action="/connect/workspaces/{session.pk}/invite/"' in pages[0].content.decode()
    assert "/invite/" not in pages[1].content.decode()


def test_room_page_is_a_404_for_outsiders_and_unknown_rooms():
    # given
    ana, outsider = UserFactory(), UserFactory()
    session = room(ana)
    client = signed_in(outsider)
    # when
    hidden = client.get(f"/connect/workspaces/{session.pk}/")
    unknown = client.get(f"/connect/workspaces/{session.pk + 1000}/")
    # then
    assert hidden.status_code == 404
    assert unknown.status_code == 404
    assert "Night studio" not in hidden.content.decode()


def test_room_page_sends_visitors_to_sign_in(client):
    # given
    session = room(UserFactory())
    # when
    response = client.get(f"/connect/workspaces/{session.pk}/")
    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_ended_room_is_read_only_and_a_viewer_link_watches():
    # given
    ana = UserFactory()
    live = room(ana, "Live")
    ended = room(ana, "Over")
    collab_session_end(session=ended, actor=ana)
    client = signed_in(ana)
    # when
    ended_html = client.get(f"/connect/workspaces/{ended.pk}/").content.decode()
    watching = client.get(f"/connect/workspaces/{live.pk}/", {"role": "viewer"}).content.decode()
    # then
    assert 'data-viewer="true"' in ended_html and 'data-ended="true"' in ended_html
    assert "This room has ended: it is read-only." in ended_html
    assert "/invite/" not in ended_html
    assert 'data-viewer="true"' in watching and "Join as an editor" in watching


def test_a_room_whose_host_blocked_you_disappears_from_your_tab_and_page():
    # given an invited guest whom the host then blocks
    from konnaxion.kreative.services.professional_profile import block_create

    host, guest = UserFactory(), UserFactory()
    session = room(host, "Closed door", invited=[guest])
    block_create(blocker=host, blocked=guest)
    browser = signed_in(guest)
    # when
    tab = browser.get("/connect/", {"tab": "workspace"})
    page = browser.get(f"/connect/workspaces/{session.pk}/")
    # then the same rule as the API and the room socket applies
    assert [row.name for row in tab.context["page"].object_list] == []
    assert page.status_code == 404
