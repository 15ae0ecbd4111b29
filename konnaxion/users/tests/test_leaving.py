"""Leaving: what deactivation and deletion do to each kind of thing a person has."""

import pytest
from django.core.files.storage import default_storage
from rest_framework.authtoken.models import Token

from konnaxion.core.errors import Conflict, NotFound
from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import DocumentVersion, Project, ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.kreative import selectors as kreative_selectors
from konnaxion.kreative.models import (
    CollabSession,
    CollabSessionParticipant,
    Endorsement,
    Follow,
    KreativeArtwork,
    Opportunity,
    ProfessionalProfile,
)
from konnaxion.kreative.services.professional_profile import follow_create
from konnaxion.kreative.tests.factories import profile_for
from konnaxion.notifications.models import Kind, Notification, Watch
from konnaxion.notifications.services.delivery import notify
from konnaxion.notifications.services.watching import watch_add
from konnaxion.notifications.texts import actor_name
from konnaxion.users.models import User
from konnaxion.users.services import account_delete, user_deactivate
from konnaxion.users.tests.factories import UserFactory, token_for
from konnaxion.users.tests.leaving import document_upload, person_with_belongings

pytestmark = pytest.mark.django_db


def _deleted(person, django_capture_on_commit_callbacks) -> User:
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=person)
    return User.objects.get(pk=person.pk)


def test_deactivation_hides_the_profile_and_deletes_nothing():
    # given
    b = person_with_belongings()
    token_for(b.person)
    # when
    user_deactivate(user=b.person)
    # then: the profile is hidden from others, everything else is still there
    with pytest.raises(NotFound):
        kreative_selectors.profile_get_visible(user=b.teammate, username=b.person.username)
    assert KreativeArtwork.objects.filter(pk=b.artwork.pk).exists()
    assert Endorsement.objects.filter(author=b.person).exists()
    assert ProjectTeam.objects.filter(project=b.project, user=b.person).exists()
    assert Opportunity.objects.filter(posted_by=b.person).exists()
    person = User.objects.get(pk=b.person.pk)
    assert person.username == b.person.username and person.deleted_at is None


def test_deletion_erases_who_the_person_was(django_capture_on_commit_callbacks):
    # given
    person = UserFactory(username="ada", email="ada@example.org", name="Ada L.")
    token_for(person)
    # when
    deleted = _deleted(person, django_capture_on_commit_callbacks)
    # then
    assert deleted.is_former_member and not deleted.is_active
    assert (deleted.username, deleted.email, deleted.name) == (f"former-member-{person.pk}", "", "")
    assert not deleted.has_usable_password()
    assert not Token.objects.filter(user=deleted).exists()
    assert not User.objects.filter(username="ada").exists()


def test_documents_they_uploaded_stay_with_the_team_as_a_former_members(
    django_capture_on_commit_callbacks,
):
    # given
    b = person_with_belongings()
    # when
    deleted = _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    version = DocumentVersion.objects.get(resource=b.document)
    assert version.uploaded_by == deleted and deleted.is_former_member
    assert Blob.objects.filter(pk=version.blob_id).exists()
    assert not ProjectTeam.objects.filter(user=deleted).exists()


def test_artworks_and_the_portfolio_go_with_their_files(django_capture_on_commit_callbacks):
    # given
    b = person_with_belongings()
    blob = Blob.objects.get(pk=b.artwork.media_id)
    assert default_storage.exists(blob.storage_name)
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    assert not KreativeArtwork.objects.filter(pk=b.artwork.pk).exists()
    assert not Blob.objects.filter(pk=blob.pk).exists()
    assert not default_storage.exists(blob.storage_name)
    assert not ProfessionalProfile.objects.filter(user_id=b.person.pk).exists()


def test_a_file_someone_else_also_stored_is_kept(django_capture_on_commit_callbacks):
    # given: the teammate uploaded the very bytes of the person's artwork as a document
    b = person_with_belongings()
    document_upload(
        user=b.teammate, project=b.project, content=b.artwork_bytes, name="same-print.png"
    )
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    assert Blob.objects.filter(pk=b.artwork.media_id).exists()


def test_chat_messages_stay_signed_by_a_former_member(django_capture_on_commit_callbacks):
    # given
    b = person_with_belongings()
    # when
    deleted = _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    b.message.refresh_from_db()
    assert b.message.author == deleted and b.message.body == "Tide at six"


def test_endorsements_written_and_received_are_removed(django_capture_on_commit_callbacks):
    # given
    b = person_with_belongings()
    assert Endorsement.objects.filter(author=b.person).count() == 1
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    assert not Endorsement.objects.filter(author_id=b.person.pk).exists()
    assert not Endorsement.objects.filter(subject_id=b.person.pk).exists()


def test_opportunities_are_closed_and_removed(django_capture_on_commit_callbacks):
    # given
    b = person_with_belongings()
    assert Opportunity.objects.get(posted_by=b.person).status == "open"
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    assert not Opportunity.objects.filter(posted_by_id=b.person.pk).exists()


def test_room_places_end_and_rooms_they_host_end(django_capture_on_commit_callbacks):
    # given: a room the person hosts, with the teammate in it, and a room they are in
    from konnaxion.kreative.services.collab_sessions import (
        collab_session_participant_add,
        collab_session_start,
    )

    b = person_with_belongings()
    profile_for(user=b.teammate)
    hosted = collab_session_start(host=b.person, name="Mine", session_type="painting")
    collab_session_participant_add(session=hosted, actor=b.person, user=b.teammate)
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    assert not CollabSessionParticipant.objects.filter(user_id=b.person.pk).exists()
    assert CollabSession.objects.get(pk=hosted.pk).ended_at is not None
    assert CollabSession.objects.get(pk=b.message.session_id).ended_at is None


def test_notifications_watches_and_follows_are_removed(django_capture_on_commit_callbacks):
    # given
    b = person_with_belongings()
    profile_for(user=b.teammate)
    follow_create(follower=b.person, followee=b.teammate)
    follow_create(follower=b.teammate, followee=b.person)
    watch_add(user=b.person, target=b.document)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=Kind.COMMENT_ADDED,
            recipients=[b.person],
            actor=b.teammate,
            target=b.document,
            params={"document": "Harbour"},
        )
    assert Notification.objects.filter(recipient=b.person).count() == 1
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    assert not Notification.objects.filter(recipient_id=b.person.pk).exists()
    assert not Watch.objects.filter(user_id=b.person.pk).exists()
    assert not Follow.objects.filter(follower_id=b.person.pk).exists()
    assert not Follow.objects.filter(followee_id=b.person.pk).exists()


def test_a_former_member_is_named_so_in_what_others_were_told(django_capture_on_commit_callbacks):
    # given: the teammate was told of something the person did
    b = person_with_belongings()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            kind=Kind.COMMENT_ADDED,
            recipients=[b.teammate],
            actor=b.person,
            target=b.document,
            params={"document": "Harbour"},
        )
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    told = Notification.objects.get(recipient=b.teammate)
    assert actor_name(told) == "A former member"


def test_deletion_is_refused_while_they_are_the_only_owner_of_a_team(
    django_capture_on_commit_callbacks,
):
    # given: the person alone owns a project with a collaborator
    b = person_with_belongings()
    owned = project_for(creator=b.person, title="Lighthouse")
    project_member_add(project=owned, user=b.teammate, role=ProjectTeam.Role.COLLABORATOR)
    # when
    with pytest.raises(Conflict) as refused:
        _deleted(b.person, django_capture_on_commit_callbacks)
    # then: the projects are named and nothing happened
    assert refused.value.code == "account_deletion_blocked"
    assert refused.value.details["blockers"][0]["items"] == ["Lighthouse"]
    person = User.objects.get(pk=b.person.pk)
    assert person.is_active and person.deleted_at is None
    assert KreativeArtwork.objects.filter(pk=b.artwork.pk).exists()


def test_a_second_owner_lifts_the_refusal(django_capture_on_commit_callbacks):
    # given
    b = person_with_belongings()
    owned = project_for(creator=b.person, title="Lighthouse")
    project_member_add(project=owned, user=b.teammate, role=ProjectTeam.Role.OWNER)
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then: the project stays with its other owner
    assert list(ProjectTeam.objects.filter(project=owned).values_list("user", flat=True)) == [
        b.teammate.pk
    ]


def test_a_project_they_are_alone_in_is_deleted_with_its_files(
    django_capture_on_commit_callbacks,
):
    # given
    b = person_with_belongings()
    alone = project_for(creator=b.person, title="Notebook")
    document = document_upload(user=b.person, project=alone, content=pdf_bytes("n"), name="n.pdf")
    blob_id = DocumentVersion.objects.get(resource=document).blob_id
    # when
    _deleted(b.person, django_capture_on_commit_callbacks)
    # then
    assert not Project.objects.filter(pk=alone.pk).exists()
    assert not Blob.objects.filter(pk=blob_id).exists()
    assert Project.objects.filter(pk=b.project.pk).exists()
