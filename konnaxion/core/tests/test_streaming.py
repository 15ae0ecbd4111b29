"""A streamed file is sent as it is read under ASGI, not read whole first."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from django.http import StreamingHttpResponse

from konnaxion.core.streaming import BATCH_BYTES, SyncStreamingResponse

PART = b"x" * (64 * 1024)
PARTS = 64  # 4 MB


def counting_parts(read: list[int]) -> Iterator[bytes]:
    for _ in range(PARTS):
        read[0] += 1
        yield PART


def parts_read_before_first_byte(response_class: type[StreamingHttpResponse]) -> int:
    read = [0]
    response = response_class(counting_parts(read))

    async def first_part() -> int:
        async for _ in response:
            return read[0]
        raise AssertionError("nothing was sent")

    return asyncio.run(first_part())


@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume")
def test_under_asgi_the_first_bytes_leave_before_the_file_is_read_whole():
    # Django's own response reads everything first (the behaviour this class exists to avoid)
    assert parts_read_before_first_byte(StreamingHttpResponse) == PARTS
    # this one reads one batch
    assert parts_read_before_first_byte(SyncStreamingResponse) == BATCH_BYTES // len(PART)


def test_every_byte_arrives_in_order_under_asgi_and_wsgi():
    def numbered() -> Iterator[bytes]:
        for number in range(100):
            yield number.to_bytes(2, "big") * 20_000

    async def read_async() -> bytes:
        return b"".join([part async for part in SyncStreamingResponse(numbered())])

    expected = b"".join(numbered())
    assert asyncio.run(read_async()) == expected
    assert b"".join(SyncStreamingResponse(numbered())) == expected


def test_an_async_iterator_is_passed_through():
    async def parts():
        yield b"a"
        yield b"b"

    async def read() -> bytes:
        return b"".join([part async for part in SyncStreamingResponse(parts())])

    assert asyncio.run(read()) == b"ab"
