"""The notification centre: one's notifications, email settings and watches, and its socket.

A members-only project whose team has `notif-member`, who holds one notification about it and
watches it. `stranger` (signed in, on no team) has no notification, may not see the project and
gets 404 for the member's notification and watch, as for ids nobody has.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.notifications.models import Kind
from konnaxion.notifications.services.delivery import notifications_deliver
from konnaxion.notifications.services.watching import watch_add
from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for


def world_setup(world: World) -> None:
    owner = UserFactory(username="notif-owner")
    member = world.users["notif_member"] = UserFactory(username="notif-member")
    project = world.notif_project = project_for(
        creator=owner, title="Letters", visibility=Project.Visibility.MEMBERS
    )
    project_member_add(project=project, user=member)
    [world.notification] = notifications_deliver(
        kind=Kind.PROJECT_INVITED,
        recipient_ids=[member.pk],
        actor_id=owner.pk,
        target_type=ContentType.objects.get_for_model(Project),
        target_id=project.pk,
        params={"project": project.title},
        url=f"/projects/{project.slug}/",
    )
    world.watch = watch_add(user=member, target=project)


CALLERS = {"notif_member": lambda world: api_client_for(world.users["notif_member"])}

SIGNED_IN = {"anonymous": 401, "stranger": 200, "notif_member": 200}
SETTINGS = {"channels": {"version_added": "off"}}

ROWS = [
    row("GET", "api/notifications/", SIGNED_IN),
    row("GET", "api/notifications/unread-count/", SIGNED_IN),
    row(
        "POST",
        "api/notifications/<int:notification_id>/read/",
        {"anonymous": 401, "stranger": 404, "notif_member": 200},
        path="/api/notifications/{w.notification.pk}/read/",
    ),
    row("POST", "api/notifications/read-all/", SIGNED_IN),
    row("GET", "api/notifications/settings/", SIGNED_IN),
    row("PUT", "api/notifications/settings/", SIGNED_IN, body=SETTINGS),
    row("GET", "api/watches/", SIGNED_IN),
    row(
        "POST",
        "api/watches/",
        {"anonymous": 401, "stranger": 404, "notif_member": 201},
        body=lambda world: {"target_type": "project", "target_id": world.notif_project.pk},
    ),
    row(
        "DELETE",
        "api/watches/<int:watch_id>/",
        {"anonymous": 401, "stranger": 404, "notif_member": 204},
        path="/api/watches/{w.watch.pk}/",
    ),
]

WEBSOCKET_ROWS = {"ws/notifications/": {"anonymous": False, "stranger": True}}
