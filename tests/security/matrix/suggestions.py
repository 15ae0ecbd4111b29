"""People suggestions (intelligent_matching): any signed-in user, for themselves only.

`suggested` is a discoverable person whom any signed-in caller may dismiss.
"""

from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row

C = "api/connect/"
USERNAME = r"(?P<username>[\w.@+-]+)"


def world_setup(world: World) -> None:
    from konnaxion.kreative.services.professional_profile import profile_update

    suggested = world.users["suggested"] = UserFactory(username="suggested-person")
    profile_update(user=suggested, visibility="public", skills=["etching"])


ROWS = [
    row(
        "GET",
        f"{C}^suggestions/$",
        {"anonymous": 401, "stranger": 200},
        path="/api/connect/suggestions/",
    ),
    row(
        "POST",
        f"{C}^suggestions/{USERNAME}/dismiss/$",
        {"anonymous": 401, "stranger": 200},
        path="/api/connect/suggestions/suggested-person/dismiss/",
    ),
]
