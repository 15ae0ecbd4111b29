"""Helpers for the Stockage API tests: projects with a team, multipart uploads, clients."""

from __future__ import annotations

from rest_framework.test import APIClient

from konnaxion.keenkonnect.models import ProjectTeam
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.users.tests.factories import UserFactory, token_for


class NamedBytes:
    """What Django's test client needs to post a file part with a chosen name."""

    def __init__(self, name: str, content: bytes) -> None:
        self.name = name
        self._content = content

    def read(self) -> bytes:
        return self._content


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def team_project(**kwargs):
    """A project with an owner, a collaborator and a mentor; returns (project, users)."""
    users = {
        role: UserFactory(username=f"{role}-{UserFactory._meta.model.objects.count()}")
        for role in ("owner", "collaborator", "mentor")
    }
    project = project_for(creator=users["owner"], **kwargs)
    project_member_add(
        project=project, user=users["collaborator"], role=ProjectTeam.Role.COLLABORATOR
    )
    project_member_add(project=project, user=users["mentor"], role=ProjectTeam.Role.MENTOR)
    return project, users


def upload(client: APIClient, project, name: str, content: bytes, **fields):
    return client.post(
        f"/api/projects/{project.slug}/resources/",
        data={"file": NamedBytes(name, content), **fields},
        format="multipart",
    )


def new_version(client: APIClient, project, resource_id: int, name: str, content: bytes, **extra):
    return client.post(
        f"/api/projects/{project.slug}/resources/{resource_id}/versions/",
        data={"file": NamedBytes(name, content)},
        format="multipart",
        **extra,
    )
