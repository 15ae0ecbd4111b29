"""Per-user caps: open rooms hosted, pending invitations, open opportunities, galleries. Past a
cap the answer is a 409 with a stable code and nothing is created; concurrent creations at the
cap minus one cannot both pass."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from konnaxion.core.errors import ApplicationError
from konnaxion.kreative.models import (
    CollabSession,
    CollabSessionParticipant,
    Gallery,
    Opportunity,
)
from konnaxion.kreative.services.collab_sessions import collab_session_end
from konnaxion.kreative.services.collaboration_workspace import workspace_create, workspace_touch
from konnaxion.kreative.services.galleries import gallery_create
from konnaxion.kreative.services.opportunity_announcement import opportunity_close
from konnaxion.kreative.tests.factories import opportunity_for
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for

pytestmark = pytest.mark.django_db
ROOMS = "/api/connect/workspaces/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def new_room(client, *participants, url=ROOMS):
    return client.post(
        url,
        {"name": "Room", "session_type": "painting", "participants": list(participants)},
        format="json",
    )


def refusal(response, code: str, limit: int) -> None:
    assert response.status_code == 409, response.content
    error = response.json()["error"]
    assert (error["code"], error["details"]["limit"]) == (code, limit)


@pytest.mark.parametrize("url", [ROOMS, "/api/kreative/collab-sessions/"])
def test_a_host_opens_at_most_the_allowed_number_of_rooms(settings, url):
    # given
    settings.COLLAB_MAX_OPEN_ROOMS_PER_USER = 2
    host = UserFactory()
    client = client_for(host)
    first, second = new_room(client, url=url), new_room(client, url=url)
    # when
    third = new_room(client, url=url)
    collab_session_end(session=CollabSession.objects.get(pk=first.json()["id"]), actor=host)
    after_ending_one = new_room(client, url=url)
    # then
    assert (first.status_code, second.status_code, after_ending_one.status_code) == (201,) * 3
    refusal(third, "too_many_open_rooms", 2)
    assert CollabSession.objects.filter(host=host).count() == 3


def test_a_host_has_at_most_the_allowed_number_of_unanswered_invitations(settings):
    # given
    settings.COLLAB_MAX_PENDING_INVITATIONS = 3
    host, *guests = (UserFactory() for _ in range(5))
    client = client_for(host)
    room = new_room(client, guests[0].username, guests[1].username).json()
    invite = f"{ROOMS}{room['id']}/invite/"
    # when
    too_many = client.post(
        invite, {"participants": [guests[2].username, guests[3].username]}, format="json"
    )
    again = client.post(invite, {"participants": [guests[0].username]}, format="json")
    workspace_touch(session_id=room["id"], user_id=guests[0].pk, joined=True)
    once_one_joined = client.post(
        invite, {"participants": [guests[2].username, guests[3].username]}, format="json"
    )
    # then: re-inviting someone already invited adds nothing, so it passes even at the cap
    refusal(too_many, "too_many_pending_invitations", 3)
    assert (again.status_code, once_one_joined.status_code) == (200, 200)
    assert CollabSessionParticipant.objects.filter(session_id=room["id"]).count() == 5


def test_creating_a_room_counts_its_invitations_too(settings):
    # given
    settings.COLLAB_MAX_PENDING_INVITATIONS = 1
    host, ana, ben = (UserFactory() for _ in range(3))
    # when
    response = new_room(client_for(host), ana.username, ben.username)
    # then
    refusal(response, "too_many_pending_invitations", 1)
    assert not CollabSession.objects.exists()


def test_the_web_tab_says_why_a_room_cannot_be_opened(settings):
    # given
    settings.COLLAB_MAX_OPEN_ROOMS_PER_USER = 1
    host = UserFactory()
    workspace_create(host=host, name="First", session_type="music", participants=[])
    browser = Client()
    browser.login(username=host.username, password=DEFAULT_PASSWORD)
    # when
    response = browser.post("/connect/workspaces/new/", {"name": "Two", "session_type": "music"})
    # then
    assert response.status_code == 409
    assert "You already host as many open rooms as allowed" in response.content.decode()
    assert CollabSession.objects.filter(host=host).count() == 1


def _race(create, trials: int = 8) -> list[list[str]]:
    """Run `create` twice at once, `trials` times; each trial's outcomes ("ok" or a code)."""
    outcomes = []
    for trial in range(trials):
        barrier = threading.Barrier(2)
        results: list[str] = []

        def one(trial=trial, barrier=barrier, results=results) -> None:
            barrier.wait()
            try:
                create(trial)
                results.append("ok")
            except ApplicationError as error:
                results.append(error.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=one) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes.append(sorted(results))
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_rooms_opened_at_once_at_the_cap_minus_one_cannot_both_pass(settings):
    # given
    settings.COLLAB_MAX_OPEN_ROOMS_PER_USER = 1
    hosts = [UserFactory() for _ in range(8)]
    # when
    outcomes = _race(
        lambda trial: workspace_create(
            host=hosts[trial], name="Race", session_type="music", participants=[]
        )
    )
    # then
    assert outcomes == [["ok", "too_many_open_rooms"]] * 8
    assert all(CollabSession.objects.filter(host=host).count() == 1 for host in hosts)


@pytest.mark.django_db(transaction=True)
def test_two_galleries_made_at_once_at_the_cap_minus_one_cannot_both_pass(settings):
    # given
    settings.GALLERY_MAX_PER_USER = 1
    curators = [UserFactory() for _ in range(8)]
    # when
    outcomes = _race(lambda trial: gallery_create(creator=curators[trial], title="Race"))
    # then
    assert outcomes == [["ok", "too_many_galleries"]] * 8


def test_a_poster_has_at_most_the_allowed_number_of_open_opportunities(settings):
    # given
    settings.OPPORTUNITY_MAX_OPEN_PER_USER = 1
    poster = UserFactory()
    first = opportunity_for(posted_by=poster)
    client = client_for(poster)
    body = {
        "type": "call",
        "title": "Second call",
        "description": "More.",
        "apply_url": "https://example.org/apply",
    }
    # when
    refused = client.post("/api/connect/opportunities/", body, format="json")
    opportunity_close(opportunity=first, actor=poster)
    after_closing = client.post("/api/connect/opportunities/", body, format="json")
    # then
    refusal(refused, "too_many_open_opportunities", 1)
    assert after_closing.status_code == 201
    assert Opportunity.objects.filter(posted_by=poster).count() == 2


def test_a_curator_has_at_most_the_allowed_number_of_galleries(settings, user, user_client):
    # given
    settings.GALLERY_MAX_PER_USER = 1
    url = "/api/kreative/galleries/"
    first = user_client.post(url, {"title": "One"}, format="json")
    # when
    second = user_client.post(url, {"title": "Two"}, format="json")
    # then
    assert first.status_code == 201
    refusal(second, "too_many_galleries", 1)
    assert Gallery.objects.filter(created_by=user).count() == 1


def test_the_web_board_says_why_an_opportunity_cannot_be_posted(settings):
    # given
    settings.OPPORTUNITY_MAX_OPEN_PER_USER = 1
    poster = UserFactory()
    opportunity_for(posted_by=poster)
    browser = Client()
    browser.login(username=poster.username, password=DEFAULT_PASSWORD)
    fields = {
        "type": "call",
        "title": "Second call",
        "description": "More walls.",
        "eligibility_scope": "international",
        "entry_fee": "0",
        "apply_url": "https://example.org/murals",
    }
    # when
    response = browser.post("/connect/opportunities/new/", fields)
    # then
    assert response.status_code == 409
    assert "You already have as many open opportunities as allowed" in response.content.decode()
    assert Opportunity.objects.filter(posted_by=poster).count() == 1
