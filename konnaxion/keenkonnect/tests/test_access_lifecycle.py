"""What lifecycle changes do to Stockage access (docs/permissions.md ("Stockage")): a per-document
entry applies only while its user is on the team, removing a member deletes their entries, and
anonymous visitors read public projects through the same selector (never a 500)."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from konnaxion.keenkonnect.models import (
    AccessLevel,
    AuditEvent,
    DocumentAccess,
    DocumentVersion,
    Project,
    ProjectEvent,
    ProjectResource,
    UploadSession,
)
from konnaxion.keenkonnect.selectors import resources_visible_to
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.granular_permissions import (
    access_entries_replace,
    level_of,
    project_level_of,
)
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.resumable_uploads import (
    upload_session_append,
    upload_session_create,
)
from konnaxion.keenkonnect.services.secure_document_storage import resource_create, resource_purge
from konnaxion.keenkonnect.services.team import (
    project_member_add,
    project_member_remove,
    project_member_role_set,
)
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, png_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, new_version, team_project
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _document(project, owner, text: str = "Plan", **kwargs) -> ProjectResource:
    resource = resource_create(
        project=project, upload=incoming_file(multipage_pdf([text])), actor=owner, **kwargs
    )
    resource_index(resource_id=resource.pk, version_number=1)
    return resource


def _entries(resource: ProjectResource, owner, entries: dict[str, str]) -> None:
    resource.my_level = AccessLevel.ADMIN
    access_entries_replace(
        resource=resource,
        entries=[{"user": name, "level": level} for name, level in entries.items()],
        actor=owner,
    )


def test_a_removed_member_with_an_admin_entry_can_change_nothing_in_a_public_project():
    # given a collaborator with an admin entry on a document of a public project, removed
    project, users = team_project()
    owner, former, mentor = users["owner"], users["collaborator"], users["mentor"]
    plan = _document(project, owner)
    _entries(plan, owner, {former.username: "admin", mentor.username: "read"})
    project_member_remove(project=project, user=former, actor=owner)
    client = client_for(former)
    base = f"/api/projects/{project.slug}/resources/{plan.pk}/"
    # when they try every change the entry used to allow
    renamed = client.patch(base, {"title": "Mine now"}, format="json")
    version = new_version(client, project, plan.pk, "plan.pdf", pdf_bytes("Theirs"))
    entries = client.put(
        f"{base}permissions/", {"entries": [{"user": mentor.username, "level": "none"}]}, "json"
    )
    trashed = client.delete(base)
    purged = client.delete(f"{base}purge/")
    # then they are a public reader: every change is refused and nothing happened
    assert [renamed.status_code, version.status_code, entries.status_code] == [403, 403, 403]
    assert [trashed.status_code, purged.status_code] == [403, 403]
    assert client.get(base).json()["my_level"] == "read"
    plan.refresh_from_db()
    assert (plan.title, plan.trashed_at) == ("plan.pdf", None)
    assert DocumentVersion.objects.filter(resource=plan).count() == 1
    assert list(DocumentAccess.objects.values_list("user__username", "level")) == [
        (mentor.username, AccessLevel.READ)
    ]


def test_removing_a_member_deletes_their_entries_and_the_audit_log_says_so():
    # given
    project, users = team_project()
    owner, former = users["owner"], users["collaborator"]
    plan, other = _document(project, owner, "Plan"), _document(project, owner, "Other")
    _entries(plan, owner, {former.username: "admin"})
    _entries(other, owner, {former.username: "none"})
    # when
    project_member_remove(project=project, user=former, actor=owner)
    # then
    assert not DocumentAccess.objects.filter(user=former).exists()
    removals = AuditEvent.objects.filter(
        action=AuditEvent.Action.PERMISSIONS, details__reason="member_removed"
    ).order_by("resource_id")
    assert [(e.resource_id, e.actor, e.details["before"]) for e in removals] == [
        (plan.pk, owner, [{"user": former.username, "level": "admin"}]),
        (other.pk, owner, [{"user": former.username, "level": "none"}]),
    ]


def test_an_entry_left_behind_by_a_former_member_is_ignored():
    # given an entry whose user is not on the team (written around the services)
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    plan = _document(project, users["owner"])
    stranger = UserFactory()
    DocumentAccess.objects.create(resource=plan, user=stranger, level=AccessLevel.ADMIN)
    # when / then: the one rule, in Python and in SQL, gives the stranger nothing
    assert level_of(user=stranger, resource=plan) == AccessLevel.NONE
    assert not resources_visible_to(user=stranger, min_level="none").filter(my_level__gt=0)
    assert client_for(stranger).get(f"/api/projects/{project.slug}/resources/").status_code == 404
    # and in a public project it gives what any visitor has, read
    project.visibility = Project.Visibility.PUBLIC
    project.save()
    assert level_of(user=stranger, resource=plan) == AccessLevel.READ


def test_a_removed_member_of_a_members_only_project_finds_nothing_by_search():
    # given a mentor with a read entry, then removed from a members-only project
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    owner, former = users["owner"], users["mentor"]
    plan = _document(project, owner, "The cistern overflows into a swale.", title="Cistern")
    _entries(plan, owner, {former.username: "read"})
    assert client_for(former).get("/api/search/", {"q": "swale"}).json()["count"] == 1
    project_member_remove(project=project, user=former, actor=owner)
    DocumentAccess.objects.create(resource=plan, user=former, level=AccessLevel.READ)
    # when
    response = client_for(former).get("/api/search/", {"q": "swale"})
    # then
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert "Cistern" not in response.content.decode()


def test_a_role_change_keeps_the_entries_and_owners_stay_admin():
    # given a collaborator kept out of one document
    project, users = team_project()
    owner, member = users["owner"], users["collaborator"]
    plan = _document(project, owner)
    _entries(plan, owner, {member.username: "none"})
    # when they become mentor, then owner
    project_member_role_set(project=project, user=member, role="mentor", actor=owner)
    as_mentor = level_of(user=member, resource=plan)
    project_member_role_set(project=project, user=member, role="owner", actor=owner)
    # then the entry still applies to the mentor, and an owner is admin whatever it says
    assert as_mentor == AccessLevel.NONE
    assert level_of(user=member, resource=plan) == AccessLevel.ADMIN
    assert DocumentAccess.objects.get(user=member).level == AccessLevel.NONE


def test_the_project_level_follows_the_same_rule():
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    levels = {name: project_level_of(user=user, project=project) for name, user in users.items()}
    assert levels == {"owner": 3, "collaborator": 2, "mentor": 1}
    assert project_level_of(user=UserFactory(), project=project) == AccessLevel.NONE
    inactive = users["collaborator"]
    inactive.is_active = False
    inactive.save()
    assert project_level_of(user=inactive, project=project) == AccessLevel.NONE


# Anonymous visitors ------------------------------------------------------------------------


@pytest.fixture
def public_drawing():
    """A public project with an image in two versions, indexed (so with previews)."""
    project, users = team_project()
    owner = users["owner"]
    drawing = resource_create(
        project=project, upload=incoming_file(png_bytes((32, 24)), name="site.png"), actor=owner
    )
    drawing.my_level = AccessLevel.ADMIN
    version_create(
        resource=drawing, upload=incoming_file(png_bytes((48, 24)), name="site.png"), actor=owner
    )
    resource_index(resource_id=drawing.pk, version_number=2)
    return project, drawing


READS = [
    "",
    "download/",
    "download/?version=1",
    "preview/?size=256",
    "versions/",
    "diff/?from=1&to=2",
    "diff/highlight/?from=1&to=2",
]


@pytest.mark.parametrize("path", READS)
def test_anonymous_visitors_read_a_public_projects_document(public_drawing, path):
    # given
    project, drawing = public_drawing
    # when
    response = APIClient().get(f"/api/projects/{project.slug}/resources/{drawing.pk}/{path}")
    # then
    assert response.status_code == 200


@pytest.mark.parametrize("path", READS)
def test_anonymous_visitors_are_asked_to_sign_in_for_a_members_only_project(public_drawing, path):
    # given
    project, drawing = public_drawing
    project.visibility = Project.Visibility.MEMBERS
    project.save()
    # when
    response = APIClient().get(f"/api/projects/{project.slug}/resources/{drawing.pk}/{path}")
    # then: the same answer as for a project that does not exist
    missing = APIClient().get(f"/api/projects/no-such-project/resources/{drawing.pk}/{path}")
    assert (response.status_code, missing.status_code) == (401, 401)
    assert response.json()["error"]["code"] == "not_authenticated"


def test_anonymous_visitors_change_nothing(public_drawing):
    # given
    project, drawing = public_drawing
    base = f"/api/projects/{project.slug}/resources/{drawing.pk}/"
    client = APIClient()
    # when
    statuses = [
        client.patch(base, {"title": "X"}, format="json").status_code,
        client.delete(base).status_code,
        client.post(f"{base}restore/", {"version": 1}, format="json").status_code,
        client.get(f"{base}permissions/").status_code,
        client.get(f"/api/projects/{project.slug}/audit/").status_code,
    ]
    # then
    assert statuses == [401] * 5
    drawing.refresh_from_db()
    assert (drawing.title, drawing.trashed_at) == ("site.png", None)


def test_anonymous_downloads_are_in_the_audit_log_without_an_actor(public_drawing):
    project, drawing = public_drawing
    APIClient().get(f"/api/projects/{project.slug}/resources/{drawing.pk}/download/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert (event.actor, event.details) == (None, {"version": 2})


def test_entries_from_an_earlier_membership_do_not_come_back_with_a_new_one():
    # given an admin entry left on a document by a former member (removed before removals
    # deleted entries), who is added again as mentor
    project, users = team_project()
    plan = _document(project, users["owner"])
    returning = UserFactory()
    DocumentAccess.objects.create(resource=plan, user=returning, level=AccessLevel.ADMIN)
    # when
    project_member_add(project=project, user=returning, role="mentor", actor=users["owner"])
    # then they start from the mentor's level, and the audit log says the entry went
    assert level_of(user=returning, resource=plan) == AccessLevel.READ
    assert not DocumentAccess.objects.filter(user=returning).exists()
    assert AuditEvent.objects.filter(
        resource=plan, action=AuditEvent.Action.PERMISSIONS, details__reason="member_added"
    ).exists()


def test_a_removed_members_unfinished_uploads_are_deleted(django_capture_on_commit_callbacks):
    # given a collaborator halfway through a resumable upload
    project, users = team_project()
    member = users["collaborator"]
    session = upload_session_create(
        project=project, user=member, length=1000, metadata={"filename": "plan.pdf"}
    )
    session, _, _ = upload_session_append(
        session=session, offset=0, read=io.BytesIO(pdf_bytes()[:400]).read
    )
    (part,) = session.parts
    assert default_storage.exists(part["name"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        project_member_remove(project=project, user=member, actor=users["owner"])
    # then
    assert not UploadSession.objects.filter(pk=session.pk).exists()
    assert not default_storage.exists(part["name"])


def test_a_purge_remembers_only_the_team_members_kept_out_of_the_document():
    # given a member kept out of the plan, and a stale entry of someone off the team
    project, users = team_project()
    plan = _document(project, users["owner"])
    _entries(plan, users["owner"], {users["mentor"].username: "none"})
    stranger = UserFactory()
    DocumentAccess.objects.create(resource=plan, user=stranger, level=AccessLevel.NONE)
    # when
    resource_purge(resource=plan, actor=users["owner"])
    # then the removal is hidden from the member only: the stranger read it, as any visitor
    event = ProjectEvent.objects.get(type="resource.removed")
    assert event.payload["hidden_from"] == [users["mentor"].pk]
