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


def comment_url(resource: ProjectResource, comment_id: int) -> str:
    return f"{document_url(resource)}#comment-{comment_id}"


def lock_broken_notify(*, resource: ProjectResource, holder: User, actor: User) -> None:
    """The holder of the lock `actor` broke is told (immediately by email by default)."""
    notify(
        kind=Kind.LOCK_BROKEN,
        recipients=[holder],
        actor=actor,
        target=resource,
        params={"document": resource.title},
        url=document_url(resource),
    )


def mentions_notify(
    *, resource: ProjectResource, comment_id: int, people: list[User], actor: User
) -> None:
    """Each of `people` (newly named with @username in a comment) is told they were mentioned."""
    notify(
        kind=Kind.MENTIONED,
        recipients=people,
        actor=actor,
        target=resource,
        params={"title": resource.title},
        url=comment_url(resource, comment_id),
    )


def comment_added_notify(
    *, resource: ProjectResource, comment_id: int, mentioned: list[User], actor: User
) -> None:
    """The commenter watches the document from now on; the watchers of the document and of its
    project are told of the comment, except those it mentions, who are told of the mention
    only."""
    document_watch(resource=resource, user=actor)
    mentioned_ids = [person.pk for person in mentioned]
    notify(
        kind=Kind.COMMENT_ADDED,
        recipients=watchers_of(targets=[resource, resource.project]).exclude(pk__in=mentioned_ids),
        actor=actor,
        target=resource,
        params={"document": resource.title},
        url=comment_url(resource, comment_id),
    )
    mentions_notify(resource=resource, comment_id=comment_id, people=mentioned, actor=actor)


def share_link_used_notify(*, resource: ProjectResource, creator: User) -> None:
    """The creator of a share link is told of its first use; nobody is named (the visitor has
    no account)."""
    notify(
        kind=Kind.SHARE_LINK_USED,
        recipients=[creator],
        actor=None,
        target=resource,
        params={"document": resource.title},
        url=document_url(resource),
    )


def upload_link_received_notify(
    *, resource: ProjectResource, link_label: str, creator: User
) -> None:
    """A file came in through an upload link as the document `resource`: the link's creator is
    told of each file (like a file request), the watchers of the project in their own words
    (which do not name the link: its label is for the project's owners)."""
    notify(
        kind=Kind.UPLOAD_LINK_RECEIVED,
        recipients=[creator],
        actor=None,
        target=resource,
        params={"link": link_label, "file": resource.title},
        url=document_url(resource),
    )
    notify(
        kind=Kind.UPLOAD_LINK_RECEIVED,
        recipients=watchers_of(targets=[resource.project]).exclude(pk=creator.pk),
        actor=None,
        target=resource,
        params={"project": resource.project.title, "file": resource.title},
        url=document_url(resource),
    )
