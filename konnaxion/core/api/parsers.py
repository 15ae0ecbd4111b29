"""The API's JSON parser: DRF's, with the limits a body read into memory needs.

`json.load` raises `RecursionError` (a 500) on deeply nested input, and strings PostgreSQL
cannot store pass through to the first write. This parser refuses:
- bodies over `DATA_UPLOAD_MAX_MEMORY_SIZE` (413 `request_too_large`), read no further: when
  DRF reads the body from the request stream, rather than through `request.body`, Django's own
  check of that limit is not made;
- nesting deeper than `MAX_JSON_DEPTH` (400 `parse_error`);
- strings (keys included) holding U+0000 or a lone surrogate (400 `parse_error`): PostgreSQL
  stores neither in text or jsonb, so they would fail at the first write, as a 500.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 64


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if stream is not None and limit is not None:
            body = stream.read(limit + 1)
            if len(body) > limit:
                raise RequestDataTooBig(
                    "Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE."
                )
            stream = _BytesStream(body)
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH}") from error
        json_check_storable(data)
        return data


class _BytesStream:
    """The body already read, for DRF's parser (which wraps it in a text decoder)."""

    def __init__(self, body: bytes) -> None:
        self._body = body
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        end = len(self._body) if size is None or size < 0 else self._position + size
        piece = self._body[self._position : end]
        self._position += len(piece)
        return piece


def json_check_storable(data: Any) -> None:
    """Raise ParseError when `data` nests deeper than MAX_JSON_DEPTH or holds a string with
    U+0000 or a lone surrogate. Iterative, so that depth itself cannot exhaust the stack."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_string(value)
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise ParseError(f"JSON parse error - nested deeper than {MAX_JSON_DEPTH}")
            if isinstance(value, dict):
                for key, item in value.items():
                    _check_string(key)
                    pending.append((item, depth + 1))
            else:
                pending.extend((item, depth + 1) for item in value)


def _check_string(text: str) -> None:
    if "\x00" in text:
        raise ParseError("JSON parse error - strings may not contain U+0000")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ParseError("JSON parse error - strings may not contain lone surrogates") from error
