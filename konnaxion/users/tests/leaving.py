"""A person with something of every kind, for the leaving and export tests."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from konnaxion.keenkonnect.models import Project, ProjectResource, ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.keenkonnect.tests.stockage import client_for, upload
from konnaxion.kreative.models import CollabChatMessage, Endorsement, KreativeArtwork
from konnaxion.kreative.services.collab_sessions import (
    collab_session_participant_add,
    collab_session_start,
)
from konnaxion.kreative.tests.factories import (
    KreativeArtworkFactory,
    ended_session,
    opportunity_for,
    png_bytes,
    profile_for,
)
from konnaxion.users.models import User
from konnaxion.users.tests.factories import UserFactory


@dataclass
class Belongings:
    person: User
    teammate: User
    project: Project
    document: ProjectResource
    document_bytes: bytes
    artwork: KreativeArtwork
    artwork_bytes: bytes
    message: CollabChatMessage


def document_upload(*, user: User, project: Project, content: bytes, name: str) -> ProjectResource:
    response = upload(client_for(user), project, name, content)
    assert response.status_code == 201, response.content
    return ProjectResource.objects.get(pk=response.json()["id"])


def person_with_belongings() -> Belongings:
    """`person` has a profile and an artwork, uploaded a document to a project a teammate owns,
    wrote in a room, and endorsed the teammate, who endorsed them back."""
    person, teammate = UserFactory(), UserFactory()
    profile_for(user=person, headline="Printmaker")
    artwork_bytes = png_bytes(40, 30, color=(10, 120, 40))
    artwork = KreativeArtworkFactory(
        artist=person, media_file__data=artwork_bytes, media_file__filename="print.png"
    )
    project = project_for(creator=teammate, title="Harbour survey")
    project_member_add(project=project, user=person, role=ProjectTeam.Role.COLLABORATOR)
    document_bytes = pdf_bytes("Harbour plan")
    document = document_upload(
        user=person, project=project, content=document_bytes, name="harbour.pdf"
    )
    room = collab_session_start(
        host=teammate, name="Harbour jam", session_type="music", started_at=timezone.now()
    )
    collab_session_participant_add(session=room, actor=teammate, user=person)
    message = CollabChatMessage.objects.create(session=room, author=person, body="Tide at six")
    session = ended_session(host=teammate, participants=[person])
    now = timezone.now()
    for author, subject in ((person, teammate), (teammate, person)):
        Endorsement.objects.create(
            author=author,
            subject=subject,
            session=session,
            engagement_ended_at=session.ended_at,
            rating=5,
            comment=f"{author.username} on {subject.username}",
            published_at=now,
        )
    opportunity_for(posted_by=person, title="Etching residency")
    return Belongings(
        person=person,
        teammate=teammate,
        project=project,
        document=document,
        document_bytes=document_bytes,
        artwork=artwork,
        artwork_bytes=artwork_bytes,
        message=message,
    )
