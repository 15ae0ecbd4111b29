"""Keeps the tokens of share links (`/s/<token>`) and upload links (`/u/<token>`) out of logs.

Installed on the records of requests: Django's `django.request` and `django.server` loggers,
the console handler, and uvicorn's access log (`konnaxion.cli`, `uvicorn_log_config`). A link's
token is its only secret, so a log line naming the path would hand the link to whoever reads
the logs. The record's arguments are rewritten in place (uvicorn's access formatter unpacks
them), as is a message that already holds the path.
"""

from __future__ import annotations

import logging
import re
from typing import Any

LINK_PATH = re.compile(r"/(?P<kind>[su])/[A-Za-z0-9_-]{8,}")
REDACTED = r"/\g<kind>/[redacted]"


def redact_link_tokens(text: str) -> str:
    return LINK_PATH.sub(REDACTED, text)


def _redacted(value: Any) -> Any:
    return redact_link_tokens(value) if isinstance(value, str) else value


class LinkTokenFilter(logging.Filter):
    """Rewrites every string of the record that may hold a link's path; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_link_tokens(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(value) for value in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        return True
