"""/api/kreative/collab-sessions/: the canonical API reads rooms through the same rule as
/api/connect/workspaces/ (`workspaces_of`): host and participants only, never across a block."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from konnaxion.core.tests.querycount import assert_flat_query_count
from konnaxion.kreative.models import CollabSession
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db
URL = "/api/kreative/collab-sessions/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def test_the_list_holds_only_the_rooms_one_hosts_or_is_invited_to():
    # given
    host, guest, stranger, blocked_guest = (UserFactory() for _ in range(4))
    mine = room_with([host, guest, blocked_guest], name="Ours")
    room_with([stranger, UserFactory()], name="Theirs")
    block_create(blocker=host, blocked=blocked_guest)
    # when
    listed = {
        person: [row["name"] for row in client_for(person).get(URL).json()["results"]]
        for person in (host, guest, stranger, blocked_guest)
    }
    # then
    assert listed[host] == listed[guest] == [mine.name]
    assert listed[stranger] == ["Theirs"]
    assert listed[blocked_guest] == []


@pytest.mark.parametrize("outsider", ["stranger", "blocked_by_host", "blocked_the_host"])
def test_a_room_one_is_not_part_of_is_a_404_for_every_action(outsider):
    # given
    host, guest = UserFactory(), UserFactory()
    session = room_with([host, guest], name="Quiet")
    person = UserFactory() if outsider == "stranger" else guest
    if outsider == "blocked_by_host":
        block_create(blocker=host, blocked=guest)
    elif outsider == "blocked_the_host":
        block_create(blocker=guest, blocked=host)
    client = client_for(person)
    # when
    answers = [
        client.get(f"{URL}{session.pk}/"),
        client.patch(f"{URL}{session.pk}/", {"name": "Mine now"}, format="json"),
        client.post(f"{URL}{session.pk}/end/"),
    ]
    missing = client.get(f"{URL}999999/")
    # then: exactly what a room that does not exist answers, and nothing changed
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    assert {answer.json()["error"]["code"] for answer in answers} == {
        missing.json()["error"]["code"]
    }
    session.refresh_from_db()
    assert (session.name, session.ended_at) == ("Quiet", None)


def test_participants_read_the_room_but_only_the_host_changes_it():
    # given
    host, guest = UserFactory(), UserFactory()
    session = room_with([host, guest], name="Shared")
    client = client_for(guest)
    # when
    detail = client.get(f"{URL}{session.pk}/")
    rename = client.patch(f"{URL}{session.pk}/", {"name": "Taken"}, format="json")
    end = client.post(f"{URL}{session.pk}/end/")
    # then
    assert (detail.status_code, detail.json()["host"]) == (200, host.username)
    assert (rename.status_code, end.status_code) == (403, 403)
    assert CollabSession.objects.get(pk=session.pk).ended_at is None


def test_anonymous_callers_learn_nothing_about_which_rooms_exist():
    # given
    session = room_with([UserFactory(), UserFactory()])
    anonymous = APIClient()
    # when
    existing = anonymous.get(f"{URL}{session.pk}/")
    missing = anonymous.get(f"{URL}999999/")
    listed = anonymous.get(URL)
    # then
    assert existing.status_code == missing.status_code == listed.status_code == 401
    assert existing.json() == missing.json()


def test_the_list_costs_the_same_queries_for_2_or_50_rooms(django_assert_max_num_queries):
    # given
    me = UserFactory()

    def make_rows(count: int) -> None:
        for _ in range(count):
            room_with([UserFactory(), me, UserFactory()])

    # then
    assert_flat_query_count(client_for(me), URL, make_rows, django_assert_max_num_queries)


def test_the_host_of_a_session_without_a_host_participant_row_still_has_it():
    # given: a session kept from before participants were recorded
    from konnaxion.kreative.tests.factories import CollabSessionFactory

    host = UserFactory()
    session = CollabSessionFactory(host=host)
    client = client_for(host)
    # when
    listed = [row["id"] for row in client.get(URL).json()["results"]]
    detail = client.get(f"{URL}{session.pk}/")
    # then
    assert listed == [session.pk]
    assert detail.status_code == 200
    assert client_for(UserFactory()).get(f"{URL}{session.pk}/").status_code == 404


def test_the_final_artwork_is_a_work_of_someone_in_the_session():
    from konnaxion.kreative.tests.factories import KreativeArtworkFactory

    # given: a public work of someone outside the room, and one of the guest
    host, guest, outsider = UserFactory(), UserFactory(), UserFactory()
    session = room_with([host, guest], name="Credits")
    theirs = KreativeArtworkFactory(artist=outsider)
    guests = KreativeArtworkFactory(artist=guest)
    client = client_for(host)
    # when
    refused = client.post(f"{URL}{session.pk}/end/", {"final_artwork": theirs.pk}, format="json")
    # then
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "not_a_session_artwork"
    session.refresh_from_db()
    assert session.ended_at is None and session.final_artwork is None
    # and a participant's work may be named
    ended = client.post(f"{URL}{session.pk}/end/", {"final_artwork": guests.pk}, format="json")
    assert ended.status_code == 200
    assert ended.json()["final_artwork"] == guests.pk
