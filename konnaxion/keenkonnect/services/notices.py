"""What Stockage tells people through the notification centre (`konnaxion.notifications`).

Called by the services inside their transaction; the notification centre delivers after commit
to those who may then read the document or see the project.
"""

from __future__ import annotations

from django.urls import reverse

from konnaxion.keenkonnect.models import Project, ProjectResource
from konnaxion.notifications.models import Kind
from konnaxion.notifications.selectors import watchers_of
from konnaxion.notifications.services.delivery import notify
from konnaxion.notifications.services.watching import watch_add
from konnaxion.users.models import User


def document_url(resource: ProjectResource) -> str:
    return reverse(
        "web:blueprint", kwargs={"slug": resource.project.slug, "resource_id": resource.pk}
    )


def project_url(project: Project) -> str:
    return reverse("web:project", kwargs={"slug": project.slug})


def document_watch(*, resource: ProjectResource, user: User | None) -> None:
    """`user` (who just uploaded a version, so may read it) watches the document; nobody for a
    file received by link."""
    if user is not None:
        watch_add(user=user, target=resource)


def version_added_notify(*, resource: ProjectResource, version_number: int, actor: User) -> None:
    """The uploader watches the document from now on; the watchers of the document and of its
    project are told of version `version_number`."""
    document_watch(resource=resource, user=actor)
    notify(
        kind=Kind.VERSION_ADDED,
        recipients=watchers_of(targets=[resource, resource.project]),
        actor=actor,
        target=resource,
        params={"document": resource.title, "version": version_number},
        url=document_url(resource),
    )


def member_added_notify(*, project: Project, user: User, actor: User | None) -> None:
    """`user` is told they joined the team of `project` (not when they added themselves)."""
    notify(
        kind=Kind.PROJECT_INVITED,
        recipients=[user],
        actor=actor,
        target=project,
        params={"project": project.title},
        url=project_url(project),
    )


def access_entry_notify(
    *, resource: ProjectResource, users: list[User], levels: dict[int, str], actor: User
) -> None:
    """Each of `users` is told their entry on the document changed, to `levels[user.pk]`. One
    whose entry took the document away hears nothing: they may no longer see it."""
    for user in users:
        notify(
            kind=Kind.PERMISSION_CHANGED,
            recipients=[user],
            actor=actor,
            target=resource,
            params={"document": resource.title, "level": levels[user.pk]},
            url=document_url(resource),
        )
