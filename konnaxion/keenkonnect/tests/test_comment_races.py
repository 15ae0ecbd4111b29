"""Comment writes running at once: every write takes the project's lock first, so a reply never
lands in a thread deleted meanwhile and a member removed meanwhile writes nothing."""

from __future__ import annotations

import pytest

from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.models import AccessLevel, DocumentComment
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services import document_comments
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.stockage import team_project
from konnaxion.keenkonnect.tests.test_lock_order import _run_together

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6


def _as(user, resource):
    return resource_get_visible(user=user, project=resource.project, resource_id=resource.pk)


def test_a_reply_racing_the_deletion_of_a_placeholders_last_reply_is_kept_or_refused():
    project, users = team_project()
    owner, mentor = users["owner"], users["mentor"]
    plan = resource_create(project=project, upload=incoming_file(pdf_bytes("P")), actor=owner)
    for _ in range(ROUNDS):
        # given a deleted thread kept as a placeholder by its one reply
        thread = document_comments.comment_create(
            resource=_as(owner, plan), actor=owner, body="Q"
        ).comment
        last = document_comments.comment_create(
            resource=_as(mentor, plan), actor=mentor, body="A", parent_id=thread.pk
        ).comment
        document_comments.comment_delete(
            resource=_as(owner, plan), comment_id=thread.pk, actor=owner
        )
        replies: list[DocumentComment] = []

        def delete_last(last_id: int = last.pk) -> None:
            document_comments.comment_delete(
                resource=_as(mentor, plan), comment_id=last_id, actor=mentor
            )

        def reply(thread_id: int = thread.pk, replies: list = replies) -> None:
            written = document_comments.comment_create(
                resource=_as(owner, plan), actor=owner, body="Late", parent_id=thread_id
            )
            replies.append(written.comment)

        # when both run at once
        errors = _run_together(delete_last, reply)
        # then either the reply came first and both it and its thread remain, or it found the
        # thread gone (404); never a reply accepted and then lost
        assert all(isinstance(error, NotFound) for error in errors), errors
        if replies:
            assert DocumentComment.objects.filter(pk=replies[0].pk, parent=thread).exists()
            assert DocumentComment.objects.get(pk=thread.pk).deleted_at is not None
        else:
            assert not DocumentComment.objects.filter(pk=thread.pk).exists()
        DocumentComment.objects.all().delete()


def test_a_member_removed_while_commenting_writes_nothing_after_the_removal():
    project, users = team_project(visibility="members")
    owner, collaborator = users["owner"], users["collaborator"]
    plan = resource_create(project=project, upload=incoming_file(pdf_bytes("P")), actor=owner)
    seen = _as(collaborator, plan)
    assert seen.my_level == AccessLevel.WRITE
    written: list[DocumentComment] = []

    def comment() -> None:
        written.append(
            document_comments.comment_create(resource=seen, actor=collaborator, body="Hi").comment
        )

    def remove() -> None:
        project_member_remove(project=project, user=collaborator, actor=owner)

    # when both run at once
    errors = _run_together(comment, remove)
    # then the comment was made before the removal, or refused as for a stranger
    assert all(isinstance(error, NotFound) for error in errors), errors
    assert len(written) + len(errors) == 1
    assert DocumentComment.objects.count() == len(written)
