"""Editor slots of collaboration rooms: at most `COLLAB_CANVAS_MAX_USERS` editors per room.

The state lives in Redis (`COLLAB_ROOMS_REDIS_URL`, its own logical database), never in a
process, so the cap holds for every ASGI server process at once. Per room:

- `room:<id>:slots`, a sorted set of user ids scored by the expiry of their slot (milliseconds,
  Redis server clock);
- `room:<id>:connections`, a hash user id -> the connection currently holding that user's slot.

Each operation is one Lua script, which Redis runs atomically: expired slots are dropped, then
the slot is granted, refreshed or released. Slots are keyed by user: a user who reconnects
before their slot expires keeps it, under the new connection id; the previous connection's
heartbeats and release then no longer touch it.
"""

from __future__ import annotations

import enum
from functools import cache

import redis
from django.conf import settings

# KEYS: slots, connections. ARGV: user, connection, ttl ms, cap.
_ACQUIRE = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local ttl = tonumber(ARGV[3])
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('HDEL', KEYS[2], unpack(expired))
end
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not held and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('PEXPIRE', KEYS[1], ttl * 2)
redis.call('PEXPIRE', KEYS[2], ttl * 2)
if held then return 2 end
return 1
"""

# KEYS: slots, connections. ARGV: user, connection, ttl ms.
_HEARTBEAT = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local held = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not held or tonumber(held) <= now or redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end
local ttl = tonumber(ARGV[3])
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[1], ttl * 2)
redis.call('PEXPIRE', KEYS[2], ttl * 2)
return 1
"""

# KEYS: slots, connections. ARGV: user, connection.
_RELEASE = """
if redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then
  return 0
end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""

# KEYS: slots. Returns the user ids holding a live slot.
_HOLDERS = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
"""


class SlotResult(enum.StrEnum):
    ADMITTED = "admitted"
    RECLAIMED = "reclaimed"  # the user's slot was still held: the new connection keeps it
    ROOM_FULL = "room_full"


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _redis() -> redis.Redis:
    return _client(settings.COLLAB_ROOMS_REDIS_URL)


def _keys(room_id: int | str) -> list[str]:
    return [f"room:{room_id}:slots", f"room:{room_id}:connections"]


def _ttl_ms(ttl_seconds: float | None) -> int:
    seconds = settings.COLLAB_ROOM_SLOT_TTL_SECONDS if ttl_seconds is None else ttl_seconds
    return max(1, int(seconds * 1000))


def slot_acquire(
    *,
    room_id: int | str,
    connection_id: str,
    user_id: int | str,
    ttl_seconds: float | None = None,
    cap: int | None = None,
) -> SlotResult:
    """Give `user_id` an editor slot in the room for `connection_id`, atomically across processes.

    ROOM_FULL when `cap` (default `COLLAB_CANVAS_MAX_USERS`) other users hold live slots;
    RECLAIMED when the user already held one (a reconnection), which moves to this connection.
    """
    limit = settings.COLLAB_CANVAS_MAX_USERS if cap is None else cap
    outcome = _redis().eval(
        _ACQUIRE, 2, *_keys(room_id), str(user_id), connection_id, _ttl_ms(ttl_seconds), limit
    )
    return {0: SlotResult.ROOM_FULL, 1: SlotResult.ADMITTED, 2: SlotResult.RECLAIMED}[outcome]


def slot_heartbeat(
    *,
    room_id: int | str,
    connection_id: str,
    user_id: int | str,
    ttl_seconds: float | None = None,
) -> bool:
    """Extend the slot held by `connection_id`; False when it expired or another connection of
    the same user took it over (the caller then re-acquires or stops editing)."""
    refreshed = _redis().eval(
        _HEARTBEAT, 2, *_keys(room_id), str(user_id), connection_id, _ttl_ms(ttl_seconds)
    )
    return refreshed == 1


def slot_release(*, room_id: int | str, connection_id: str, user_id: int | str) -> bool:
    """Free the slot if `connection_id` still holds it; False when it did not (nothing changes)."""
    released = _redis().eval(_RELEASE, 2, *_keys(room_id), str(user_id), connection_id)
    return released == 1


def slot_holders(*, room_id: int | str) -> list[str]:
    """The user ids holding a live editor slot in the room."""
    return [user.decode() for user in _redis().eval(_HOLDERS, 1, _keys(room_id)[0])]
