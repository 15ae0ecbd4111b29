"""The producers of Stockage: a broken lock, comments and mentions, a share link's first use and
files received by upload link. Who is told, who is not (the actor, whoever may not read the
document at delivery), and what reaches the mail server."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services import sharing, upload_links
from konnaxion.keenkonnect.services.document_checkout import checkout_acquire, checkout_break
from konnaxion.keenkonnect.services.document_comments import comment_create, comment_update
from konnaxion.keenkonnect.services.granular_permissions import access_entries_replace
from konnaxion.keenkonnect.services.team import project_member_add, project_member_remove
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, png_bytes
from konnaxion.keenkonnect.tests.sharing import shared_world
from konnaxion.notifications.models import Channel, Kind, Notification, Watch
from konnaxion.notifications.selectors import channels_for
from konnaxion.notifications.services.email import notification_email_send
from konnaxion.notifications.services.preferences import notification_settings_set
from konnaxion.notifications.services.watching import watch_add
from konnaxion.notifications.tests.conftest import body_of
from konnaxion.notifications.tests.helpers import members_project, notified
from konnaxion.notifications.texts import notification_text
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _visible(document, user):
    return resource_get_visible(user=user, project=document.project, resource_id=document.pk)


def _page(document) -> str:
    return f"/projects/{document.project.slug}/blueprints/{document.pk}/"


def _comment(document, user, body: str, **fields):
    return comment_create(resource=_visible(document, user), actor=user, body=body, **fields)


def _level_none(document, owner, user) -> None:
    access_entries_replace(
        resource=_visible(document, owner),
        entries=[{"user": user.username, "level": "none"}],
        actor=owner,
    )


def _email_all() -> list[str]:
    """Mail every stored notification as the task would; returns the addresses mailed."""
    return [
        Notification.objects.get(pk=pk).recipient.email
        for pk in Notification.objects.order_by("pk").values_list("pk", flat=True)
        if notification_email_send(notification_id=pk)
    ]


# Lock broken


def test_the_holder_of_a_broken_lock_is_told_who_broke_it_and_mailed_at_once(
    mail_server, django_capture_on_commit_callbacks
):
    # given: the collaborator holds the lock, the mentor watches the document
    _project, users, document = members_project()
    holder, owner = users["collaborator"], users["owner"]
    watch_add(user=users["mentor"], target=document)
    checkout_acquire(resource=_visible(document, holder), actor=holder)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        checkout_break(resource=_visible(document, owner), actor=owner)
    # then
    [notice] = notified(holder)
    assert notice.kind == Kind.LOCK_BROKEN and notice.actor == owner
    assert notice.params == {"document": "Plan"} and notice.url == _page(document)
    assert notification_text(notice) == f"{owner.name} broke your lock on “Plan”."
    assert notified(owner) == [] and notified(users["mentor"]) == []
    assert channels_for(users=[holder], kind=Kind.LOCK_BROKEN)[holder.pk] == Channel.IMMEDIATE
    assert _email_all() == [holder.email]
    [mail] = mail_server.received
    assert f"https://konnaxion.example{_page(document)}" in body_of(mail)


def test_a_holder_who_leaves_the_team_in_the_same_transaction_is_not_told(
    mail_server, django_capture_on_commit_callbacks
):
    # given
    project, users, document = members_project()
    holder, owner = users["collaborator"], users["owner"]
    checkout_acquire(resource=_visible(document, holder), actor=holder)
    # when
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        checkout_break(resource=_visible(document, owner), actor=owner)
        project_member_remove(project=project, user=holder, actor=owner)
    # then
    assert Notification.objects.count() == 0
    assert _email_all() == [] and mail_server.received == []


# Comments


def test_watchers_hear_of_a_comment_and_the_commenter_watches_from_then_on(
    django_capture_on_commit_callbacks,
):
    # given: the owner watches the document (as its uploader), the mentor the project
    project, users, document = members_project()
    owner, collaborator, mentor = users["owner"], users["collaborator"], users["mentor"]
    watch_add(user=mentor, target=project)
    assert not Watch.objects.filter(user=collaborator).exists()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        written = _comment(document, collaborator, "Is the beam too thin?")
    # then
    for watcher in (owner, mentor):
        [notice] = notified(watcher)
        assert notice.kind == Kind.COMMENT_ADDED and notice.actor == collaborator
        assert notice.params == {"document": "Plan"}
        assert notice.url == f"{_page(document)}#comment-{written.comment.pk}"
    assert notified(collaborator) == []
    assert Watch.objects.filter(user=collaborator, target_id=document.pk).exists()
    # when the owner replies, the commenter (now a watcher) hears of it
    with django_capture_on_commit_callbacks(execute=True):
        reply = _comment(document, owner, "No.", parent_id=written.comment.pk)
    [answer] = notified(collaborator)
    assert answer.kind == Kind.COMMENT_ADDED and answer.actor == owner
    assert answer.url.endswith(f"#comment-{reply.comment.pk}")
    assert len(notified(owner)) == 1  # not told of their own reply
    assert len(notified(mentor)) == 2


def test_watchers_who_lost_the_document_hear_nothing_nor_get_mail(
    mail_server, django_capture_on_commit_callbacks
):
    # given: the mentor watches the document but their entry became `none`; a second mentor
    # watched the project and was removed from the team (members-only project)
    project, users, document = members_project()
    owner, mentor = users["owner"], users["mentor"]
    removed = UserFactory()
    project_member_add(project=project, user=removed, role=ProjectTeam.Role.MENTOR)
    watch_add(user=mentor, target=document)
    watch_add(user=removed, target=project)
    for user in (owner, mentor, removed):
        _mail_comments_at_once(user)
    _level_none(document, owner, mentor)
    project_member_remove(project=project, user=removed, actor=owner)
    Notification.objects.all().delete()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _comment(document, users["collaborator"], f"@{mentor.username} @{removed.username} see")
    # then: only the owner (uploader, watching) is told
    assert notified(mentor) == [] and notified(removed) == []
    assert [n.recipient for n in Notification.objects.all()] == [owner]
    assert _email_all() == [owner.email]
    assert [mail["To"] for mail in mail_server.received] == [owner.email]


def _mail_comments_at_once(user) -> None:
    notification_settings_set(
        user=user,
        channels={Kind.COMMENT_ADDED: Channel.IMMEDIATE, Kind.MENTIONED: Channel.IMMEDIATE},
    )


def test_someone_mentioned_in_a_comment_is_told_of_the_mention_only(
    mail_server, django_capture_on_commit_callbacks
):
    # given: the owner watches the document, so would hear of the comment too
    project, users, document = members_project()
    owner, collaborator, mentor = users["owner"], users["collaborator"], users["mentor"]
    outsider = UserFactory()
    watch_add(user=mentor, target=project)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        written = _comment(
            document, collaborator, f"@{owner.username} and @{outsider.username}, page 1?"
        )
    # then
    [notice] = notified(owner)
    assert notice.kind == Kind.MENTIONED and notice.actor == collaborator
    assert notice.params == {"title": "Plan"}
    assert notice.url == f"{_page(document)}#comment-{written.comment.pk}"
    assert notification_text(notice) == f"{collaborator.name} mentioned you in “Plan”."
    assert [n.kind for n in notified(mentor)] == [Kind.COMMENT_ADDED]
    assert notified(outsider) == [] and notified(collaborator) == []
    # a mention is mailed at once by default, a comment goes to the digest
    assert channels_for(users=[owner], kind=Kind.MENTIONED)[owner.pk] == Channel.IMMEDIATE
    assert _email_all() == [owner.email]
    with translation.override("fr"):
        assert notification_text(notice) == f"{collaborator.name} vous a mentionné dans « Plan »."


def test_an_edit_tells_only_the_people_it_newly_mentions(django_capture_on_commit_callbacks):
    # given
    _project, users, document = members_project()
    owner, collaborator, mentor = users["owner"], users["collaborator"], users["mentor"]
    with django_capture_on_commit_callbacks(execute=True):
        written = _comment(document, collaborator, f"@{owner.username} look")
    assert [n.kind for n in notified(owner)] == [Kind.MENTIONED]

    def edit(body: str) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            comment_update(
                resource=_visible(document, collaborator),
                comment_id=written.comment.pk,
                actor=collaborator,
                body=body,
            )

    # when: the edit adds the mentor
    edit(f"@{owner.username} @{mentor.username} look")
    # then
    [mention] = notified(mentor)
    assert mention.kind == Kind.MENTIONED
    assert mention.url.endswith(f"#comment-{written.comment.pk}")
    assert len(notified(owner)) == 1
    # when the same text is saved again, or someone named already is kept, nobody is told
    edit(f"@{owner.username} @{mentor.username} look again")
    assert len(notified(mentor)) == 1 and len(notified(owner)) == 1
    assert notified(collaborator) == []


# Share links


def test_the_creator_of_a_share_link_hears_of_its_first_use_once(
    django_capture_on_commit_callbacks,
):
    # given
    _project, users, document = shared_world()
    owner = users["owner"]
    made = sharing.share_link_create(resource=document, actor=owner)
    # when: two views and a download
    with django_capture_on_commit_callbacks(execute=True):
        first = sharing.share_link_view(token=made.token, unlocked=False)
    with django_capture_on_commit_callbacks(execute=True):
        second = sharing.share_link_view(token=made.token, unlocked=False)
        sharing.share_link_download(token=made.token, unlocked=False)
    # then
    assert (first.first_use, second.first_use) == (True, False)
    [notice] = Notification.objects.all()
    assert notice.recipient == owner and notice.kind == Kind.SHARE_LINK_USED
    assert notice.actor is None and notice.params == {"document": "Bridge plan"}
    assert notice.url == _page(document)
    assert notification_text(notice) == (
        "Your share link to “Bridge plan” was opened for the first time."
    )


def test_a_download_first_counts_as_the_first_use(django_capture_on_commit_callbacks):
    # given
    _project, users, document = shared_world()
    made = sharing.share_link_create(resource=document, actor=users["owner"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sharing.share_link_download(token=made.token, unlocked=False)
        sharing.share_link_view(token=made.token, unlocked=False)
    # then
    assert [n.kind for n in notified(users["owner"])] == [Kind.SHARE_LINK_USED]
    assert Notification.objects.count() == 1


# Upload links


def test_each_file_received_by_link_tells_its_creator_and_the_projects_watchers(
    django_capture_on_commit_callbacks,
):
    # given: the mentor watches the project, the collaborator a document
    project, users, document = shared_world()
    owner, mentor, collaborator = users["owner"], users["mentor"], users["collaborator"]
    watch_add(user=mentor, target=project)
    watch_add(user=collaborator, target=document)
    made = upload_links.upload_link_create(project=project, actor=owner, label="Suppliers")
    # when: two files
    received = []
    for name, content in (("drawing.png", png_bytes()), ("quote.pdf", pdf_bytes("Quote"))):
        with django_capture_on_commit_callbacks(execute=True):
            received.append(
                upload_links.upload_link_receive(
                    token=made.token, upload=incoming_file(content, name=name), unlocked=False
                ).resource
            )
    # then: the creator is told of each file
    told = notified(owner, Kind.UPLOAD_LINK_RECEIVED)
    assert [n.params for n in told] == [
        {"link": "Suppliers", "file": "drawing.png"},
        {"link": "Suppliers", "file": "quote.pdf"},
    ]
    assert [n.url for n in told] == [_page(resource) for resource in received]
    assert all(n.actor is None for n in told)
    sentence = "Your upload link “Suppliers” received a file: drawing.png."
    assert notification_text(told[0]) == sentence
    # and the project's watchers too, without the link's label
    watched = notified(mentor)
    assert [n.kind for n in watched] == [Kind.UPLOAD_LINK_RECEIVED] * 2
    assert watched[1].params == {"project": "Secret Atlas", "file": "quote.pdf"}
    text = notification_text(watched[1])
    assert text == "A file was received by link in “Secret Atlas”: quote.pdf."
    assert "Suppliers" not in text
    with translation.override("ar"):
        assert "Secret Atlas" in notification_text(watched[1])
    assert notified(collaborator) == []


def test_a_project_watcher_removed_from_the_team_hears_of_no_received_file(
    django_capture_on_commit_callbacks,
):
    # given
    project, users, _document = shared_world()
    owner, mentor = users["owner"], users["mentor"]
    watch_add(user=mentor, target=project)
    made = upload_links.upload_link_create(project=project, actor=owner, label="Inbox")
    project_member_remove(project=project, user=mentor, actor=owner)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        upload_links.upload_link_receive(
            token=made.token, upload=incoming_file(png_bytes(), name="a.png"), unlocked=False
        )
    # then
    assert notified(mentor) == []
    assert [n.kind for n in notified(owner)] == [Kind.UPLOAD_LINK_RECEIVED]
