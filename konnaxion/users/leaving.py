"""What each module does when someone leaves, and what it puts in their data export.

Accounts sit below the modules that hold people's things, so they never import them: each
module registers its part in its `AppConfig.ready()` (docs/accounts.md, "Leaving and your
data"):

- a *blocker* names what stops a deletion (a project that would be left without an owner);
- a *deletion handler* removes, closes or keeps the module's things through its own services,
  inside the deletion's transaction, and returns the blobs it let go, removed after commit;
- an *export part* writes the module's share of the person's data into the export's ZIP;
- an *export listener* hears that an export is ready (the notifications module tells the
  person).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from konnaxion.users.models import AccountExport, User


@dataclass(frozen=True)
class DeletionBlocker:
    """Something that must change before the account can be deleted: `code` says what, `items`
    name the things concerned (project titles)."""

    code: str
    message: str
    items: tuple[str, ...]


class ExportArchive(Protocol):
    """The ZIP an export part writes into."""

    def add_json(self, name: str, data: Any) -> None: ...

    def add_bytes(self, name: str, chunks: Iterable[bytes]) -> None: ...


BlockerCheck = Callable[[User], Iterable[DeletionBlocker]]
DeletionHandler = Callable[[User], Iterable[int]]
ExportPart = Callable[[User, ExportArchive], None]
ExportListener = Callable[[AccountExport], None]

_blockers: dict[str, BlockerCheck] = {}
_handlers: dict[str, DeletionHandler] = {}
_export_parts: dict[str, ExportPart] = {}
_export_listeners: dict[str, ExportListener] = {}


def account_deletion_blocker_register(*, name: str, check: BlockerCheck) -> None:
    """Declare `check(user)`: the blockers of `user`'s deletion it knows of (none: no block)."""
    _blockers[name] = check


def account_deletion_handler_register(*, name: str, handler: DeletionHandler) -> None:
    """Declare `handler(user)`, run inside the deletion's transaction; it returns the ids of the
    blobs its rows referred to, deleted after commit once nothing else refers to them."""
    _handlers[name] = handler


def account_export_part_register(*, name: str, part: ExportPart) -> None:
    """Declare `part(user, archive)`, which writes files under `name/` in the export."""
    _export_parts[name] = part


def account_export_listener_register(*, name: str, listener: ExportListener) -> None:
    """Declare `listener(export)`, called once an export is ready, inside its transaction."""
    _export_listeners[name] = listener


def deletion_blockers(user: User) -> list[DeletionBlocker]:
    return [blocker for check in _blockers.values() for blocker in check(user)]


def deletion_handlers() -> Iterator[tuple[str, DeletionHandler]]:
    # Sorted by name: every deletion runs the modules in the same order.
    yield from sorted(_handlers.items())


def export_parts() -> list[tuple[str, ExportPart]]:
    return sorted(_export_parts.items())


def export_listeners() -> list[ExportListener]:
    return [listener for _, listener in sorted(_export_listeners.items())]


def json_bytes(data: Any) -> bytes:
    """JSON as exports write it: UTF-8, indented, dates as ISO text."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
