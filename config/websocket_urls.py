"""Every WebSocket route, under /ws/; each app contributes its own `routing.py`."""

from django.urls import re_path

from konnaxion.core.consumers import NotFoundConsumer
from konnaxion.core.routing import websocket_urlpatterns as core_routes
from konnaxion.keenkonnect.routing import websocket_urlpatterns as keenkonnect_routes
from konnaxion.kreative.routing import websocket_urlpatterns as kreative_routes
from konnaxion.notifications.routing import websocket_urlpatterns as notifications_routes

websocket_urlpatterns = [
    *core_routes,
    *keenkonnect_routes,
    *kreative_routes,
    *notifications_routes,
    # Last: any other address is closed with 4404.
    re_path(r"", NotFoundConsumer.as_asgi()),
]
