"""People whose primary email address is not verified may sign in, but may not post
opportunities, invite people (a project's team, a room) or be suggested to others: the API
refuses with 403 `email_unverified`, the pages say so with a link to send the mail again."""

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from rest_framework.test import APIClient

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.kreative.models import CollabSession, CollabSessionParticipant, Opportunity
from konnaxion.kreative.services.collaboration_workspace import workspace_create
from konnaxion.kreative.tests.factories import profile_for
from konnaxion.users.models import User
from konnaxion.users.selectors import email_verified, users_with_verified_email
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for

pytestmark = pytest.mark.django_db

OPPORTUNITY = {
    "type": "call",
    "title": "Open call for printmakers",
    "description": "Works on paper.",
    "apply_url": "https://example.org/apply",
    "eligibility_scope": "international",
    "entry_fee": "0",
}


def api_client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def web_client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_refused_as_unverified(response) -> None:
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "email_unverified"


def assert_page_says_unverified(response) -> None:
    page = response.content.decode()
    assert response.status_code == 403
    assert "Verify your email address first" in page
    assert 'href="/accounts/email/"' in page


def test_the_selector_reads_the_primary_address():
    # given
    verified = UserFactory()
    unverified = UserFactory(email_verified=False)
    no_address = UserFactory(email="")
    # then
    assert email_verified(verified)
    assert not email_verified(unverified)
    assert not email_verified(no_address)
    assert list(users_with_verified_email(User.objects.order_by("pk"))) == [verified]


def test_signing_in_works_unverified():
    # given
    user = UserFactory(email_verified=False)
    # when
    response = Client().post(
        "/accounts/login/", {"login": user.username, "password": DEFAULT_PASSWORD}
    )
    # then
    assert response.status_code == 302


def test_posting_an_opportunity_is_refused_until_verified():
    # given
    user = UserFactory(email_verified=False)
    # when
    response = api_client_for(user).post("/api/connect/opportunities/", OPPORTUNITY)
    page = web_client_for(user).post("/connect/opportunities/new/", OPPORTUNITY)
    # then
    assert_refused_as_unverified(response)
    assert_page_says_unverified(page)
    assert not Opportunity.objects.exists()


def test_posting_an_opportunity_works_once_verified():
    # given
    user = UserFactory(email_verified=False)
    EmailAddress.objects.filter(user=user).update(verified=True)
    # when
    response = api_client_for(user).post("/api/connect/opportunities/", OPPORTUNITY)
    # then
    assert response.status_code == 201, response.content


def test_adding_a_team_member_is_refused_to_an_unverified_owner():
    # given
    owner = UserFactory(email_verified=False)
    project = project_for(creator=owner, title="Shared")
    newcomer = UserFactory()
    # when
    response = api_client_for(owner).post(
        f"/api/keenkonnect/projects/{project.slug}/team/",
        {"username": newcomer.username},
        format="json",
    )
    page = web_client_for(owner).post(
        f"/projects/{project.slug}/team/", {"username": newcomer.username, "role": "collaborator"}
    )
    # then
    assert_refused_as_unverified(response)
    assert_page_says_unverified(page)
    assert not ProjectTeam.objects.filter(project=project, user=newcomer).exists()


def test_room_invitations_are_refused_to_an_unverified_host():
    # given
    host = UserFactory(email_verified=False)
    guest = UserFactory()
    room = workspace_create(host=host, name="Alone", session_type="music", participants=[])
    # when
    created = api_client_for(host).post(
        "/api/connect/workspaces/",
        {"name": "Mural", "session_type": "painting", "participants": [guest.username]},
        format="json",
    )
    invited = api_client_for(host).post(
        f"/api/connect/workspaces/{room.pk}/invite/",
        {"participants": [guest.username]},
        format="json",
    )
    page = web_client_for(host).post(
        f"/connect/workspaces/{room.pk}/invite/", {"participants": guest.username}
    )
    # then
    assert_refused_as_unverified(created)
    assert_refused_as_unverified(invited)
    assert_page_says_unverified(page)
    assert CollabSession.objects.count() == 1
    assert not CollabSessionParticipant.objects.filter(user=guest).exists()


def test_people_with_an_unverified_address_are_never_suggested():
    # given
    viewer = UserFactory(username="viewer")
    profile_for(user=viewer, skills=["etching"])
    for username, verified in [("ada", True), ("noor", False)]:
        profile_for(
            user=UserFactory(username=username, email_verified=verified), skills=["etching"]
        )
    # when
    response = api_client_for(viewer).get("/api/connect/suggestions/")
    # then
    assert response.status_code == 200
    assert [item["username"] for item in response.json()["results"]] == ["ada"]


def test_someone_verified_after_a_list_was_computed_is_suggested_only_then():
    # given: the list is computed while noor is verified, then noor's address is unverified
    viewer = UserFactory(username="viewer")
    profile_for(user=viewer, skills=["etching"])
    noor = UserFactory(username="noor")
    profile_for(user=noor, skills=["etching"])
    client = api_client_for(viewer)
    assert [
        item["username"] for item in client.get("/api/connect/suggestions/").json()["results"]
    ] == ["noor"]
    EmailAddress.objects.filter(user=noor).update(verified=False)
    # when
    response = client.get("/api/connect/suggestions/")
    # then: the precomputed list is filtered again when served
    assert response.json()["results"] == []
