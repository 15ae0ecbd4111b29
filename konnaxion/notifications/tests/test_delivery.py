"""notify(): who is told, checked at delivery; watching; the producers of Stockage and rooms."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.keenkonnect.models import AccessLevel
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.team import project_member_add, project_member_remove
from konnaxion.kreative.services.collaboration_workspace import (
    workspace_create,
    workspace_invite,
)
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.notifications.models import Kind, Notification, Watch
from konnaxion.notifications.selectors import (
    notifications_unread_count,
    notifications_visible_to,
)
from konnaxion.notifications.services.delivery import notify
from konnaxion.notifications.services.watching import (
    watch_add,
    watch_remove,
    watch_target_get,
)
from konnaxion.notifications.tests.helpers import members_project, notified, upload_version
from konnaxion.notifications.texts import notification_text
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_watchers_of_the_document_hear_of_a_new_version_but_never_the_uploader(
    django_capture_on_commit_callbacks,
):
    # given: the owner uploaded version 1, so watches the document
    project, users, document = members_project()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["collaborator"])
    # then
    [notice] = notified(users["owner"])
    assert notice.kind == Kind.VERSION_ADDED
    assert notice.actor == users["collaborator"]
    assert notice.target_id == document.pk
    assert notice.params == {"document": "Plan", "version": 2}
    assert notice.url == f"/projects/{project.slug}/blueprints/{document.pk}/"
    assert notified(users["collaborator"]) == []
    assert notified(users["mentor"]) == []
    # and the uploader watches the document from now on
    assert Watch.objects.filter(user=users["collaborator"], target_id=document.pk).exists()


def test_watching_a_project_covers_its_documents(django_capture_on_commit_callbacks):
    # given
    project, users, document = members_project()
    watch_add(user=users["mentor"], target=project)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"])
    # then
    assert [n.kind for n in notified(users["mentor"])] == [Kind.VERSION_ADDED]


def test_unwatching_stops_the_notifications(django_capture_on_commit_callbacks):
    # given
    _project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    watch_add(user=users["mentor"], target=document)  # idempotent
    assert Watch.objects.filter(user=users["mentor"]).count() == 1
    # when
    assert watch_remove(user=users["mentor"], target=document) is True
    assert watch_remove(user=users["mentor"], target=document) is False
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"])
    # then
    assert notified(users["mentor"]) == []


def test_a_recipient_who_lost_access_before_the_commit_is_not_notified(
    django_capture_on_commit_callbacks,
):
    # given
    project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    # when: in one transaction, a version is added and the mentor leaves the team
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        upload_version(document, users["owner"])
        project_member_remove(project=project, user=users["mentor"], actor=users["owner"])
    # then
    assert notified(users["mentor"]) == []


def test_old_notifications_are_hidden_once_access_is_lost(django_capture_on_commit_callbacks):
    # given
    project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"])
    assert notifications_unread_count(user=users["mentor"]) == 1
    # when
    project_member_remove(project=project, user=users["mentor"], actor=users["owner"])
    # then: kept, but no longer shown
    assert len(notified(users["mentor"])) == 1
    assert list(notifications_visible_to(user=users["mentor"])) == []
    assert notifications_unread_count(user=users["mentor"]) == 0


@pytest.mark.parametrize("direction", ["actor blocks", "recipient blocks"])
def test_blocked_people_never_notify_each_other(direction, django_capture_on_commit_callbacks):
    # given
    _project, users, document = members_project()
    watch_add(user=users["mentor"], target=document)
    actor, recipient = users["owner"], users["mentor"]
    if direction == "actor blocks":
        block_create(blocker=actor, blocked=recipient)
    else:
        block_create(blocker=recipient, blocked=actor)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, actor)
    # then
    assert notified(recipient) == []


def test_a_rolled_back_transaction_notifies_nobody(django_capture_on_commit_callbacks):
    # given
    _project, users, document = members_project()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                upload_version(document, users["collaborator"])
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    # then
    assert Notification.objects.count() == 0


def test_a_target_without_a_visibility_rule_is_refused_at_the_call():
    owner, other = UserFactory(), UserFactory()
    with pytest.raises(LookupError):
        notify(kind=Kind.MENTIONED, recipients=[other], actor=owner, target=Watch(pk=1))
    _project, _users, document = members_project()
    with pytest.raises(ValueError):
        notify(kind="unknown", recipients=[other], actor=owner, target=document)
    with pytest.raises(TypeError):
        notify(
            kind=Kind.MENTIONED,
            recipients=[other],
            actor=owner,
            target=document,
            params={"x": ["list"]},
        )


def test_adding_someone_to_a_team_invites_them(django_capture_on_commit_callbacks):
    # given
    project, users, _document = members_project()
    newcomer = UserFactory()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        project_member_add(project=project, user=newcomer, actor=users["owner"])
    # then
    [notice] = notified(newcomer)
    assert (notice.kind, notice.target_id, notice.actor) == (
        Kind.PROJECT_INVITED,
        project.pk,
        users["owner"],
    )
    assert notice.url == f"/projects/{project.slug}/"
    with translation.override("en"):
        assert notification_text(notice) == (
            f"{users['owner'].name} added you to the project “{project.title}”."
        )


def test_a_changed_entry_tells_its_member_unless_it_hides_the_document(
    django_capture_on_commit_callbacks,
):
    # given
    project, users, document = members_project()
    owner = users["owner"]
    visible = resource_get_visible(user=owner, project=project, resource_id=document.pk)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        access_entries_replace(
            resource=visible,
            entries=[
                {"user": users["mentor"].username, "level": "write"},
                {"user": users["collaborator"].username, "level": "none"},
            ],
            actor=owner,
        )
    # then
    [notice] = notified(users["mentor"])
    assert notice.kind == Kind.PERMISSION_CHANGED
    assert notice.params == {"document": "Plan", "level": "write"}
    assert notified(users["collaborator"]) == []
    # when the same entries are saved again, nothing changed: nobody is told
    visible = resource_get_visible(user=owner, project=project, resource_id=document.pk)
    with django_capture_on_commit_callbacks(execute=True):
        access_entries_replace(
            resource=visible,
            entries=[{"user": users["mentor"].username, "level": "write"}],
            actor=owner,
        )
    assert len(notified(users["mentor"])) == 1
    assert visible.my_level == AccessLevel.ADMIN


def test_people_invited_to_a_room_are_told_once(django_capture_on_commit_callbacks):
    # given
    host, ana, ben = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        session = workspace_create(
            host=host, name="Mural", session_type="painting", participants=[ana.username]
        )
    # when: ana again (already in) and ben
    with django_capture_on_commit_callbacks(execute=True):
        workspace_invite(session=session, actor=host, participants=[ana.username, ben.username])
    # then
    for person in (ana, ben):
        [notice] = notified(person)
        assert (notice.kind, notice.target_id, notice.params) == (
            Kind.ROOM_INVITED,
            session.pk,
            {"room": "Mural"},
        )
        assert notice.url == f"/connect/workspaces/{session.pk}/"
    assert notified(host) == []


def test_only_what_one_sees_can_be_watched():
    # given
    project, users, document = members_project()
    outsider = UserFactory()
    # then
    assert watch_target_get(user=users["mentor"], name="document", target_id=document.pk)
    assert watch_target_get(user=users["mentor"], name="project", target_id=project.pk)
    with pytest.raises(NotFound):
        watch_target_get(user=outsider, name="document", target_id=document.pk)
    with pytest.raises(NotFound):
        watch_target_get(user=outsider, name="project", target_id=project.pk)
    with pytest.raises(ValidationFailed):
        watch_target_get(user=outsider, name="user", target_id=outsider.pk)
