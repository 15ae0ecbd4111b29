"""Shapes of the notifications API."""

from __future__ import annotations

from rest_framework import serializers

from konnaxion.notifications.models import Channel, Kind, Notification, Watch
from konnaxion.notifications.services.watching import watchable_name_of
from konnaxion.notifications.texts import notification_text


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text="The sentence, in the request's language.")
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "actor", "created_at", "read", "read_at"]
        read_only_fields = fields

    def get_text(self, notification: Notification) -> str:
        return notification_text(notification)

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField()


class SettingsSerializer(serializers.Serializer):
    """The email channel of every kind."""

    channels = serializers.DictField(
        child=serializers.ChoiceField(choices=Channel.choices),
        help_text=f"kind → channel; kinds: {', '.join(Kind.values)}",
    )


class WatchSerializer(serializers.ModelSerializer):
    target_type = serializers.SerializerMethodField()

    class Meta:
        model = Watch
        fields = ["id", "target_type", "target_id", "created_at"]
        read_only_fields = fields

    def get_target_type(self, watch: Watch) -> str | None:
        return watchable_name_of(target_type=watch.target_type)


class WatchInputSerializer(serializers.Serializer):
    target_type = serializers.CharField(help_text="document or project")
    target_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
