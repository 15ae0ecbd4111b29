"""Streamed answers that an ASGI server sends while they are being read.

Django's ASGI handler reads a `StreamingHttpResponse` over a synchronous iterator whole into
memory before sending its first byte (a 150 MB download would sit in the server's memory).
`SyncStreamingResponse` keeps the synchronous iterator, which the WSGI handler and the test
client read as usual, and under ASGI pulls it a batch at a time in a worker thread, so memory
holds one batch per download.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.http import StreamingHttpResponse

# How much one trip to the worker thread reads: enough to keep the thread hops cheap (16 of them
# for a 16 MB file), small enough that many downloads at once stay within memory.
BATCH_BYTES = 1024 * 1024


def _next_batch(parts: Iterator[bytes]) -> list[bytes]:
    """The next parts of `parts` up to about BATCH_BYTES; an empty list once it is exhausted."""
    batch: list[bytes] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= BATCH_BYTES:
            break
    return batch


class SyncStreamingResponse(StreamingHttpResponse):
    """A streamed response over a synchronous iterator that must not touch the database (file
    bytes: it is read outside the request's thread)."""

    async def __aiter__(self) -> AsyncIterator[bytes]:
        if self.is_async:
            async for part in super().__aiter__():
                yield part
            return
        parts = self.streaming_content
        assert isinstance(parts, Iterator)  # not is_async: Django maps the iterator
        read = sync_to_async(_next_batch, thread_sensitive=False)
        while batch := await read(parts):
            for part in batch:
                yield part
