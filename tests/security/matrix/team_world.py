"""One shared world for the API fuzzing and the web pages' matrix: a team on two projects.

`team-owner` owns a public project and a members-only one, with `team-collaborator` and
`team-mentor` on both teams; `team-outsider` is signed in and on no team; `team-staff` is staff.
Each project holds two documents with two versions each and a trashed one; the members-only one
also a document the mentor's entry hides (`none`). The owner hosts an active room with the
collaborator in it, has a public profile (the collaborator's is members-only, the mentor's
hidden) and an opportunity with an attachment. After an ended session of the three, the owner
and the collaborator endorsed each other (so both endorsements are published); the mentor has
not endorsed anyone yet.

Built once per test module inside a transaction that is rolled back at the end
(`team_world_fixture`); each test runs in its own savepoint, so what a test changes is undone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, Project, ProjectTeam
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.resumable_uploads import upload_session_create
from konnaxion.keenkonnect.services.secure_document_storage import resource_create, resource_trash
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import (
    ProjectMessageFactory,
    ProjectTaskFactory,
    project_for,
)
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, png_bytes
from konnaxion.users.models import AccountExport
from konnaxion.users.tests.factories import UserFactory, token_for

# The callers, signed in as these users (anonymous is no one).
USERNAMES = {
    "outsider": "team-outsider",
    "mentor": "team-mentor",
    "collaborator": "team-collaborator",
    "owner": "team-owner",
    "staff": "team-staff",
}
CALLERS = ("anonymous", *USERNAMES)


@dataclass
class TeamWorld:
    users: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    public_project: Project | None = None
    members_project: Project | None = None
    documents: dict[str, Any] = field(default_factory=dict)
    # A thread by the owner on each project's plan: public first, then members-only.
    comments: list[Any] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"the team world has no {name!r}")

    def values_of(self, collection: str, *, within: object = None) -> list:
        """The world's path values for a collection of the API (`projects` -> slugs,
        `resources` -> document ids, `team` -> usernames, ...); empty when it has none.

        `within` is the value of the parent collection in the path (a project's slug): the
        documents, tasks and messages of that project, when it is one of the world's."""
        projects = {self.public_project.slug: "public", self.members_project.slug: "members"}
        if within in projects:
            key = projects[within]
            project = self.public_project if key == "public" else self.members_project
            nested = {
                "resources": [
                    document.pk
                    for name, document in self.documents.items()
                    if name.startswith(f"{key}_")
                ],
                "tasks": [task.pk for task in self.tasks if task.project_id == project.pk],
                "messages": [m.pk for m in self.messages if m.project_id == project.pk],
                "comments": [c.pk for c in self.comments if c.resource.project_id == project.pk],
            }
            if collection in nested:
                return nested[collection]
        usernames = [user.username for user in self.users.values()]
        return {
            "projects": list(projects),
            "resources": [document.pk for document in self.documents.values()],
            "team": usernames,
            "profiles": usernames,
            "follows": usernames,
            "blocks": usernames,
            "suggestions": usernames,
            "workspaces": [self.room.pk, self.ended_session.pk],
            "collab-sessions": [self.room.pk, self.ended_session.pk],
            "opportunities": [self.opportunity.pk],
            "attachments": [self.attachment.pk],
            "endorsements": [self.endorsement.pk, self.endorsement_back.pk],
            "artworks": [self.artwork.pk],
            "galleries": [self.gallery.pk],
            "tasks": [task.pk for task in self.tasks],
            "messages": [message.pk for message in self.messages],
            "uploads": [str(self.upload.pk)],
            "comments": [comment.pk for comment in self.comments],
        }.get(collection, [])


def _document(project, owner, content: bytes, name: str, second: bytes, title: str):
    """A document of `project` with two versions."""
    document = resource_create(
        project=project, upload=incoming_file(content, name=name), actor=owner, title=title
    )
    document.my_level = AccessLevel.ADMIN
    version_create(resource=document, upload=incoming_file(second, name=name), actor=owner)
    return document


def _links(world: TeamWorld) -> None:
    """A share link of each project's plan and an upload link of each project (docs/sharing.md)."""
    from konnaxion.keenkonnect.services.sharing import share_link_create
    from konnaxion.keenkonnect.services.upload_links import upload_link_create

    world.share_links, world.upload_links = {}, {}
    for key in ("public", "members"):
        world.share_links[key] = share_link_create(
            resource=world.documents[f"{key}_plan"], actor=world.users["owner"]
        )
        world.upload_links[key] = upload_link_create(
            project=getattr(world, f"{key}_project"), actor=world.users["owner"], label="Inbox"
        )


def team_world_build() -> TeamWorld:
    from konnaxion.keenkonnect.services.document_comments import comment_create
    from konnaxion.kreative.services.artworks import artwork_create
    from konnaxion.kreative.services.collab_sessions import (
        collab_session_participant_add,
        collab_session_start,
    )
    from konnaxion.kreative.services.collaboration_workspace import workspace_create
    from konnaxion.kreative.services.opportunity_announcement import opportunity_create
    from konnaxion.kreative.services.opportunity_applications import (
        application_create,
        application_submit,
    )
    from konnaxion.kreative.services.opportunity_review import juror_invite, round_create
    from konnaxion.kreative.services.partner_recommendation import endorsement_create
    from konnaxion.kreative.services.professional_profile import profile_update
    from konnaxion.kreative.services.saved_searches import saved_search_create
    from konnaxion.kreative.tests.factories import GalleryFactory
    from konnaxion.kreative.tests.factories import png_bytes as artwork_png

    world = TeamWorld()
    for caller, username in USERNAMES.items():
        world.users[caller] = UserFactory(username=username, is_staff=caller == "staff")
        world.tokens[caller] = token_for(world.users[caller])
    owner, collaborator = world.users["owner"], world.users["collaborator"]

    world.public_project = project_for(
        owner, title="Open Atlas", visibility=Project.Visibility.PUBLIC, links_allowed=True
    )
    world.members_project = project_for(
        owner, title="Closed Vault", visibility=Project.Visibility.MEMBERS, links_allowed=True
    )
    world.tasks, world.messages = [], []
    for project in (world.public_project, world.members_project):
        project_member_add(project=project, user=collaborator, role=ProjectTeam.Role.COLLABORATOR)
        project_member_add(
            project=project, user=world.users["mentor"], role=ProjectTeam.Role.MENTOR
        )
        world.tasks.append(ProjectTaskFactory(project=project, created_by=owner))
        world.messages.append(ProjectMessageFactory(project=project, author=owner))
    for key, project in (("public", world.public_project), ("members", world.members_project)):
        world.documents[f"{key}_plan"] = _document(
            project, owner, pdf_bytes("v1"), "plan.pdf", pdf_bytes("v2"), "Plan"
        )
        world.documents[f"{key}_drawing"] = _document(
            project, owner, png_bytes((32, 24)), "site.png", png_bytes((48, 24)), "Site"
        )
    for key in ("public", "members"):
        plan = world.documents[f"{key}_plan"]
        plan.my_level = AccessLevel.ADMIN
        world.comments.append(comment_create(resource=plan, actor=owner, body="Flange").comment)
    for key, project in (("public", world.public_project), ("members", world.members_project)):
        trashed = world.documents[f"{key}_trashed"] = resource_create(
            project=project, upload=incoming_file(pdf_bytes("old")), actor=owner, title="Old"
        )
        trashed.my_level = AccessLevel.ADMIN
        resource_trash(resource=trashed, actor=owner)
    restricted = world.documents["members_restricted"] = resource_create(
        project=world.members_project,
        upload=incoming_file(pdf_bytes("secret")),
        actor=owner,
        title="Restricted",
    )
    DocumentAccess.objects.create(
        resource=restricted, user=world.users["mentor"], level=AccessLevel.NONE
    )
    _links(world)
    world.upload = upload_session_create(
        project=world.members_project, user=owner, length=10, metadata={"filename": "a.pdf"}
    )

    profile_update(user=owner, visibility="public", skills=["etching"], headline="Printmaker")
    profile_update(user=collaborator, visibility="members")
    world.room = workspace_create(
        host=owner,
        name="Sketch night",
        session_type="painting",
        participants=[collaborator.username],
    )
    started = timezone.now() - timedelta(days=2)
    session = collab_session_start(host=owner, name="Jam", session_type="music", started_at=started)
    for participant in (collaborator, world.users["mentor"]):
        collab_session_participant_add(session=session, actor=owner, user=participant)
    type(session).objects.filter(pk=session.pk).update(ended_at=timezone.now() - timedelta(days=1))
    session.refresh_from_db()
    world.ended_session = session
    # Hidden once in the session: people who hide do not exist for others, hosts included.
    profile_update(user=world.users["mentor"], visibility="hidden")
    world.endorsement = endorsement_create(
        author=owner, subject=collaborator, session=session, rating=5
    )
    # Endorsed back: both are published.
    world.endorsement_back = endorsement_create(
        author=collaborator, subject=owner, session=session, rating=4
    )
    world.endorsement.refresh_from_db()
    world.opportunity = opportunity_create(
        posted_by=owner,
        type="residency",
        title="Print residency",
        description="Three months in the studio.",
        apply_url="https://example.org/apply",
        attachments=[incoming_file(pdf_bytes("brief"), name="brief.pdf")],
    )
    world.attachment = world.opportunity.attachments.get()
    # A call of the owner's taking applications: the collaborator's is in the first round, the
    # mentor sits on the jury.
    world.call = opportunity_create(
        posted_by=owner,
        type="call",
        title="Print call",
        description="Small prints.",
        accepts_applications=True,
    )
    submitted = application_create(opportunity=world.call, applicant=collaborator)
    world.application = application_submit(application=submitted, actor=collaborator)
    juror_invite(opportunity=world.call, actor=owner, user=world.users["mentor"])
    round_create(opportunity=world.call, actor=owner, name="First", criteria=[{"label": "Craft"}])
    world.saved_search = saved_search_create(
        owner=owner, kind="opportunities", name="Residencies", filters={"type": "residency"}
    )
    world.artwork = artwork_create(
        artist=owner,
        title="Harbour",
        media_file=SimpleUploadedFile("harbour.png", artwork_png(), "image/png"),
        nsfw=False,
    )
    world.gallery = GalleryFactory(created_by=owner)
    # The owner's data export, ready to download (its file: any blob will do here).
    world.owner_export = AccountExport.objects.create(
        user=owner,
        state=AccountExport.State.READY,
        progress=100,
        blob_id=world.artwork.media_id,
        expires_at=timezone.now() + timedelta(days=7),
    )
    return world


def team_world_fixture(django_db_blocker) -> Iterator[TeamWorld]:
    """The world for a whole test module, rolled back when the module ends (a test's own
    changes are rolled back by its own savepoint, inside this transaction)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield team_world_build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
