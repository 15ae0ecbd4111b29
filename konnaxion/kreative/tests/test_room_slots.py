"""Editor slots against the real Redis server, with real concurrency."""

from __future__ import annotations

import random
import threading
import time
import uuid

import pytest
import redis
from django.conf import settings

from konnaxion.kreative.realtime.slots import (
    SlotResult,
    slot_acquire,
    slot_heartbeat,
    slot_holders,
    slot_release,
)

TRIALS = 200


def new_room() -> str:
    return f"test-{uuid.uuid4().hex}"


def fill(room: str, users: range) -> None:
    for user in users:
        assert slot_acquire(room_id=room, connection_id=f"c{user}", user_id=user) in {
            SlotResult.ADMITTED,
            SlotResult.RECLAIMED,
        }


def race(room: str, contenders: int) -> list[SlotResult]:
    """`contenders` threads, released at once by a barrier, each asking for a slot."""
    barrier = threading.Barrier(contenders)
    results: list[SlotResult] = []
    lock = threading.Lock()

    def contend(user: int) -> None:
        barrier.wait()
        outcome = slot_acquire(room_id=room, connection_id=f"conn-{user}", user_id=user)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=contend, args=(user,)) for user in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_racing_editors_never_exceed_the_cap_and_always_fill_it():
    # given
    rng = random.Random(14)
    outcomes = []
    # when
    for _ in range(TRIALS):
        room = new_room()
        results = race(room, rng.randint(7, 10))
        outcomes.append((results.count(SlotResult.ADMITTED), len(slot_holders(room_id=room))))
    # then
    cap = settings.COLLAB_CANVAS_MAX_USERS
    assert outcomes == [(cap, cap)] * TRIALS


def test_slots_live_in_their_own_redis_database():
    # given
    room = new_room()
    # when
    slot_acquire(room_id=room, connection_id="c1", user_id=1)
    # then
    assert settings.COLLAB_ROOMS_REDIS_URL.endswith(("/4", "db=4"))
    assert redis.Redis.from_url(settings.COLLAB_ROOMS_REDIS_URL).zscore(f"room:{room}:slots", "1")


def test_a_user_who_reconnects_keeps_their_slot_in_a_full_room():
    # given
    room = new_room()
    fill(room, range(6))
    # when
    again = slot_acquire(room_id=room, connection_id="c0-new", user_id=0)
    outsider = slot_acquire(room_id=room, connection_id="c9", user_id=9)
    # then
    assert again == SlotResult.RECLAIMED
    assert outsider == SlotResult.ROOM_FULL
    # the dropped connection no longer refreshes nor frees the slot; the new one does
    assert slot_heartbeat(room_id=room, connection_id="c0", user_id=0) is False
    assert slot_release(room_id=room, connection_id="c0", user_id=0) is False
    assert "0" in slot_holders(room_id=room)
    assert slot_heartbeat(room_id=room, connection_id="c0-new", user_id=0) is True
    assert slot_release(room_id=room, connection_id="c0-new", user_id=0) is True
    assert slot_acquire(room_id=room, connection_id="c9", user_id=9) == SlotResult.ADMITTED


def test_a_slot_whose_heartbeats_stop_is_freed_after_its_ttl():
    # given
    room = new_room()
    for user in range(6):
        slot_acquire(room_id=room, connection_id=f"c{user}", user_id=user, ttl_seconds=0.5)
    assert slot_acquire(room_id=room, connection_id="c9", user_id=9) == SlotResult.ROOM_FULL
    # when
    time.sleep(0.6)
    # then
    assert slot_holders(room_id=room) == []
    assert slot_heartbeat(room_id=room, connection_id="c0", user_id=0) is False
    assert slot_acquire(room_id=room, connection_id="c9", user_id=9) == SlotResult.ADMITTED


def test_heartbeats_keep_a_slot_past_its_first_ttl():
    # given
    room = new_room()
    slot_acquire(room_id=room, connection_id="c1", user_id=1, ttl_seconds=2)
    # when
    for _ in range(3):
        time.sleep(1)
        assert slot_heartbeat(room_id=room, connection_id="c1", user_id=1, ttl_seconds=2)
    # then
    assert slot_holders(room_id=room) == ["1"]


@pytest.mark.parametrize("cap", [1, 3])
def test_the_cap_can_be_given(cap):
    # given
    room = new_room()
    # when
    results = [
        slot_acquire(room_id=room, connection_id=f"c{user}", user_id=user, cap=cap)
        for user in range(cap + 2)
    ]
    # then
    assert results == [SlotResult.ADMITTED] * cap + [SlotResult.ROOM_FULL] * 2
