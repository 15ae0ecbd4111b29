"""The reference model of who may see or do what in Stockage and Kontact (plain Python).

`tests/security/test_access_lifecycle.py` drives the product through lifecycle changes and
checks, after each one, that every access path agrees with this model. The rules, as documented
(README, docs/storage.md, docs/search.md, docs/rooms.md, docs/kontact.md), with the decided rule
that a per-document entry applies only while its user is on the project's team (removing a
member deletes their entries):

Stockage, the level of a viewer on a document:
- nobody signed in (or a deactivated account): read in a public project, else none;
- an owner: admin, whatever the entries;
- an entry (none / read / write / admin) overrides the role's level, up or down;
- a collaborator: write; a mentor: read;
- anyone else: read in a public project, else none.
A trashed document is read by nobody (detail, list, search, download, page); it is listed in
the trash, and may be taken out of it, at the write level; purging needs admin.

Rooms (collaboration workspaces): the host and the invited participants, never someone across
a block (either direction) from the host, never a deactivated account. An ended room is read
(viewer) and no longer written.

Profiles: public ones for everyone, members-only ones for signed-in users, hidden ones for their
owner only; never across a block (either direction); a deactivated account's for nobody.
Someone who does not exist for the host (deactivated, hidden profile, across a block) cannot be
invited to a room (docs/permissions.md, "Kontact and Kreative").
"""

from __future__ import annotations

from dataclasses import dataclass, field

NONE, READ, WRITE, ADMIN = 0, 1, 2, 3
LEVEL_NAMES = {NONE: "none", READ: "read", WRITE: "write", ADMIN: "admin"}
LEVEL_BY_NAME = {name: level for level, name in LEVEL_NAMES.items()}
ROLE_LEVELS = {"owner": ADMIN, "collaborator": WRITE, "mentor": READ}

PUBLIC, MEMBERS, HIDDEN = "public", "members", "hidden"

# Outcomes of an attempted change, as the API would answer it.
OK = "ok"
NOT_FOUND = "not_found"  # 404: the caller may not know the object exists
DENIED = "denied"  # 403: the caller sees the object but may not do this
REFUSED = "refused"  # 400 / 409: the change itself is refused (validation, conflict)


@dataclass
class ProjectState:
    key: str
    visibility: str
    team: dict[str, str] = field(default_factory=dict)  # username -> role
    deleted: bool = False


@dataclass
class DocumentState:
    key: int  # the real document's id
    project: str
    word: str  # a word found in its title and nowhere else
    trashed: bool = False
    purged: bool = False
    entries: dict[str, int] = field(default_factory=dict)  # username -> level


@dataclass
class RoomState:
    host: str
    participants: set[str] = field(default_factory=set)
    ended: bool = False


class AccessModel:
    """What every user may see and do, given the lifecycle so far."""

    def __init__(self, users: list[str]) -> None:
        self.users = list(users)
        self.active = {user: True for user in users}
        self.blocks: set[tuple[str, str]] = set()  # (blocker, blocked)
        self.profile_visibility = {user: MEMBERS for user in users}
        self.projects: dict[str, ProjectState] = {}
        self.documents: dict[int, DocumentState] = {}
        self.rooms: dict[int, RoomState] = {}

    # Who is asking -----------------------------------------------------------------------

    def signed_in(self, viewer: str | None) -> str | None:
        """The viewer as the platform knows them: None for nobody and for deactivated accounts."""
        if viewer is None or not self.active[viewer]:
            return None
        return viewer

    def blocked_between(self, one: str, other: str) -> bool:
        return (one, other) in self.blocks or (other, one) in self.blocks

    # Stockage -----------------------------------------------------------------------------

    def live_projects(self) -> list[ProjectState]:
        return [p for p in self.projects.values() if not p.deleted]

    def live_documents(self) -> list[DocumentState]:
        return [
            d
            for d in self.documents.values()
            if not d.purged and not self.projects[d.project].deleted
        ]

    def role(self, viewer: str | None, project: str) -> str | None:
        viewer = self.signed_in(viewer)
        return None if viewer is None else self.projects[project].team.get(viewer)

    def project_visible(self, viewer: str | None, project: str) -> bool:
        state = self.projects[project]
        if state.deleted:
            return False
        return state.visibility == PUBLIC or self.role(viewer, project) is not None

    def project_level(self, viewer: str | None, project: str) -> int:
        """The level new documents start from (the upload right): role, else public read."""
        role = self.role(viewer, project)
        if role is not None:
            return ROLE_LEVELS[role]
        return READ if self.project_visible(viewer, project) else NONE

    def level(self, viewer: str | None, document: int) -> int:
        """The viewer's level on the document, trash aside."""
        state = self.documents[document]
        if state.purged or self.projects[state.project].deleted:
            return NONE
        role = self.role(viewer, state.project)
        if role == "owner":
            return ADMIN
        if role is not None and self.signed_in(viewer) in state.entries:
            return state.entries[viewer]
        if role is not None:
            return ROLE_LEVELS[role]
        return READ if self.projects[state.project].visibility == PUBLIC else NONE

    def readable(self, viewer: str | None, document: int) -> bool:
        """Read through every path (detail, list, search, download, page, events)."""
        return not self.documents[document].trashed and self.level(viewer, document) >= READ

    def in_trash(self, viewer: str | None, document: int) -> bool:
        """Listed in the trash (and restorable) for the viewer."""
        state = self.documents[document]
        return (
            state.trashed
            and not state.purged
            and self.signed_in(viewer) is not None
            and self.level(viewer, document) >= WRITE
        )

    def readable_in(self, viewer: str | None, project: str) -> set[int]:
        return {
            d.key
            for d in self.live_documents()
            if d.project == project and self.readable(viewer, d.key)
        }

    def owners_of(self, project: str) -> list[str]:
        return sorted(u for u, r in self.projects[project].team.items() if r == "owner")

    def _document_outcome(self, actor: str, document: int, needed: int, *, trashed_ok: bool):
        """How the API answers `actor` asking for a change needing `needed` on the document
        (`trashed_ok`: the view also finds trashed documents)."""
        state = self.documents[document]
        level = self.level(actor, document)
        if not self.project_visible(actor, state.project) or level < READ:
            return NOT_FOUND
        if state.trashed and not trashed_ok:
            return NOT_FOUND
        return OK if level >= needed else DENIED

    def document_create(self, actor: str, project: str) -> str:
        if not self.project_visible(actor, project):
            return NOT_FOUND
        return OK if self.project_level(actor, project) >= WRITE else DENIED

    def document_created(self, key: int, project: str, word: str) -> None:
        self.documents[key] = DocumentState(key=key, project=project, word=word)

    def rename(self, actor: str, document: int) -> str:
        return self._document_outcome(actor, document, WRITE, trashed_ok=False)

    def trash(self, actor: str, document: int) -> str:
        outcome = self._document_outcome(actor, document, WRITE, trashed_ok=False)
        if outcome == OK:
            self.documents[document].trashed = True
        return outcome

    def untrash(self, actor: str, document: int) -> str:
        outcome = self._document_outcome(actor, document, WRITE, trashed_ok=True)
        if outcome == OK and not self.documents[document].trashed:
            outcome = NOT_FOUND  # "No such document in the trash."
        if outcome == OK:
            self.documents[document].trashed = False
        return outcome

    def purge(self, actor: str, document: int) -> str:
        outcome = self._document_outcome(actor, document, ADMIN, trashed_ok=True)
        if outcome == OK:
            self.documents[document].purged = True
        return outcome

    def entry_set(self, actor: str, document: int, user: str, level: int | None) -> str:
        """`actor` sets (or, with None, removes) `user`'s entry on the document."""
        outcome = self._document_outcome(actor, document, ADMIN, trashed_ok=False)
        if outcome != OK:
            return outcome
        state = self.documents[document]
        entries = dict(state.entries)
        if level is None:
            entries.pop(user, None)
        else:
            entries[user] = level
        if any(name not in self.projects[state.project].team for name in entries):
            return REFUSED  # not_a_member
        state.entries = entries
        return OK

    def _owner_outcome(self, actor: str, project: str) -> str:
        if not self.project_visible(actor, project):
            return NOT_FOUND
        return OK if self.role(actor, project) == "owner" else DENIED

    def visibility_set(self, actor: str, project: str, visibility: str) -> str:
        outcome = self._owner_outcome(actor, project)
        if outcome == OK:
            self.projects[project].visibility = visibility
        return outcome

    def member_add(self, actor: str, project: str, user: str, role: str) -> str:
        outcome = self._owner_outcome(actor, project)
        if outcome == OK and user in self.projects[project].team:
            outcome = REFUSED  # already_member
        if outcome == OK:
            self.projects[project].team[user] = role
        return outcome

    def _last_owner(self, project: str, user: str) -> bool:
        return self.projects[project].team.get(user) == "owner" and self.owners_of(project) == [
            user
        ]

    def member_role_set(self, actor: str, project: str, user: str, role: str) -> str:
        outcome = self._owner_outcome(actor, project)
        team = self.projects[project].team
        if outcome == OK and user not in team:
            outcome = NOT_FOUND
        if outcome == OK and role != "owner" and self._last_owner(project, user):
            outcome = REFUSED  # last_owner
        if outcome == OK:
            team[user] = role
        return outcome

    def member_remove(self, actor: str, project: str, user: str) -> str:
        """Owners remove anyone, members themselves; the removed member's entries go too."""
        if actor == user:
            outcome = OK if self.project_visible(actor, project) else NOT_FOUND
        else:
            outcome = self._owner_outcome(actor, project)
        team = self.projects[project].team
        if outcome == OK and user not in team:
            outcome = NOT_FOUND
        if outcome == OK and self._last_owner(project, user):
            outcome = REFUSED  # last_owner
        if outcome == OK:
            del team[user]
            for document in self.documents.values():
                if document.project == project:
                    document.entries.pop(user, None)
        return outcome

    def project_delete(self, actor: str, project: str) -> str:
        outcome = self._owner_outcome(actor, project)
        if outcome == OK:
            self.projects[project].deleted = True
        return outcome

    # Kontact ------------------------------------------------------------------------------

    def block(self, blocker: str, blocked: str) -> str:
        if blocker == blocked:
            return REFUSED
        self.blocks.add((blocker, blocked))
        return OK

    def unblock(self, blocker: str, blocked: str) -> str:
        self.blocks.discard((blocker, blocked))
        return OK

    def profile_visibility_set(self, user: str, visibility: str) -> str:
        self.profile_visibility[user] = visibility
        return OK

    def profile_visible(self, viewer: str | None, owner: str) -> bool:
        viewer = self.signed_in(viewer)
        if not self.active[owner]:
            return False
        if viewer == owner:
            return True
        if viewer is not None and self.blocked_between(viewer, owner):
            return False
        visibility = self.profile_visibility[owner]
        if visibility == PUBLIC:
            return True
        return visibility == MEMBERS and viewer is not None

    def _invitable(self, host: str, user: str) -> bool:
        """Whether `user` exists for `host`: active, a profile that is not hidden, no block."""
        return (
            self.active[user]
            and self.profile_visibility[user] != HIDDEN
            and not self.blocked_between(host, user)
        )

    def room_create(self, key: int | None, host: str, participants: list[str]) -> str:
        """With `key` None, only the expected outcome; else the room is recorded."""
        if any(not self._invitable(host, user) for user in participants if user != host):
            return REFUSED  # unknown_users
        if key is not None:
            self.rooms[key] = RoomState(host=host, participants={*participants} - {host})
        return OK

    def room_invite(self, actor: str, room: int, users: list[str]) -> str:
        state = self.rooms[room]
        if self.room_access(actor, room) is None:
            return NOT_FOUND
        if actor != state.host:
            return DENIED
        if state.ended:
            return REFUSED  # session_ended
        if any(not self._invitable(state.host, user) for user in users if user != state.host):
            return REFUSED  # unknown_users
        state.participants |= {*users} - {state.host}
        return OK

    def room_end(self, actor: str, room: int) -> str:
        state = self.rooms[room]
        if self.room_access(actor, room) is None:
            return NOT_FOUND
        if actor != state.host:
            return DENIED
        if state.ended:
            return REFUSED  # session_ended
        state.ended = True
        return OK

    def room_access(self, viewer: str | None, room: int) -> str | None:
        """ "editor", "viewer" (an ended room) or None."""
        viewer = self.signed_in(viewer)
        state = self.rooms[room]
        if viewer is None:
            return None
        if viewer != state.host and (
            viewer not in state.participants or self.blocked_between(viewer, state.host)
        ):
            return None
        return "viewer" if state.ended else "editor"

    def account_set_active(self, user: str, active: bool) -> str:
        self.active[user] = active
        return OK
