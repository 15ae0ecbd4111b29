"""The address of the client that sent a request, the one answer every part of the platform uses.

`TRUSTED_PROXY_COUNT` says how many reverse proxies of our own stand in front of the server.
With none (the default, and the embedded run), `X-Forwarded-For` is whatever the client chose
to send and is never read: the client is the peer of the connection (`REMOTE_ADDR`). Behind N
proxies, each of them appends the address it received the request from, so the N-th entry
from the right of `X-Forwarded-For` was written by our outermost proxy and names the client;
entries further left were written by the client itself and are ignored.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings


def client_address_from(*, remote_addr: str, forwarded_for: str | None, proxy_count: int) -> str:
    """The client's address given the connection's peer and the `X-Forwarded-For` header."""
    if proxy_count <= 0 or not forwarded_for:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    # Fewer entries than proxies: the request reached a proxy nearer than the outermost one;
    # its left-most entry is still the furthest address a proxy of ours wrote.
    address = hops[-min(proxy_count, len(hops))]
    return address or remote_addr


def client_address(request: Any) -> str:
    """The client's address for `request` (a Django or DRF request): see the module docstring."""
    meta = request.META
    return client_address_from(
        remote_addr=meta.get("REMOTE_ADDR", "") or "",
        forwarded_for=meta.get("HTTP_X_FORWARDED_FOR"),
        proxy_count=settings.TRUSTED_PROXY_COUNT,
    )
