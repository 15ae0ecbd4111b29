"""The smallest ASGI app that receives a request body: it reads every byte, discards it and
answers with the byte count. The upload benchmark's reference for what the network and the
ASGI server alone allow on this machine (`uvicorn _asgi_sink:app`)."""

from __future__ import annotations

import json


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    received = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        received += len(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = json.dumps({"received": received}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": body})
