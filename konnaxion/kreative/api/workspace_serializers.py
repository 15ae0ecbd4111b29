"""Shapes of /api/connect/workspaces/ (collaboration_workspace)."""

from rest_framework import serializers

from konnaxion.kreative.models import CollabSession, CollabSessionParticipant

USERNAMES_MAX = 50


def usernames(*, required: bool) -> serializers.ListField:
    extra = {} if required else {"default": list}
    return serializers.ListField(
        child=serializers.CharField(max_length=150),
        max_length=USERNAMES_MAX,
        required=required,
        **extra,
    )


class WorkspaceCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    session_type = serializers.ChoiceField(choices=CollabSession.SessionType.choices)
    kind = serializers.ChoiceField(
        choices=CollabSession.Kind.choices, default=CollabSession.Kind.GROUP
    )
    participants = usernames(required=False)


class WorkspaceInviteSerializer(serializers.Serializer):
    participants = usernames(required=True)


class WorkspaceEndSerializer(serializers.Serializer):
    save_canvas = serializers.BooleanField(
        default=False, help_text="Save the canvas as the session's final artwork."
    )
    title = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)


class WorkspaceCanvasSaveSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=200,
        required=False,
        default="",
        allow_blank=True,
        help_text="The artwork's title (the room's name when blank).",
    )


class WorkspaceParticipantSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = CollabSessionParticipant
        fields = ("username", "role", "invited_at", "joined_at")


class WorkspaceSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.username", read_only=True)
    participants = WorkspaceParticipantSerializer(many=True, read_only=True)
    room = serializers.SerializerMethodField()

    class Meta:
        model = CollabSession
        fields = (
            "id",
            "name",
            "host",
            "session_type",
            "kind",
            "started_at",
            "ended_at",
            "last_active_at",
            "final_artwork",
            "participants",
            "room",
        )
        read_only_fields = fields

    def get_room(self, session: CollabSession) -> str:
        """The path of the session's room WebSocket."""
        return f"/ws/connect/workspaces/{session.pk}/"


class ExportChatMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.CharField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class ExportNotesSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True)
    html = serializers.CharField(allow_blank=True)


class ExportCanvasSerializer(serializers.Serializer):
    format = serializers.CharField()
    items = serializers.ListField(
        child=serializers.DictField(), help_text="One object per stroke or shape"
    )


class WorkspaceExportSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    name = serializers.CharField()
    exported_at = serializers.DateTimeField()
    chat = ExportChatMessageSerializer(many=True)
    notes = ExportNotesSerializer()
    canvas = ExportCanvasSerializer()
