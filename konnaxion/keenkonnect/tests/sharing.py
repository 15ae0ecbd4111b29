"""Helpers of the link tests: a project allowing links with a team and one document."""

from __future__ import annotations

from django.test import Client

from konnaxion.keenkonnect.models import AccessLevel, AuditEvent, ProjectTeam
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.users.tests.factories import UserFactory


def shared_world(**project_fields):
    """A members-only project allowing links, its owner, collaborator and mentor, and a PDF
    document with one version; returns (project, users, document)."""
    users = {role: UserFactory(username=f"share-{role}") for role in ("owner", "collaborator")}
    users["mentor"] = UserFactory(username="share-mentor")
    users["outsider"] = UserFactory(username="share-outsider")
    project_fields.setdefault("visibility", "members")
    project_fields.setdefault("links_allowed", True)
    project = project_for(creator=users["owner"], title="Secret Atlas", **project_fields)
    project_member_add(
        project=project, user=users["collaborator"], role=ProjectTeam.Role.COLLABORATOR
    )
    project_member_add(project=project, user=users["mentor"], role=ProjectTeam.Role.MENTOR)
    document = resource_create(
        project=project,
        upload=incoming_file(pdf_bytes("first"), name="plan.pdf"),
        actor=users["owner"],
        title="Bridge plan",
    )
    document.my_level = AccessLevel.ADMIN
    return project, users, document


def refusals() -> list[dict]:
    return list(
        AuditEvent.objects.filter(action=AuditEvent.Action.LINK_REFUSED)
        .order_by("id")
        .values_list("details", flat=True)
    )


def visitor() -> Client:
    """A signed-out browser (with cookies, so a link unlocked with its password stays so)."""
    return Client()
