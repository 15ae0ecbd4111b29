"""The authorization matrix, one module per part of the platform.

Each module exports `ROWS` (HTTP endpoints) and may export `WEBSOCKET_ROWS` (route -> caller ->
True when the socket opens, False when refused as anonymous, or the close code of the refusal),
`WEBSOCKET_PATHS` (route -> function of the world, for routes with parameters), `CALLERS` (names ->
functions making an API client for a `World`) and `world_setup(world)` (creating the objects its
rows need). `test_authorization_matrix.py` checks that every endpoint of the URL configuration has
a row, and runs every row for every caller it names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.security.routes import Endpoint


@dataclass
class World:
    """Objects made once per test, shared by every module's rows; modules add attributes.

    Every module builds into the same world: name users and attributes after the module
    (`kontact_owner`, `kontact_session`) unless they are meant to be shared."""

    users: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"the matrix world has no {name!r}: add it in a world_setup")


PathOrBuilder = str | Callable[[World], str]
BodyOrBuilder = dict | Callable[[World], dict] | None


@dataclass(frozen=True)
class Row:
    """`expected[caller]` is the status `caller` gets for `method path` with `body`."""

    endpoint: Endpoint
    expected: dict[str, int]
    path: PathOrBuilder
    body: BodyOrBuilder = None
    format: str = "json"

    @property
    def label(self) -> str:
        """The row's name in test ids: its path, or its route when the path is built from the
        world (the same in every process, unlike a function's repr)."""
        return self.path if isinstance(self.path, str) else self.endpoint.route

    def concrete_path(self, world: World) -> str:
        return self.path(world) if callable(self.path) else self.path.format(w=world)

    def concrete_body(self, world: World) -> dict | None:
        return self.body(world) if callable(self.body) else self.body


def row(
    method: str,
    route: str,
    expected: dict[str, int],
    *,
    path: PathOrBuilder | None = None,
    body: BodyOrBuilder = None,
    format: str = "json",
) -> Row:
    """A row for `method route`; `path` defaults to the route itself (routes without parameters).

    `path` may name world objects: "/api/kreative/artworks/{w.artwork.pk}/".
    """
    plain = "/" + route.replace("^", "").replace("$", "")
    return Row(Endpoint(route, method), expected, path or plain, body, format)


def _modules():
    from tests.security.matrix import (
        applications,
        core,
        data_model,
        data_model_2,
        kontact,
        media,
        notifications,
        rooms,
        saved_searches,
        search,
        stockage,
        suggestions,
    )

    return [
        core,
        data_model,
        data_model_2,
        kontact,
        media,
        rooms,
        stockage,
        search,
        suggestions,
        saved_searches,
        applications,
        notifications,
    ]


def all_rows() -> list[Row]:
    return [row for module in _modules() for row in module.ROWS]


def module_of(row: Row):
    """The module that declares `row` (its world and callers are the ones the row needs)."""
    return next(module for module in _modules() if row in module.ROWS)


def all_websocket_rows() -> dict[str, dict[str, bool | int]]:
    """Route -> caller -> True (connects), False (refused as unauthenticated) or the close code
    of the refusal."""
    rows: dict[str, dict[str, bool | int]] = {}
    for module in _modules():
        rows.update(getattr(module, "WEBSOCKET_ROWS", {}))
    return rows


def websocket_path(route: str, world: World) -> str:
    """The concrete path of a WebSocket route (routes with parameters name world objects)."""
    for module in _modules():
        builder = getattr(module, "WEBSOCKET_PATHS", {}).get(route)
        if builder is not None:
            return builder(world)
    return f"/{route}"


def callers(*, for_row: Row | None = None) -> dict[str, Callable[[World], Any]]:
    """Caller name -> API client maker: the core's plus `for_row`'s module's (or everyone's)."""
    from tests.security.matrix import core

    modules = _modules() if for_row is None else [core, module_of(for_row)]
    found: dict[str, Callable[[World], Any]] = {}
    for module in modules:
        found.update(getattr(module, "CALLERS", {}))
    return found


def build_world(*, for_row: Row | None = None) -> World:
    """The objects the rows need: the core's, plus those of `for_row`'s module (or all)."""
    from tests.security.matrix import core

    modules = _modules() if for_row is None else [core, module_of(for_row)]
    world = World()
    for module in dict.fromkeys(modules):
        setup = getattr(module, "world_setup", None)
        if setup is not None:
            setup(world)
    return world
