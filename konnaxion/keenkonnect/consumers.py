"""WebSocket consumers of keenKonnect: the live event stream of a project."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from konnaxion.core.consumers import (
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_UNAUTHENTICATED,
    AuthenticatedConsumer,
    database_call,
)
from konnaxion.core.errors import NotFound
from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.selectors import (
    TwoFactorRequired,
    project_get_visible,
    project_role_of,
    projects_visible_to,
    resources_visible_to,
    second_factor_missing,
)
from konnaxion.keenkonnect.services.real_time_sync import (
    event_as_message,
    events_since,
    project_group,
)
from konnaxion.users.models import User


class ProjectConsumer(AuthenticatedConsumer):
    """`/ws/projects/<slug>/`: the project's document events, each checked against what the
    connected user may read (`resources_visible_to`), so a document whose entry for the user is
    `none` is never mentioned. `?since=<seq>` first replays the log after `seq`, in order, or
    sends `{"type": "resync"}` when it cannot.

    Access is not trusted from the connection on: what the socket knows of each document is
    kept only until the next `project.access_changed` event (a member removed, a role changed,
    the visibility flipped, the project deleted) or a gap in the sequence numbers (an event
    still on its way may be one); then the user's access to the project is checked again and
    the socket closes with 4404 when the project is no longer visible, 4403 when its user left
    the team or lacks the second factor the project requires (after an error frame
    `two_factor_required`). Before each event is sent the account is checked to be still
    active (4401).
    """

    project = None
    group = None
    # The refusal told in an error frame before the socket closes, when there is one to tell.
    refusal: TwoFactorRequired | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await super().connect()
            return
        slug = self.scope["url_route"]["kwargs"]["slug"]
        try:
            self.project = await database_call(project_get_visible)(user=user, slug=slug)
        except NotFound:
            await self.refuse(CLOSE_NOT_FOUND)
            return
        except TwoFactorRequired as refusal:
            await self.refuse(CLOSE_FORBIDDEN, error=(refusal.code, refusal.message))
            return
        self.readable: dict[int, bool] = {}
        self.last_seq = 0
        self.role = await database_call(project_role_of)(project=self.project, user=user)
        self.closing = False
        self.group = project_group(self.project.pk)
        # Joined before the replay: live events arriving meanwhile wait in the channel and those
        # already replayed are skipped by their sequence number.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._replay()

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

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
        # Access was checked just now: the replay is judged by what the user may see today.
        self.last_seq = since
        for event in events:
            message = event_as_message(
                event, actor_name=event.actor.username if event.actor else None
            )
            await self._deliver(
                message,
                hidden_from=event.payload.get("hidden_from", []),
                revoked_from=event.payload.get("revoked_from", []),
                live=False,
            )
            if self.closing:
                return

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

    def _account_active(self) -> bool:
        return User.objects.filter(pk=self.scope["user"].pk, is_active=True).exists()

    def _access_now(self) -> tuple[int | None, str | None]:
        """The close code the socket deserves now (None to stay open) and the user's role."""
        user = User.objects.filter(pk=self.scope["user"].pk, is_active=True).first()
        if user is None:
            return CLOSE_UNAUTHENTICATED, None
        required = (
            Project.objects.filter(pk=self.project.pk)
            .values_list("two_factor_required", flat=True)
            .first()
        )
        if required is None:
            return CLOSE_NOT_FOUND, None
        self.project.two_factor_required = required
        if second_factor_missing(project=self.project, user=user):
            self.refusal = TwoFactorRequired()
            return CLOSE_FORBIDDEN, None
        if not projects_visible_to(user=user).filter(pk=self.project.pk).exists():
            return CLOSE_NOT_FOUND, None
        role = project_role_of(project=self.project, user=user)
        if self.role is not None and role is None:
            return CLOSE_FORBIDDEN, None
        return None, role

    async def _close_for(self, code: int) -> None:
        self.closing = True
        self.readable.clear()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
        if self.refusal is not None:
            await self.send_error(self.refusal.code, self.refusal.message)
        await self.close(code=code)

    async def _recheck(self) -> bool:
        """Forget what was known of each document and check the project's access again.
        Returns False when the socket was closed."""
        self.readable.clear()
        code, role = await database_call(self._access_now)()
        if code is not None:
            await self._close_for(code)
            return False
        self.role = role
        return True

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
        live: bool = True,
    ) -> None:
        """Send `message` if its user may know of it. A replayed one (`live` False) comes from
        the log just read, after the access was checked at connection."""
        if self.closing or message["seq"] <= self.last_seq:
            return
        gap = live and message["seq"] > self.last_seq + 1
        self.last_seq = message["seq"]
        if (gap or message["type"] == "project.access_changed") and not await self._recheck():
            return
        if live and not await database_call(self._account_active)():
            await self._close_for(CLOSE_UNAUTHENTICATED)
            return
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

    async def project_access(self, event: dict[str, Any]) -> None:
        if not self.closing:
            await self._recheck()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_error("read_only", "This stream only sends events.")
