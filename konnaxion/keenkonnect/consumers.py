"""WebSocket consumers of keenKonnect: the live event stream of a project."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from konnaxion.core.consumers import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    AuthenticatedConsumer,
    database_call,
)
from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.selectors import project_get_visible, resources_visible_to
from konnaxion.keenkonnect.services.real_time_sync import (
    event_as_message,
    events_since,
    project_group,
)


class ProjectConsumer(AuthenticatedConsumer):
    """`/ws/projects/<slug>/`: the project's document events, each checked against what the
    connected user may read (`resources_visible_to`), so a document whose entry for the user is
    `none` is never mentioned. `?since=<seq>` first replays the log after `seq`, in order, or
    sends `{"type": "resync"}` when it cannot. A member removed from the team is disconnected.
    """

    project = None
    group = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await super().connect()
            return
        slug = self.scope["url_route"]["kwargs"]["slug"]
        try:
            self.project = await database_call(project_get_visible)(user=user, slug=slug)
        except NotFound:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.readable: dict[int, bool] = {}
        self.last_seq = 0
        self.group = project_group(self.project.pk)
        # Joined before the replay: live events arriving meanwhile wait in the channel and those
        # already replayed are skipped by their sequence number.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._replay()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    def _since(self) -> int | None:
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        values = query.get("since")
        if not values:
            return None
        try:
            since = int(values[0])
        except ValueError:
            return -1
        return since if since >= 0 else -1

    async def _replay(self) -> None:
        since = self._since()
        if since is None:
            self.last_seq = await database_call(self._latest_seq)()
            return
        complete, events = (
            await database_call(events_since)(project_id=self.project.pk, since=since)
            if since >= 0
            else (False, [])
        )
        if not complete:
            self.last_seq = await database_call(self._latest_seq)()
            await self.send_json({"type": "resync", "seq": self.last_seq})
            return
        for event in events:
            message = event_as_message(
                event, actor_name=event.actor.username if event.actor else None
            )
            await self._deliver(
                message,
                hidden_from=event.payload.get("hidden_from", []),
                revoked_from=event.payload.get("revoked_from", []),
            )

    def _latest_seq(self) -> int:
        latest = self.project.events.order_by("-seq").values_list("seq", flat=True).first()
        return latest or 0

    def _may_read(self, resource_id: int) -> bool:
        return (
            resources_visible_to(
                user=self.scope["user"], project=self.project, include_trashed=True
            )
            .filter(pk=resource_id)
            .exists()
        )

    async def _visible(self, message: dict[str, Any], hidden_from: list[int]) -> bool:
        resource_id = message.get("resource")
        if resource_id is None:
            return True
        if message["type"] == "resource.removed":
            # The document is gone: it was readable unless the user's entry said `none`.
            known = self.readable.get(resource_id)
            if known is not None:
                return known
            return self.scope["user"].pk not in hidden_from
        if resource_id not in self.readable:
            self.readable[resource_id] = await database_call(self._may_read)(resource_id)
        return self.readable[resource_id]

    async def _deliver(
        self,
        message: dict[str, Any],
        *,
        hidden_from: list[int],
        revoked_from: list[int] | tuple[int, ...] = (),
    ) -> None:
        if message["seq"] <= self.last_seq:
            return
        self.last_seq = message["seq"]
        if message["type"] == "resource.permissions_changed":
            self.readable.pop(message["resource"], None)
        if await self._visible(message, hidden_from):
            await self.send_json(message)
        elif self.scope["user"].pk in revoked_from:
            # The user's entry just became `none`: only the id they already had, so that their
            # open page drops the document; nothing about it after this.
            await self.send_json(
                {
                    "type": message["type"],
                    "seq": message["seq"],
                    "resource": message["resource"],
                    "readable": False,
                }
            )

    async def project_event(self, event: dict[str, Any]) -> None:
        await self._deliver(
            event["event"],
            hidden_from=event.get("hidden_from", []),
            revoked_from=event.get("revoked_from", []),
        )

    async def project_membership(self, event: dict[str, Any]) -> None:
        if event["user"] != self.scope["user"].pk:
            return
        self.readable.clear()
        if event["removed"]:
            await self.close(code=CLOSE_FORBIDDEN)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_error("read_only", "This stream only sends events.")
