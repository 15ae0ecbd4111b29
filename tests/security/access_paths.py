"""The access paths the lifecycle test (`test_access_lifecycle.py`) compares with its reference
model (`access_model.py`) after every step, for every user and for nobody signed in, and what
the state machine needs to hold them: an event loop for the sockets that stay open across steps,
and the translation of service answers into the model's words.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.test import override_settings
from hypothesis.stateful import (
    invariant,
)

from config.asgi import application
from konnaxion.core.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from konnaxion.core.tests.sockets import ADMITTED, socket_open
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services import (
    real_time_sync,
)
from konnaxion.keenkonnect.services import secure_document_storage as storage
from tests.security import access_model as m

# The families of paths checked (all by default): a narrower run finds a second defect while a
# first one, on another path, is being fixed.
# "web" is the pages of signed-in users, "visitors" those of nobody signed in, "canonical" the
# canonical data-model API of rooms (/api/kreative/collab-sessions/).
PATHS = set(
    os.environ.get("ACCESS_PATHS", "api,web,visitors,sockets,rooms,canonical,profiles").split(",")
)

USERS = ["alice", "bob", "carol", "dave", "eve"]
VIEWERS: list[str | None] = [*USERS, None]
MAX_DOCUMENTS = 4
# Words found in one title each (documents) or one headline each (profiles), nowhere else.
DOCUMENT_WORDS = ["amethyst", "basalt", "cobalt", "dolomite", "emerald", "feldspar", "garnet"]
PROFILE_WORDS = {"alice": "zirconia", "bob": "yttrium", "carol": "xenotime", "dave": "wulfenite"}
PROFILE_WORDS["eve"] = "vanadinite"
SOCKET_TIMEOUT = 5
# A PDF hit's link carries the query and the page of the hit (`?q=...#page=N`).
DOCUMENT_LINK = re.compile(r'href="/projects/[-\w]+/blueprints/(\d+)/[?#"]')


class EventLoop:
    """One event loop in a thread of its own, for the sockets that stay open across steps
    (a communicator belongs to the loop it was started in)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def outcome_of(call) -> str:
    """What the API would answer to a service call, in the model's words."""
    try:
        call()
    except NotFound:
        return m.NOT_FOUND
    except PermissionDenied:
        return m.DENIED
    except (ValidationFailed, Conflict):
        return m.REFUSED
    return m.OK


def status_outcome(status: int) -> str:
    return {200: m.OK, 204: m.OK, 403: m.DENIED, 404: m.NOT_FOUND}.get(status, str(status))


@dataclass
class ProjectSocket:
    communicator: WebsocketCommunicator
    member: bool  # the user was on the team when the socket opened
    messages: list[dict] = field(default_factory=list)


class AccessPathChecks:
    """The invariant of `AccessLifecycle`: every path agrees with the model (a mixin: the state
    machine holds `model`, `users`, the project rows and the open sockets)."""

    def _gone(self, document: int) -> bool:
        state = self.model.documents[document]
        return state.purged or self.model.projects[state.project].deleted

    def _word(self, document: int) -> str:
        return self.model.documents[document].word

    def _words(self, ids) -> list[str]:
        return sorted(
            str(self.model.documents[i].word if i in self.model.documents else i) for i in ids
        )

    def _agree(self, what: str, actual: Any, expected: Any) -> None:
        """Record a path that disagrees with the model (all are reported together)."""
        if actual != expected:
            self.mismatches.append(f"{what}: the product gives {actual}, the model {expected}")

    @invariant()
    def every_path_agrees_with_the_model(self) -> None:
        self.mismatches: list[str] = []
        # Each check sends a few hundred requests: the throttles' counters start again, so that
        # an answer never depends on how fast the previous steps ran.
        cache.clear()
        if self.dirty["stockage"]:
            self._check_stockage()
            if "sockets" in PATHS:
                self._check_sockets()
        if self.dirty["rooms"] and self.room is not None and "rooms" in PATHS:
            self._check_rooms()
        if self.dirty["profiles"] and "profiles" in PATHS:
            self._check_profiles()
        self.dirty = dict.fromkeys(self.dirty, False)
        assert not self.mismatches, "\n".join(["paths disagree with the model:", *self.mismatches])

    def _pages_for(self, viewer: str | None) -> bool:
        return ("web" if viewer is not None else "visitors") in PATHS

    def _get(self, viewer: str | None, url: str, **params: Any):
        return self.clients[viewer].get(url, params)

    def _ids(self, response) -> set[int] | int:
        """The ids of a list answer, or its status when it is not a list."""
        if response.status_code != 200:
            return response.status_code
        return {int(r["id"]) for r in response.json()["results"]}

    # Stockage ------------------------------------------------------------------------------

    def _check_stockage(self) -> None:
        model = self.model
        live = [d for d in model.documents.values() if not self._gone(d.key)]
        query = " or ".join(d.word for d in model.documents.values()) or "nothing"
        for viewer in VIEWERS:
            who = viewer or "nobody"
            for key, project in self.projects.items():
                of_project = [d for d in live if d.project == key]
                if "api" in PATHS:
                    self._check_project_api(viewer, who, key, project.slug, of_project)
                if self._pages_for(viewer):
                    self._check_project_web(viewer, who, key, project.slug, of_project)
                for document in of_project:
                    self._check_document(viewer, who, project.slug, document)
            readable = {d.key for d in live if model.readable(viewer, d.key)}
            if "api" in PATHS:
                response = self._get(viewer, "/api/search/", kind="document", page_size=50, q=query)
                # The API answers 401 to nobody signed in (a deactivated account's session is
                # nobody's).
                self._agree(
                    f"GET /api/search/ (documents) by {who}",
                    self._ids(response),
                    readable if model.signed_in(viewer) else 401,
                )
                if model.signed_in(viewer):
                    self._check_bounded_search(viewer, who, query, readable)
            if self._pages_for(viewer):
                response = self._get(viewer, "/search/", q=query)
                self._agree(f"GET /search/ by {who}: status", response.status_code, 200)
                if response.status_code == 200:
                    # The results' links (the page also repeats the query in its form).
                    shown = {int(i) for i in DOCUMENT_LINK.findall(response.content.decode())}
                    self._agree(
                        f"GET /search/ by {who}: documents shown",
                        self._words(shown),
                        self._words(readable),
                    )

    def _check_bounded_search(self, viewer, who: str, query: str, readable: set) -> None:
        """The ranking bounded by the candidates (docs/search.md, "Broad queries"): with one
        candidate, a query matching several documents ranks one readable document, and counts
        every readable match, none other."""
        with override_settings(SEARCH_CANDIDATES=1):
            response = self._get(viewer, "/api/search/", kind="document", page_size=50, q=query)
        ids = self._ids(response)
        self._agree(
            f"GET /api/search/ (documents, one candidate) by {who}: ranked",
            isinstance(ids, set) and ids <= readable and len(ids) == min(1, len(readable)),
            True,
        )
        count = response.json()["count"] if response.status_code == 200 else None
        self._agree(
            f"GET /api/search/ (documents, one candidate) by {who}: count", count, len(readable)
        )

    def _check_project_api(self, viewer, who: str, key: str, slug: str, of_project) -> None:
        model = self.model
        visible = model.project_visible(viewer, key)
        readable = {d.key for d in of_project if model.readable(viewer, d.key)}
        trash = {d.key for d in of_project if model.in_trash(viewer, d.key)}
        # Nobody signed in (a deactivated account's session is nobody's) reads a public
        # project's documents through the API too (the pages embed their previews and
        # downloads), and is asked to sign in (401) for the others and for the project API
        # (docs/permissions.md, "Stockage").
        denied = 404 if model.signed_in(viewer) else 401
        response = self._get(viewer, f"/api/keenkonnect/projects/{slug}/")
        self._agree(
            f"GET project {key} by {who}",
            response.status_code,
            200 if visible and model.signed_in(viewer) else denied,
        )
        response = self._get(viewer, f"/api/projects/{slug}/resources/")
        self._agree(
            f"GET documents of {key} by {who}", self._ids(response), readable if visible else denied
        )
        response = self._get(viewer, f"/api/projects/{slug}/resources/trash/")
        self._agree(
            f"GET trash of {key} by {who}", self._ids(response), trash if visible else denied
        )
        if model.signed_in(viewer):
            # The project itself as a result of the search (kind=project, docs/search.md).
            response = self._get(viewer, "/api/search/", kind="project", q=f'"{key} project"')
            found = (
                {r["id"] for r in response.json()["results"]}
                if response.status_code == 200
                else response.status_code
            )
            self._agree(f"search for project {key} by {who}", found, {slug} if visible else set())

    def _check_project_web(self, viewer, who: str, key: str, slug: str, of_project) -> None:
        model = self.model
        visible = model.project_visible(viewer, key)
        readable = {d.key for d in of_project if model.readable(viewer, d.key)}
        trash = {d.key for d in of_project if model.in_trash(viewer, d.key)}
        response = self._get(viewer, f"/projects/{slug}/", tab="blueprints")
        what = f"Blueprints tab of {key} for {who}"
        self._agree(f"{what}: status", response.status_code, 200 if visible else 404)
        if visible and response.status_code == 200:
            page = response.content.decode()
            self._agree(
                f"{what}: documents shown",
                self._words(d.key for d in of_project if d.word in page),
                self._words(readable | trash),
            )

    def _check_document(self, viewer, who: str, slug: str, document: m.DocumentState) -> None:
        model = self.model
        readable = model.readable(viewer, document.key)
        base = f"/api/projects/{slug}/resources/{document.key}/"
        what = f"document {document.word} for {who}"
        if "api" in PATHS:
            visible = model.project_visible(viewer, document.project)
            expected = 200 if readable else (404 if visible or model.signed_in(viewer) else 401)
            response = self._get(viewer, base)
            self._agree(f"GET {what}", response.status_code, expected)
            if response.status_code == 200:
                self._agree(
                    f"my_level of {what}",
                    response.json()["my_level"],
                    m.LEVEL_NAMES[model.level(viewer, document.key)],
                )
            response = self._get(viewer, f"{base}download/")
            self._agree(f"download of {what}", response.status_code, expected)
        if self._pages_for(viewer):
            response = self._get(viewer, f"/projects/{slug}/blueprints/{document.key}/")
            self._agree(f"page of {what}", response.status_code, 200 if readable else 404)
            if response.status_code == 200:
                self._agree(
                    f"title on the page of {what}", document.word in response.content.decode(), True
                )

    # Sockets on /ws/projects/<slug>/ ------------------------------------------------------

    async def _connect(self, user: str, path: str) -> tuple[WebsocketCommunicator, bool, Any]:
        headers = [
            (b"origin", b"http://localhost"),
            (b"host", b"localhost"),
            (b"authorization", f"Token {self.tokens[user]}".encode()),
        ]
        communicator = WebsocketCommunicator(application, path, headers=headers)
        opening = await socket_open(communicator, timeout=SOCKET_TIMEOUT)
        return communicator, opening == ADMITTED, opening

    async def _drain(self, socket: ProjectSocket, until_seq: int) -> bool:
        """Collect the socket's messages up to the marker event `until_seq`; False when the
        socket was closed first."""
        while True:
            output = await socket.communicator.receive_output(timeout=SOCKET_TIMEOUT)
            if output["type"] == "websocket.close":
                return False
            message = json.loads(output["text"])
            socket.messages.append(message)
            if message.get("seq") == until_seq and message.get("resource") is None:
                return True

    def _closes(self, communicator: WebsocketCommunicator) -> bool:
        """Whether the socket is closed (after what it still had to say)."""

        async def closed() -> bool:
            try:
                while True:
                    output = await communicator.receive_output(timeout=1)
                    if output["type"] == "websocket.close":
                        return True
            except TimeoutError:
                return False

        return self.loop.run(closed())

    def _check_sockets(self) -> None:
        """Each live document is renamed (same title) by an owner, then a marker event (about
        no document) is recorded. Between the two, an open socket must hear of exactly the
        documents its user may read now; a socket whose user lost the project must be closed."""
        model = self.model
        probed: dict[str, set[int]] = {}
        markers: dict[str, int] = {}
        for key, project in self.projects.items():
            if model.projects[key].deleted:
                continue
            # The probe is made by an owner whose account is open (a closed account reads
            # nothing); with none, the project's sockets are only checked to hear nothing more.
            owners = [name for name in model.owners_of(key) if model.active[name]]
            probed[key] = set()
            for document in model.live_documents() if owners else []:
                owner = self.users[owners[0]]
                if document.project == key and not document.trashed:
                    resource = resource_get_visible(
                        user=owner, project=project, resource_id=document.key
                    )
                    storage.resource_update(resource=resource, actor=owner, title=resource.title)
                    probed[key].add(document.key)
            markers[key] = real_time_sync.event_record(
                project_id=project.pk,
                type="resource.indexed",
                resource_id=None,
                version=None,
                actor=None,
            ).seq
        for (user, key), socket in list(self.sockets.items()):
            what = f"socket of {user} on {key}"
            if model.projects[key].deleted:
                self._agree(
                    f"{what}: closed once the project is deleted",
                    self._closes(socket.communicator),
                    True,
                )
                self.loop.run(socket.communicator.disconnect())
                del self.sockets[(user, key)]
                continue
            socket.messages.clear()
            still_open = self.loop.run(self._drain(socket, markers[key]))
            first_probe = markers[key] - len(probed[key])
            heard = {
                message["resource"]
                for message in socket.messages
                if message.get("type") == "resource.updated"
                and message.get("seq", 0) >= first_probe
                and "readable" not in message
            }
            readable = {d for d in probed[key] if model.readable(user, d)}
            keeps_project = model.project_visible(model.signed_in(user), key) and (
                model.signed_in(user) is not None
            )
            if still_open:
                self._agree(
                    f"{what}: documents heard of", self._words(heard), self._words(readable)
                )
                self._agree(f"{what}: open", True, keeps_project)
            else:
                self._agree(f"{what}: documents heard of", self._words(heard - readable), [])
                # Closed: right when the user lost the project, or left the team it was opened as
                # a member of (a removed member is disconnected, docs/search.md).
                left_team = socket.member and model.role(user, key) is None
                self._agree(f"{what}: closed", True, not keeps_project or left_team)
                del self.sockets[(user, key)]
        self._open_sockets()

    def _open_sockets(self) -> None:
        """Open a socket wherever one is missing: accepted iff its user (signed in with a token)
        may see the project."""
        model = self.model
        for key, project in self.projects.items():
            if model.projects[key].deleted:
                continue
            for user in USERS:
                if (user, key) in self.sockets:
                    continue
                allowed = model.signed_in(user) is not None and model.project_visible(user, key)
                communicator, connected, _ = self.loop.run(
                    self._connect(user, f"/ws/projects/{project.slug}/")
                )
                self._agree(f"socket of {user} on {key} accepted", connected, allowed)
                if connected:
                    self.sockets[(user, key)] = ProjectSocket(
                        communicator, member=model.role(user, key) is not None
                    )

    # Rooms and profiles ------------------------------------------------------------------

    def _check_rooms(self) -> None:
        model = self.model
        room = self.room
        for viewer in VIEWERS:
            who = viewer or "nobody"
            access = model.room_access(viewer, room)
            signed_in = model.signed_in(viewer) is not None
            bases = ["/api/connect/workspaces/"]
            if "canonical" in PATHS:
                bases.append("/api/kreative/collab-sessions/")
            for base in bases:
                response = self._get(viewer, f"{base}{room}/")
                if signed_in:
                    self._agree(
                        f"GET {base}<room>/ by {who}", response.status_code, 200 if access else 404
                    )
                    self._agree(
                        f"GET {base} by {who}",
                        self._ids(self._get(viewer, base)),
                        {room} if access else set(),
                    )
                else:
                    self._agree(
                        f"GET {base}<room>/ by {who}", response.status_code in (401, 404), True
                    )
            if self._pages_for(viewer):
                response = self._get(viewer, f"/connect/workspaces/{room}/")
                expected = (200 if access else 404) if signed_in else 302  # to the sign-in page
                self._agree(f"room page for {who}", response.status_code, expected)
            if viewer is not None and "sockets" in PATHS:
                self._check_room_socket(viewer, access)

    def _check_room_socket(self, user: str, access: str | None) -> None:
        """The user's open socket on the room is closed once access is lost to a block; a user
        without one joins: welcomed as the model's role, or refused."""
        what = f"room socket of {user}"
        communicator = self.room_sockets.get(user)
        if communicator is not None and not self.model.active[user]:
            # A deactivated account's socket finds out by itself within a heartbeat interval
            # (10 s, docs/permissions.md, "Kontact and Kreative"): too slow to wait for here.
            self.loop.run(communicator.disconnect())
            del self.room_sockets[user]
            communicator = None
        if communicator is not None and access is None:
            self._agree(f"{what}: closed once access is lost", self._closes(communicator), True)
            self.loop.run(communicator.disconnect())
            del self.room_sockets[user]
        if user not in self.room_sockets:
            communicator, role = self.loop.run(self._room_join(user, self.room))
            self._agree(f"{what}: role on joining", role, access)
            if role is not None:
                self.room_sockets[user] = communicator

    async def _room_join(self, user: str, room: int):
        communicator, connected, _ = await self._connect(user, f"/ws/connect/workspaces/{room}/")
        if not connected:
            return communicator, None
        welcome = await communicator.receive_json_from(timeout=SOCKET_TIMEOUT)
        if welcome.get("type") != "welcome":
            await communicator.disconnect()
            return communicator, None
        return communicator, welcome["role"]

    def _check_profiles(self) -> None:
        model = self.model
        owners = USERS
        query = " or ".join(PROFILE_WORDS[user] for user in USERS)
        for viewer in VIEWERS:
            who = viewer or "nobody"
            visible = {owner for owner in owners if model.profile_visible(viewer, owner)}
            for owner in owners:
                response = self._get(viewer, f"/api/profiles/{owner}/")
                self._agree(
                    f"GET profile of {owner} by {who}",
                    response.status_code,
                    200 if owner in visible else 404,
                )
            if model.signed_in(viewer) is None:
                continue
            response = self._get(viewer, "/api/search/", kind="profile", page_size=50, q=query)
            found = (
                {r["id"] for r in response.json()["results"] if r["kind"] == "profile"}
                if response.status_code == 200
                else response.status_code
            )
            self._agree(
                f"GET /api/search/ (profiles) by {who}",
                sorted(found & set(owners)) if isinstance(found, set) else found,
                sorted(visible),
            )
