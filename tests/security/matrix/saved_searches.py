"""Saved searches: each signed-in person's own; anyone else's is a 404.

`searcher` owns one saved search of opportunities; `stranger` is any other signed-in user.
"""

from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

C = "api/connect/"
PK = r"(?P<pk>\d+)"
SEARCH = "/api/connect/saved-searches/{w.saved_search.pk}/"


def world_setup(world: World) -> None:
    from konnaxion.kreative.services.saved_searches import saved_search_create

    searcher = world.users["searcher"] = UserFactory(username="searcher")
    world.saved_search = saved_search_create(
        owner=searcher, kind="opportunities", name="Print", filters={"tags": "print"}
    )


CALLERS = {"searcher": lambda world: api_client_for(world.users["searcher"])}

ROWS = [
    row(
        "GET",
        f"{C}^saved-searches/$",
        {"anonymous": 401, "stranger": 200, "searcher": 200},
        path="/api/connect/saved-searches/",
    ),
    row(
        "POST",
        f"{C}^saved-searches/$",
        {"anonymous": 401, "stranger": 201},
        path="/api/connect/saved-searches/",
        body={"name": "Etchers", "kind": "people", "filters": {"skills": "etching"}},
    ),
    row(
        "GET",
        f"{C}^saved-searches/{PK}/$",
        {"anonymous": 401, "stranger": 404, "searcher": 200},
        path=SEARCH,
    ),
    row(
        "PATCH",
        f"{C}^saved-searches/{PK}/$",
        {"anonymous": 401, "stranger": 404, "searcher": 200},
        path=SEARCH,
        body={"alert": "daily"},
    ),
    row(
        "DELETE",
        f"{C}^saved-searches/{PK}/$",
        {"anonymous": 401, "stranger": 404, "searcher": 204},
        path=SEARCH,
    ),
    row(
        "GET",
        f"{C}^saved-searches/{PK}/run/$",
        {"anonymous": 401, "stranger": 404, "searcher": 200},
        path=SEARCH + "run/",
    ),
]
