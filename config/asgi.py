"""ASGI entry point: HTTP through Django, WebSockets through Channels (`/ws/...`).

Multipart API bodies (uploads) reach their view as a stream (`StreamingASGIHandler`).
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup(set_prefix=False)

from konnaxion.core.streamed_body import StreamingASGIHandler  # noqa: E402

django_application = StreamingASGIHandler()

# Imported after Django is set up: the routing imports models.
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.websocket_urls import websocket_urlpatterns  # noqa: E402
from konnaxion.core.asgi import (  # noqa: E402
    RequestBodyLimit,
    RequestHeaderLimit,
    WebSocketAuthMiddleware,
)

application = RequestHeaderLimit(
    ProtocolTypeRouter(
        {
            "http": RequestBodyLimit(django_application),
            "websocket": AllowedHostsOriginValidator(
                WebSocketAuthMiddleware(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
