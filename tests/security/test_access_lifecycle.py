"""A stateful property-based test of the one access model (DESIGN.md, "One access model").

Hypothesis drives lifecycle changes through the product's services, as the API would call them:
memberships and roles, project visibility, per-document entries, documents created, trashed,
untrashed and purged, projects deleted; blocks, hidden profiles, rooms created, invited to and
ended, accounts deactivated. After every step, every access path is compared with the
reference model of `tests/security/access_model.py`, for every user and for nobody signed in:

- Stockage: the project (API), the document list, detail (with `my_level`), download and trash
  list (API), the Blueprints tab and the document page (web), the search (API and web), and
  one open socket per user and project on `/ws/projects/<slug>/`, which must hear about a
  document iff its user may read it now (and be closed once the user lost the project);
- rooms: `/api/connect/workspaces/`, `/api/kreative/collab-sessions/` (list and detail) and
  the room's socket;
- profiles: `/api/profiles/<username>/` and the search.

The paths and their checks are in `access_paths.py` (`AccessPathChecks`).

Every sequence starts from two projects (alice's public one with bob as collaborator, whose
entry on its document is `none`, and carol as mentor; bob's members-only one with dave as
collaborator), one document in each, and five profiles. Every mismatch of a step is reported
together, with the shortest sequence Hypothesis found.

The bounded run (`ACCESS_EXAMPLES` sequences of `ACCESS_STEPS` changes, no shrinking) is part of
`make test`; `make fuzz` runs a long one and shrinks (`ACCESS_SHRINK=1`). `ACCESS_PATHS` narrows
the paths checked, to look for a second defect while a first one is being fixed.
"""

from __future__ import annotations

import json
import os

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    precondition,
    rule,
    run_state_machine_as_test,
)

from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.selectors import project_get_visible, resource_get_visible
from konnaxion.keenkonnect.services import (
    granular_permissions,
    intelligent_indexing,
    projects,
    team,
)
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.kreative import selectors as kontact
from konnaxion.kreative.models import CollabSession
from konnaxion.kreative.services import collaboration_workspace as workspaces
from konnaxion.kreative.services import professional_profile as profiles
from konnaxion.users.models import User
from konnaxion.users.tests.factories import UserFactory, token_for
from tests.security import access_model as m
from tests.security.access_paths import (
    DOCUMENT_WORDS,
    MAX_DOCUMENTS,
    PROFILE_WORDS,
    USERS,
    AccessPathChecks,
    EventLoop,
    ProjectSocket,
    outcome_of,
    status_outcome,
)

EXAMPLES = int(os.environ.get("ACCESS_EXAMPLES", "3"))
STEPS = int(os.environ.get("ACCESS_STEPS", "10"))
# Shrinking a failure to its shortest sequence takes minutes: `make fuzz` does it, the bounded
# run of `make test` reports the failing sequence as found.
SHRINK = os.environ.get("ACCESS_SHRINK", "0") == "1"
users = st.sampled_from(USERS)
# Most changes need an owner (a host for rooms) and concern a member: "owner" names the first
# owner of the project concerned at the time, "member" its first other member, each drawn half
# of the time, so that sequences reach deep states as often as refused attempts.
actors = st.one_of(st.just("owner"), users)
targets = st.one_of(st.just("member"), users)
levels = st.sampled_from([None, m.NONE, m.READ, m.WRITE, m.ADMIN])
roles = st.sampled_from(["owner", "collaborator", "mentor"])
project_keys = st.sampled_from(["first", "second"])
documents = st.integers(min_value=0, max_value=MAX_DOCUMENTS - 1)


class AccessLifecycle(AccessPathChecks, RuleBasedStateMachine):
    loop: EventLoop  # set by the test

    def __init__(self) -> None:
        super().__init__()
        self.model = m.AccessModel(USERS)
        self.dirty = {"stockage": True, "rooms": True, "profiles": True}
        self.users = {name: UserFactory(username=name) for name in USERS}
        self.tokens = {name: token_for(user) for name, user in self.users.items()}
        self.clients: dict[str | None, Client] = {None: Client(raise_request_exception=False)}
        for name, user in self.users.items():
            self.clients[name] = Client(raise_request_exception=False)
            self.clients[name].force_login(user)
            profiles.profile_get_or_create(user=user)
            profiles.profile_update(user=user, headline=f"Maker of {PROFILE_WORDS[name]}")
        # The start: a public project of alice's with a collaborator and a mentor, a
        # members-only one of bob's with a collaborator, one document in each.
        self.projects: dict[str, Project] = {}
        self.document_order: list[int] = []  # real ids, in creation order
        for key, creator, visibility, members in (
            ("first", "alice", m.PUBLIC, {"bob": "collaborator", "carol": "mentor"}),
            ("second", "bob", m.MEMBERS, {"dave": "collaborator"}),
        ):
            project = projects.project_create(
                creator=self.users[creator], title=f"{key} project", visibility=visibility
            )
            self.projects[key] = project
            self.model.projects[key] = m.ProjectState(
                key=key, visibility=visibility, team={creator: "owner"}
            )
            for user, role in members.items():
                team.project_member_add(
                    project=project, user=self.users[user], role=role, actor=self.users[creator]
                )
                self.model.member_add(creator, key, user, role)
            self._upload(creator, key)
        # An entry from the start: bob, collaborator of the first project, may not read its
        # document.
        self.set_entry(actor="alice", index=0, user="bob", level=m.NONE)
        self.room: int | None = None
        self.sockets: dict[tuple[str, str], ProjectSocket] = {}
        self.room_sockets: dict[str, WebsocketCommunicator] = {}

    def teardown(self) -> None:
        for socket in self.sockets.values():
            self.loop.run(socket.communicator.disconnect())
        for communicator in self.room_sockets.values():
            self.loop.run(communicator.disconnect())
        CollabSession.objects.filter(host__username__in=USERS).delete()
        Project.objects.filter(pk__in=[p.pk for p in self.projects.values()]).delete()
        User.objects.filter(username__in=USERS).delete()

    # Helpers -----------------------------------------------------------------------------

    def _document(self, index: int) -> int | None:
        """The index-th document created (modulo their number), or None before any."""
        if not self.document_order:
            return None
        return self.document_order[index % len(self.document_order)]

    def _resource_for(self, actor: str, document: int, *, include_trashed: bool = False):
        """The document as the API's views load it for `actor` (NotFound when unreadable)."""
        state = self.model.documents[document]
        project = project_get_visible(
            user=self.users[actor], slug=self.projects[state.project].slug
        )
        return resource_get_visible(
            user=self.users[actor],
            project=project,
            resource_id=document,
            include_trashed=include_trashed,
        )

    def _who(self, actor: str, key: str | None = None) -> str:
        """The user named: for "owner" the first owner of project `key` (the room's host
        without a project), for "member" its first other member (eve when there is none)."""
        if actor == "member":
            others = sorted(u for u, r in self.model.projects[key].team.items() if r != "owner")
            return others[0] if others else USERS[-1]
        if actor != "owner":
            return actor
        if key is None:
            return self.model.rooms[self.room].host
        return self.model.owners_of(key)[0]

    def _project_for(self, actor: str, key: str) -> Project:
        return project_get_visible(user=self.users[actor], slug=self.projects[key].slug)

    def _expect(self, what: str, expected: str, actual: str) -> None:
        assert actual == expected, f"{what}: the product says {actual}, the model {expected}"

    def _touch(self, *families: str) -> None:
        for family in families:
            self.dirty[family] = True

    # Stockage rules ----------------------------------------------------------------------

    @precondition(lambda self: len(self.document_order) < MAX_DOCUMENTS)
    @rule(actor=actors, key=project_keys)
    def create_document(self, actor: str, key: str) -> None:
        if self.model.projects[key].deleted:
            return
        actor = self._who(actor, key)
        if not self.model.active[actor]:
            return
        expected = self.model.document_create(actor, key)
        self._expect(
            f"{actor} uploads to {key}", expected, outcome_of(lambda: self._upload(actor, key))
        )
        self._touch("stockage")

    def _upload(self, actor: str, key: str) -> None:
        word = DOCUMENT_WORDS[len(self.document_order)]
        resource = storage.resource_create(
            project=self._project_for(actor, key),
            upload=incoming_file(pdf_bytes("Blueprint")),
            actor=self.users[actor],
            title=f"Blueprint {word}",
        )
        self.model.document_created(resource.pk, key, word)
        self.document_order.append(resource.pk)
        # What the indexing task (run by a worker, absent here) first does: the title becomes
        # searchable.
        intelligent_indexing.resource_vector_refresh(resource_ids=[resource.pk])

    @rule(actor=actors, index=documents)
    def trash_document(self, actor: str, index: int) -> None:
        document = self._document(index)
        if document is None or self._gone(document):
            return
        actor = self._who(actor, self.model.documents[document].project)
        if not self.model.active[actor]:
            return
        expected = self.model.trash(actor, document)
        actual = outcome_of(
            lambda: storage.resource_trash(
                resource=self._resource_for(actor, document), actor=self.users[actor]
            )
        )
        self._expect(f"{actor} trashes document {self._word(document)}", expected, actual)
        self._touch("stockage")

    @rule(actor=actors, index=documents)
    def untrash_document(self, actor: str, index: int) -> None:
        document = self._document(index)
        if document is None or self._gone(document):
            return
        actor = self._who(actor, self.model.documents[document].project)
        if not self.model.active[actor]:
            return
        expected = self.model.untrash(actor, document)
        actual = outcome_of(
            lambda: storage.resource_restore_from_trash(
                resource=self._resource_for(actor, document, include_trashed=True),
                actor=self.users[actor],
            )
        )
        self._expect(f"{actor} untrashes document {self._word(document)}", expected, actual)
        self._touch("stockage")

    @rule(actor=actors, index=documents)
    def purge_document(self, actor: str, index: int) -> None:
        document = self._document(index)
        if document is None or self._gone(document):
            return
        actor = self._who(actor, self.model.documents[document].project)
        if not self.model.active[actor]:
            return
        expected = self.model.purge(actor, document)
        actual = outcome_of(
            lambda: storage.resource_purge(
                resource=self._resource_for(actor, document, include_trashed=True),
                actor=self.users[actor],
            )
        )
        self._expect(f"{actor} purges document {self._word(document)}", expected, actual)
        self._touch("stockage")

    @rule(actor=actors, index=documents, user=targets, level=levels)
    def set_entry(self, actor: str, index: int, user: str, level: int | None) -> None:
        """`actor` sets `user`'s entry (None: removes it), as the permissions form does: the
        document's current entries, changed for one user, replace the old ones."""
        document = self._document(index)
        if document is None or self._gone(document):
            return
        actor = self._who(actor, self.model.documents[document].project)
        user = self._who(user, self.model.documents[document].project)
        if not self.model.active[actor]:
            return
        expected = self.model.entry_set(actor, document, user, level)

        def replace() -> None:
            resource = self._resource_for(actor, document)
            granular_permissions.ensure_level(resource=resource, needed=m.ADMIN)
            entries = {
                e["user"]: e["level"]
                for e in granular_permissions.access_entries_of(resource=resource)
            }
            if level is None:
                entries.pop(user, None)
            else:
                entries[user] = m.LEVEL_NAMES[level]
            granular_permissions.access_entries_replace(
                resource=resource,
                entries=[{"user": u, "level": lv} for u, lv in entries.items()],
                actor=self.users[actor],
            )

        what = "removes" if level is None else f"sets to {m.LEVEL_NAMES[level]}"
        self._expect(
            f"{actor} {what} the entry of {user} on document {self._word(document)}",
            expected,
            outcome_of(replace),
        )
        self._touch("stockage")

    @rule(actor=actors, index=documents)
    def rename_through_the_api(self, actor: str, index: int) -> None:
        """A write through REST: PATCH with the same title (no change, an `updated` event)."""
        document = self._document(index)
        if document is None or self._gone(document):
            return
        actor = self._who(actor, self.model.documents[document].project)
        if not self.model.active[actor]:
            return
        state = self.model.documents[document]
        slug = self.projects[state.project].slug
        response = self.clients[actor].patch(
            f"/api/projects/{slug}/resources/{document}/",
            data=json.dumps({"title": f"Blueprint {state.word}"}),
            content_type="application/json",
        )
        self._expect(
            f"{actor} renames document {state.word} (PATCH)",
            self.model.rename(actor, document),
            status_outcome(response.status_code),
        )
        self._touch("stockage")

    @rule(actor=actors, key=project_keys, visibility=st.sampled_from([m.PUBLIC, m.MEMBERS]))
    def set_project_visibility(self, actor: str, key: str, visibility: str) -> None:
        if self.model.projects[key].deleted:
            return
        actor = self._who(actor, key)
        if not self.model.active[actor]:
            return
        expected = self.model.visibility_set(actor, key, visibility)
        actual = outcome_of(
            lambda: projects.project_update(
                project=self._project_for(actor, key),
                actor=self.users[actor],
                visibility=visibility,
            )
        )
        self._expect(f"{actor} makes {key} {visibility}", expected, actual)
        self._touch("stockage")

    @rule(actor=actors, key=project_keys, user=users, role=roles)
    def add_member(self, actor: str, key: str, user: str, role: str) -> None:
        if self.model.projects[key].deleted:
            return
        actor = self._who(actor, key)
        if not self.model.active[actor]:
            return
        expected = self.model.member_add(actor, key, user, role)
        actual = outcome_of(
            lambda: team.project_member_add(
                project=self._project_for(actor, key),
                user=self.users[user],
                role=role,
                actor=self.users[actor],
            )
        )
        self._expect(f"{actor} adds {user} to {key} as {role}", expected, actual)
        self._touch("stockage")

    @rule(actor=actors, key=project_keys, user=targets, role=roles)
    def change_role(self, actor: str, key: str, user: str, role: str) -> None:
        if self.model.projects[key].deleted:
            return
        actor, user = self._who(actor, key), self._who(user, key)
        if not self.model.active[actor]:
            return
        expected = self.model.member_role_set(actor, key, user, role)
        actual = outcome_of(
            lambda: team.project_member_role_set(
                project=self._project_for(actor, key),
                user=self.users[user],
                role=role,
                actor=self.users[actor],
            )
        )
        self._expect(f"{actor} makes {user} {role} of {key}", expected, actual)
        self._touch("stockage")

    @rule(actor=actors, key=project_keys, user=targets)
    def remove_member(self, actor: str, key: str, user: str) -> None:
        if self.model.projects[key].deleted:
            return
        actor, user = self._who(actor, key), self._who(user, key)
        if not self.model.active[actor]:
            return
        expected = self.model.member_remove(actor, key, user)
        actual = outcome_of(
            lambda: team.project_member_remove(
                project=self._project_for(actor, key),
                user=self.users[user],
                actor=self.users[actor],
            )
        )
        self._expect(f"{actor} removes {user} from {key}", expected, actual)
        self._touch("stockage")

    @rule(actor=actors, key=project_keys)
    def delete_project(self, actor: str, key: str) -> None:
        if self.model.projects[key].deleted:
            return
        actor = self._who(actor, key)
        if not self.model.active[actor]:
            return
        expected = self.model.project_delete(actor, key)
        actual = outcome_of(
            lambda: projects.project_delete(
                project=self._project_for(actor, key), actor=self.users[actor]
            )
        )
        self._expect(f"{actor} deletes {key}", expected, actual)
        self._touch("stockage")

    # Kontact rules -----------------------------------------------------------------------

    @rule(blocker=users, blocked=users)
    def block(self, blocker: str, blocked: str) -> None:
        if not self.model.active[blocker]:
            return
        expected = self.model.block(blocker, blocked)
        actual = outcome_of(
            lambda: profiles.block_create(blocker=self.users[blocker], blocked=self.users[blocked])
        )
        self._expect(f"{blocker} blocks {blocked}", expected, actual)
        self._touch("rooms", "profiles")

    @rule(blocker=users, blocked=users)
    def unblock(self, blocker: str, blocked: str) -> None:
        if not self.model.active[blocker]:
            return
        expected = self.model.unblock(blocker, blocked)
        actual = outcome_of(
            lambda: profiles.block_delete(blocker=self.users[blocker], blocked=self.users[blocked])
        )
        self._expect(f"{blocker} unblocks {blocked}", expected, actual)
        self._touch("rooms", "profiles")

    @rule(user=users, visibility=st.sampled_from([m.PUBLIC, m.MEMBERS, m.HIDDEN]))
    def set_profile_visibility(self, user: str, visibility: str) -> None:
        if not self.model.active[user]:
            return
        expected = self.model.profile_visibility_set(user, visibility)
        actual = outcome_of(
            lambda: profiles.profile_update(user=self.users[user], visibility=visibility)
        )
        self._expect(f"{user} makes their profile {visibility}", expected, actual)
        self._touch("profiles")

    @precondition(lambda self: self.room is None)
    @rule(host=users, participants=st.sets(users, max_size=3))
    def create_room(self, host: str, participants: set[str]) -> None:
        if not self.model.active[host]:
            return
        names = sorted(participants)
        expected = self.model.room_create(None, host, names)
        created = []
        actual = outcome_of(
            lambda: created.append(
                workspaces.workspace_create(
                    host=self.users[host],
                    name="Room",
                    session_type="painting",
                    participants=names,
                )
            )
        )
        self._expect(f"{host} opens a room with {names}", expected, actual)
        if created:
            self.room = created[0].pk
            self.model.room_create(self.room, host, names)
        self._touch("rooms")

    @precondition(lambda self: self.room is not None)
    @rule(actor=actors, user=users)
    def invite_to_room(self, actor: str, user: str) -> None:
        actor = self._who(actor)
        if not self.model.active[actor]:
            return
        expected = self.model.room_invite(actor, self.room, [user])
        actual = outcome_of(
            lambda: workspaces.workspace_invite(
                session=kontact.workspace_get_for(user=self.users[actor], pk=self.room),
                actor=self.users[actor],
                participants=[user],
            )
        )
        self._expect(f"{actor} invites {user} to the room", expected, actual)
        self._touch("rooms")

    @precondition(lambda self: self.room is not None)
    @rule(actor=actors)
    def end_room(self, actor: str) -> None:
        actor = self._who(actor)
        if not self.model.active[actor]:
            return
        expected = self.model.room_end(actor, self.room)
        actual = outcome_of(
            lambda: workspaces.workspace_end(
                session=kontact.workspace_get_for(user=self.users[actor], pk=self.room),
                actor=self.users[actor],
            )
        )
        self._expect(f"{actor} ends the room", expected, actual)
        self._touch("rooms")

    @rule(user=users, active=st.booleans())
    def set_account_active(self, user: str, active: bool) -> None:
        """An administrator deactivates (or reactivates) the account, as the admin site does."""
        self.model.account_set_active(user, active)
        User.objects.filter(pk=self.users[user].pk).update(is_active=active)
        self.users[user].is_active = active
        self._touch("stockage", "rooms", "profiles")


@pytest.fixture
def event_loop_thread():
    loop = EventLoop()
    yield loop
    loop.stop()


@pytest.mark.timeout(max(300, EXAMPLES * STEPS * 20))
@pytest.mark.django_db(transaction=True)
def test_every_access_path_agrees_with_the_model_through_the_lifecycle(event_loop_thread):
    AccessLifecycle.loop = event_loop_thread
    run_state_machine_as_test(
        AccessLifecycle,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            # No "explain" phase: it traces every line, and a socket test traced is too slow.
            phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] * SHRINK),
            suppress_health_check=list(HealthCheck),
        ),
    )
