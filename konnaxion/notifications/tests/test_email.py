"""Notifications by email, through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import time
from smtplib import SMTPException

import pytest

from konnaxion.keenkonnect.services.team import project_member_add, project_member_remove
from konnaxion.notifications.models import Channel, Kind, Notification
from konnaxion.notifications.services.email import (
    digest_recipient_ids,
    digest_send,
    notification_email_send,
)
from konnaxion.notifications.services.preferences import (
    notification_language_set,
    notification_settings_set,
)
from konnaxion.notifications.services.watching import watch_add
from konnaxion.notifications.tasks import notification_email_send_task
from konnaxion.notifications.tests.conftest import body_of
from konnaxion.notifications.tests.helpers import members_project, notified, upload_version
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _invite(project, user, actor, capture) -> Notification:
    with capture(execute=True):
        project_member_add(project=project, user=user, actor=actor)
    [notice] = notified(user, Kind.PROJECT_INVITED)
    return notice


def test_an_invitation_is_emailed_at_once_in_the_recipients_language(
    mail_server, django_capture_on_commit_callbacks
):
    # given
    project, users, _document = members_project()
    newcomer = UserFactory()
    notification_language_set(user=newcomer, language="fr")
    notice = _invite(project, newcomer, users["owner"], django_capture_on_commit_callbacks)
    # when
    sent = notification_email_send(notification_id=notice.pk)
    # then
    assert sent is True
    [mail] = mail_server.received
    assert mail["To"] == newcomer.email
    owner = users["owner"].name
    # (a long non-ASCII subject is folded into encoded words: compare its words)
    assert (
        mail["Subject"].split()
        == (f"Konnaxion: {owner} vous a ajouté au projet « {project.title} ».").split()
    )
    body = body_of(mail)
    assert f"https://konnaxion.example/projects/{project.slug}/" in body
    assert "https://konnaxion.example/notifications/settings/" in body
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_a_failed_send_is_retried_and_a_retry_after_success_sends_nothing(
    mail_server, django_capture_on_commit_callbacks
):
    # given: the server refuses the first attempt
    project, users, _document = members_project()
    newcomer = UserFactory()
    notice = _invite(project, newcomer, users["owner"], django_capture_on_commit_callbacks)
    mail_server.refuse = 1
    # when
    with pytest.raises(SMTPException):
        notification_email_send(notification_id=notice.pk)
    notice.refresh_from_db()
    assert notice.emailed_at is None
    first = notification_email_send(notification_id=notice.pk)
    again = notification_email_send(notification_id=notice.pk)
    # then
    assert (first, again) == (True, False)
    assert len(mail_server.received) == 1


def test_the_task_retries_until_the_server_accepts(mail_server, django_capture_on_commit_callbacks):
    # given
    project, users, _document = members_project()
    newcomer = UserFactory()
    notice = _invite(project, newcomer, users["owner"], django_capture_on_commit_callbacks)
    mail_server.refuse = 2
    # when: run in this process; Celery runs each retry at once
    result = notification_email_send_task.apply(args=[notice.pk])
    # then
    assert result.get() is True
    assert len(mail_server.received) == 1
    assert notification_email_send_task.apply(args=[notice.pk]).get() is False
    assert len(mail_server.received) == 1


def test_no_email_once_access_is_lost_read_or_turned_off(
    mail_server, django_capture_on_commit_callbacks
):
    # given
    project, users, document = members_project()
    mentor = users["mentor"]
    notification_settings_set(user=mentor, channels={Kind.VERSION_ADDED: Channel.IMMEDIATE})
    watch_add(user=mentor, target=document)
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"], "v2")
    [lost] = notified(mentor)
    # when: the mentor leaves before the task runs
    project_member_remove(project=project, user=mentor, actor=users["owner"])
    # then
    assert notification_email_send(notification_id=lost.pk) is False
    # and a newcomer who turned invitations off, or read it first, gets no mail either
    off, reader = UserFactory(), UserFactory()
    notification_settings_set(user=off, channels={Kind.PROJECT_INVITED: Channel.OFF})
    to_off = _invite(project, off, users["owner"], django_capture_on_commit_callbacks)
    to_reader = _invite(project, reader, users["owner"], django_capture_on_commit_callbacks)
    Notification.objects.filter(pk=to_reader.pk).update(read_at=to_reader.created_at)
    assert notification_email_send(notification_id=to_off.pk) is False
    assert notification_email_send(notification_id=to_reader.pk) is False
    assert mail_server.received == []


def test_the_digest_groups_a_persons_pending_notifications_by_kind(
    mail_server, django_capture_on_commit_callbacks
):
    # given: the mentor watches the project; the owner gets invitations in the digest too
    project, users, document = members_project()
    mentor = users["mentor"]
    notification_language_set(user=mentor, language="es")
    notification_settings_set(user=mentor, channels={Kind.PROJECT_INVITED: Channel.DIGEST})
    watch_add(user=mentor, target=project)
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"], "v2")
        upload_version(document, users["collaborator"], "v3")
    other = members_project()[0]
    with django_capture_on_commit_callbacks(execute=True):
        project_member_add(project=other, user=mentor, actor=other.creator)
    # when
    assert mentor.pk in digest_recipient_ids()
    held = digest_send(user_id=mentor.pk)
    # then
    assert held == 3
    [mail] = mail_server.received
    assert mail["To"] == mentor.email
    body = body_of(mail)
    assert "Tienes 3 notificaciones nuevas." in body
    versions = body.index("Nueva versión de un documento seguido (2)")
    invitations = body.index("Invitación a un proyecto (1)")
    assert invitations < versions  # grouped by kind, in the order of kinds
    assert body.count("- ") >= 3
    assert f"https://konnaxion.example/projects/{project.slug}/blueprints/{document.pk}/" in body
    # and a second run sends nothing
    assert digest_send(user_id=mentor.pk) == 0
    assert len(mail_server.received) == 1


def test_the_digest_leaves_out_immediate_kinds_and_what_the_person_no_longer_sees(
    mail_server, django_capture_on_commit_callbacks
):
    # given
    project, users, document = members_project()
    mentor = users["mentor"]
    watch_add(user=mentor, target=document)
    with django_capture_on_commit_callbacks(execute=True):
        upload_version(document, users["owner"], "v2")
    newcomer = UserFactory()
    _invite(project, newcomer, users["owner"], django_capture_on_commit_callbacks)
    # when: the mentor left; the newcomer's invitation is an immediate kind
    project_member_remove(project=project, user=mentor, actor=users["owner"])
    # then
    assert digest_send(user_id=mentor.pk) == 0
    assert digest_send(user_id=newcomer.pk) == 0
    assert mail_server.received == []


@pytest.mark.worker
def test_the_tasks_send_through_a_real_worker(mail_worker):
    from konnaxion.notifications.tasks import notification_digest_send_task

    # given: a new version for the mentor (in the digest)
    project, users, document = members_project()
    mentor = users["mentor"]
    watch_add(user=mentor, target=document)
    upload_version(document, users["owner"], "v2")  # committed: delivered at once
    # when a newcomer is invited (a kind emailed at once: queued when the invitation commits)
    newcomer = UserFactory()
    project_member_add(project=project, user=newcomer, actor=users["owner"])
    [invitation] = notified(newcomer)
    # then the worker mails it; running the task again sends nothing more
    deadline = time.monotonic() + 60
    while not any(mail["To"] == newcomer.email for mail in mail_worker.received):
        assert time.monotonic() < deadline, "the invitation was never mailed"
        time.sleep(0.1)
    assert notification_email_send_task.delay(invitation.pk).get(timeout=60) is False
    # and the digest task mails the mentor's new version
    assert notification_digest_send_task.delay(mentor.pk).get(timeout=60) == 1
    assert sorted(mail["To"] for mail in mail_worker.received) == sorted(
        [newcomer.email, mentor.email]
    )
