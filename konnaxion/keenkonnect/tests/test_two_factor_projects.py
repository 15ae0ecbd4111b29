"""Projects that require two-factor authentication of their members: a member without a second
factor counts as a non-member (and is told why, 403 `two_factor_required`) on every path until
they enrol one; outsiders learn nothing more than before."""

from __future__ import annotations

import pytest
from allauth.mfa.base.internal.flows import delete_and_cleanup
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from channels.db import database_sync_to_async
from django.test import Client, RequestFactory

from konnaxion.core.consumers import CLOSE_FORBIDDEN
from konnaxion.core.errors import PermissionDenied
from konnaxion.core.tests.sockets import ADMITTED, refused, socket_open
from konnaxion.keenkonnect.models import AuditEvent, Project
from konnaxion.keenkonnect.selectors import TwoFactorRequired
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.projects import project_update
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.keenkonnect.tests.test_real_time_sync import _communicator, _rename
from konnaxion.users.tests.factories import UserFactory

TWO_FACTOR_PAGE = "/accounts/2fa/"


def enrol(user) -> Authenticator:
    """An authenticator app enrolled the way allauth's TOTP flow does it, signal included."""
    authenticator = TOTP.activate(user, generate_totp_secret()).instance
    authenticator_added.send(
        sender=Authenticator, request=None, user=user, authenticator=authenticator
    )
    return authenticator


def unenrol(user, authenticator: Authenticator) -> None:
    """The authenticator removed through allauth's own flow (which sends its signal)."""
    request = RequestFactory().post(TWO_FACTOR_PAGE)
    request.user = user
    delete_and_cleanup(request, authenticator)


def required_project(visibility: str = Project.Visibility.MEMBERS):
    """A team project whose owner has a second factor and requires two factors; one
    document, indexed. Returns (project, users, document)."""
    project, users = team_project(visibility=visibility)
    enrol(users["owner"])
    document = resource_create(
        project=project,
        upload=incoming_file(multipage_pdf(["The quince orchard irrigation plan."])),
        actor=users["owner"],
        title="Orchard",
    )
    resource_index(resource_id=document.pk, version_number=1)
    project_update(project=project, actor=users["owner"], two_factor_required=True)
    return project, users, document


def statuses(client, project, document) -> dict[str, int]:
    base = f"/api/projects/{project.slug}/"
    paths = {
        "project": f"/api/keenkonnect/projects/{project.slug}/",
        "documents": f"{base}resources/",
        "document": f"{base}resources/{document.pk}/",
        "download": f"{base}resources/{document.pk}/download/",
        "preview": f"{base}resources/{document.pk}/preview/",
    }
    return {name: client.get(path).status_code for name, path in paths.items()}


def found(client, word: str = "quince") -> int:
    return client.get("/api/search/", {"q": word}).json()["count"]


def refused_for_two_factors(response) -> None:
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "two_factor_required"
    assert TWO_FACTOR_PAGE in error["message"]
    assert error["details"] == {"enrol_at": TWO_FACTOR_PAGE}


@pytest.mark.django_db
def test_an_owner_without_a_second_factor_cannot_require_one():
    # given
    project, users = team_project()
    # when
    response = client_for(users["owner"]).patch(
        f"/api/keenkonnect/projects/{project.slug}/", {"two_factor_required": True}, format="json"
    )
    # then nothing changed, nothing was audited, and the owner is told how to fix it
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "two_factor_required"
    assert TWO_FACTOR_PAGE in error["message"]
    project.refresh_from_db()
    assert project.two_factor_required is False
    assert not AuditEvent.objects.filter(project=project, action="settings").exists()


@pytest.mark.django_db
def test_an_owner_with_a_second_factor_requires_it_and_the_change_is_audited():
    # given
    project, users = team_project()
    enrol(users["owner"])
    # when
    response = client_for(users["owner"]).patch(
        f"/api/keenkonnect/projects/{project.slug}/", {"two_factor_required": True}, format="json"
    )
    # then
    assert response.status_code == 200
    assert response.json()["two_factor_required"] is True
    [event] = AuditEvent.objects.filter(project=project, action=AuditEvent.Action.SETTINGS)
    assert (event.actor, event.details) == (users["owner"], {"two_factor_required": True})


@pytest.mark.django_db
def test_a_project_is_created_requiring_two_factors_only_by_someone_who_has_one():
    # given
    without, with_one = UserFactory(), UserFactory()
    enrol(with_one)
    body = {"title": "Vault", "two_factor_required": True}
    # when
    refused_create = client_for(without).post("/api/keenkonnect/projects/", body, format="json")
    created = client_for(with_one).post("/api/keenkonnect/projects/", body, format="json")
    # then the first is told how to fix it and nothing is made; the second project requires it
    assert refused_create.status_code == 409
    assert refused_create.json()["error"]["code"] == "two_factor_required"
    assert created.status_code == 201, created.content
    assert created.json()["two_factor_required"] is True
    assert list(Project.objects.values_list("creator", "two_factor_required")) == [
        (with_one.pk, True)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["collaborator", "mentor"])
def test_only_owners_change_the_setting(role):
    # given
    project, users = team_project()
    enrol(users[role])
    # when
    response = client_for(users[role]).patch(
        f"/api/keenkonnect/projects/{project.slug}/", {"two_factor_required": True}, format="json"
    )
    # then
    assert response.status_code == 403
    project.refresh_from_db()
    assert project.two_factor_required is False
    with pytest.raises(PermissionDenied):
        project_update(project=project, actor=users[role], two_factor_required=True)


@pytest.mark.django_db
def test_a_collaborator_without_a_second_factor_is_refused_and_told_how_to_fix_it():
    # given
    project, users, document = required_project()
    client = client_for(users["collaborator"])
    # when
    answers = statuses(client, project, document)
    # then every path of the project refuses with the fix; search finds none of its documents
    assert answers == dict.fromkeys(answers, 403)
    refused_for_two_factors(client.get(f"/api/keenkonnect/projects/{project.slug}/"))
    refused_for_two_factors(client.get(f"/api/projects/{project.slug}/resources/"))
    assert found(client) == 0
    assert project.slug not in [
        p["slug"] for p in client.get("/api/keenkonnect/projects/").json()["results"]
    ]
    # and the download was not served, so not audited either
    assert not AuditEvent.objects.filter(project=project, action="download").exists()


@pytest.mark.django_db
def test_enrolling_gives_full_access_back_and_removing_the_factor_takes_it_away():
    # given
    project, users, document = required_project()
    member = users["collaborator"]
    client = client_for(member)
    # when
    authenticator = enrol(member)
    # then
    answers = statuses(client, project, document)
    assert {name: answers[name] for name in ("project", "documents", "document", "download")} == {
        "project": 200,
        "documents": 200,
        "document": 200,
        "download": 200,
    }
    assert found(client) == 1
    # when
    unenrol(member, authenticator)
    # then
    assert statuses(client, project, document)["project"] == 403
    assert statuses(client, project, document)["download"] == 403
    assert found(client) == 0


@pytest.mark.django_db
def test_outsiders_still_get_404_and_learn_nothing_more():
    # given
    project, _users, document = required_project()
    stranger = client_for(UserFactory())
    # when
    answers = statuses(stranger, project, document)
    # then
    assert answers == dict.fromkeys(answers, 404)
    assert (
        stranger.get(f"/api/keenkonnect/projects/{project.slug}/").json()["error"]["code"]
        == "not_found"
    )
    assert found(stranger) == 0


@pytest.mark.django_db
def test_in_a_public_project_search_gives_the_member_what_a_visitor_gets():
    # given
    project, users, _document = required_project(visibility=Project.Visibility.PUBLIC)
    client = client_for(users["mentor"])
    # when
    hits = found(client)
    detail = client.get(f"/api/keenkonnect/projects/{project.slug}/")
    # then the public document is found as by anyone, and the project still says why it refuses
    assert hits == 1
    refused_for_two_factors(detail)


@pytest.mark.django_db
def test_turning_it_off_gives_access_back():
    # given
    project, users, document = required_project()
    client = client_for(users["collaborator"])
    assert statuses(client, project, document)["project"] == 403
    # when
    project_update(project=project, actor=users["owner"], two_factor_required=False)
    # then
    assert statuses(client, project, document)["document"] == 200
    assert found(client) == 1
    assert [e.details for e in AuditEvent.objects.filter(project=project, action="settings")] == [
        {"two_factor_required": False},
        {"two_factor_required": True},
    ]


@pytest.mark.django_db
def test_the_web_page_shows_how_to_enrol_instead_of_the_project():
    # given
    project, users, document = required_project()
    browser = Client()
    browser.force_login(users["collaborator"])
    # when
    page = browser.get(f"/projects/{project.slug}/")
    document_page = browser.get(f"/projects/{project.slug}/blueprints/{document.pk}/")
    # then
    assert page.status_code == 403
    html = page.content.decode()
    assert f'href="{TWO_FACTOR_PAGE}"' in html
    assert "Orchard" not in html and project.title not in html
    assert document_page.status_code == 403
    assert browser.get(f"/projects/{project.slug}/search/", {"q": "quince"}).status_code == 403
    # and an outsider still gets the 404 page
    outsider = Client()
    outsider.force_login(UserFactory())
    assert outsider.get(f"/projects/{project.slug}/").status_code == 404


@pytest.mark.django_db
def test_the_owner_form_refuses_to_require_two_factors_without_one():
    # given
    project, users = team_project()
    browser = Client()
    browser.force_login(users["owner"])
    data = {
        "title": project.title,
        "status": project.status,
        "visibility": project.visibility,
        "two_factor_required": "on",
    }
    # when
    response = browser.post(f"/projects/{project.slug}/update/", data)
    # then
    assert response.status_code == 400
    assert "Set up two-factor authentication for your own account first" in (
        response.content.decode()
    )
    project.refresh_from_db()
    assert project.two_factor_required is False


def test_the_refusal_names_the_fix():
    # given / when
    refusal = TwoFactorRequired()
    # then
    assert (refusal.status, refusal.code) == (403, "two_factor_required")
    assert TWO_FACTOR_PAGE in refusal.message


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_the_socket_of_a_member_without_a_second_factor_is_refused_with_4403():
    # given
    project, users, _document = await database_sync_to_async(required_project)()
    # when
    opening = await socket_open(
        await _communicator(project, users["collaborator"], since=None, origin=b"http://localhost")
    )
    # then
    assert opening == refused(
        CLOSE_FORBIDDEN,
        {"type": "error", "code": "two_factor_required", "message": TwoFactorRequired.message},
    )


async def _closed_after_error(communicator) -> None:
    """The socket's next frames are the `two_factor_required` error and the close (4403),
    whatever events came before."""
    while True:
        output = await communicator.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            pytest.fail(f"closed without an error frame: {output}")
        if '"two_factor_required"' in output.get("text", ""):
            break
    assert await communicator.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_FORBIDDEN,
    }


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_turning_it_on_closes_the_open_socket_of_a_member_without_one():
    # given
    project, users = await database_sync_to_async(team_project)(
        visibility=Project.Visibility.MEMBERS
    )
    owner = users["owner"]
    await database_sync_to_async(enrol)(owner)
    communicator = await _communicator(
        project, users["mentor"], since=None, origin=b"http://localhost"
    )
    assert await socket_open(communicator) == ADMITTED
    # when
    await database_sync_to_async(project_update)(
        project=project, actor=owner, two_factor_required=True
    )
    # then
    await _closed_after_error(communicator)


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
async def test_removing_the_last_factor_closes_the_open_socket_and_enrolling_reopens_it():
    # given a mentor with a second factor, connected to a project that requires one
    project, users, document = await database_sync_to_async(required_project)()
    mentor = users["mentor"]
    authenticator = await database_sync_to_async(enrol)(mentor)
    communicator = await _communicator(project, mentor, since=None, origin=b"http://localhost")
    assert await socket_open(communicator) == ADMITTED
    # when
    await database_sync_to_async(unenrol)(mentor, authenticator)
    # then
    await _closed_after_error(communicator)
    # when they enrol again
    await database_sync_to_async(enrol)(mentor)
    again = await _communicator(project, mentor, since=None, origin=b"http://localhost")
    # then they are admitted and hear the project's events
    assert await socket_open(again) == ADMITTED
    await _rename(document, "Orchard 2", users["owner"])
    message = await again.receive_json_from(timeout=5)
    assert (message["type"], message["resource"]) == ("resource.updated", document.pk)
    await again.disconnect()
