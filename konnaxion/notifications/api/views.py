"""Notifications API: one's own notifications (others' ids answer 404), their email settings,
and what one watches."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.notifications import selectors
from konnaxion.notifications.api import serializers as s
from konnaxion.notifications.services import preferences, reading, watching

MAX_ID = 2**63 - 1


class NotificationListView(generics.ListAPIView):
    """Newest first; `?unread=true` keeps the unread ones. Only notifications about what the
    caller may still see."""

    serializer_class = s.NotificationSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[OpenApiParameter("unread", bool, description="Only unread notifications.")]
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        queryset = selectors.notifications_visible_to(user=self.request.user)
        unread = self.request.query_params.get("unread")
        if unread not in (None, "", "true", "false"):
            raise ValidationFailed(details={"fields": {"unread": "true or false"}})
        if unread == "true":
            queryset = queryset.filter(read_at__isnull=True)
        return queryset


class UnreadCountView(APIView):
    @extend_schema(responses=s.UnreadCountSerializer)
    def get(self, request: Request) -> Response:
        return Response({"unread": selectors.notifications_unread_count(user=request.user)})


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=s.NotificationSerializer)
    def post(self, request: Request, notification_id: int) -> Response:
        if notification_id > MAX_ID:
            raise NotFound("No such notification.")
        notification = reading.notification_mark_read(
            user=request.user, notification_id=notification_id
        )
        return Response(s.NotificationSerializer(notification).data)


class ReadAllView(APIView):
    @extend_schema(request=None, responses=s.ReadAllSerializer)
    def post(self, request: Request) -> Response:
        return Response({"marked": reading.notifications_mark_all_read(user=request.user)})


class SettingsView(APIView):
    """The email channel of each kind (immediate, digest, off); PUT changes those it names and
    makes the request's language the one of the caller's emails."""

    @extend_schema(responses=s.SettingsSerializer)
    def get(self, request: Request) -> Response:
        return Response({"channels": selectors.channels_of(user=request.user)})

    @extend_schema(request=s.SettingsSerializer, responses=s.SettingsSerializer)
    def put(self, request: Request) -> Response:
        channels = request.data.get("channels") if isinstance(request.data, dict) else None
        if not isinstance(channels, dict) or not all(
            isinstance(value, str) for value in channels.values()
        ):
            raise ValidationFailed(details={"fields": {"channels": "an object kind → channel"}})
        result = preferences.notification_settings_set(user=request.user, channels=channels)
        preferences.notification_language_set(
            user=request.user, language=getattr(request, "LANGUAGE_CODE", "")
        )
        return Response({"channels": result})


class WatchListView(generics.ListCreateAPIView):
    """What the caller watches; POST `{target_type: document|project, target_id}` watches one
    more (idempotent; 404 for what the caller may not see)."""

    serializer_class = s.WatchSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.watches_of(user=self.request.user)

    @extend_schema(request=s.WatchInputSerializer, responses={201: s.WatchSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        data = s.WatchInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = watching.watch_target_get(
            user=request.user,
            name=data.validated_data["target_type"],
            target_id=data.validated_data["target_id"],
        )
        watch = watching.watch_add(user=request.user, target=target)
        return Response(s.WatchSerializer(watch).data, status=status.HTTP_201_CREATED)


class WatchDetailView(APIView):
    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, watch_id: int) -> Response:
        if watch_id > MAX_ID:
            raise NotFound("No such watch.")
        watch = selectors.watches_of(user=request.user).filter(pk=watch_id).first()
        if watch is None:
            raise NotFound("No such watch.")
        watch.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
