from django.urls import path

from konnaxion.kreative.consumers import RoomConsumer

websocket_urlpatterns = [
    path("ws/connect/workspaces/<int:session_id>/", RoomConsumer.as_asgi()),
]
