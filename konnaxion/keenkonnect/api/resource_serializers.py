"""Serializers of the Stockage API: documents, versions, access entries, audit events."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konnaxion.keenkonnect.models import AccessLevel, AuditEvent, DocumentVersion, ProjectResource
from konnaxion.keenkonnect.models.documents import VERSION_LABEL_MAX_LENGTH, VERSION_NOTE_MAX_LENGTH
from konnaxion.keenkonnect.selectors import checkout_of

LEVEL_CHOICES = [level.label for level in AccessLevel]


class DocumentVersionSerializer(serializers.ModelSerializer):
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)
    labelled_by = serializers.CharField(
        source="labelled_by.username", default=None, allow_null=True
    )

    class Meta:
        model = DocumentVersion
        fields = (
            "number",
            "size",
            "sha256",
            "content_type",
            "original_name",
            "uploaded_by",
            "created_at",
            "comment",
            "label",
            "note",
            "labelled_by",
            "labelled_at",
            "pinned",
        )
        read_only_fields = fields


class LevelField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=LEVEL_CHOICES, **kwargs)

    def to_representation(self, value):
        return AccessLevel(value).label


class CheckoutSerializer(serializers.Serializer):
    """A document's check-out lock: who holds it, their note, when it ends."""

    holder = serializers.CharField(source="holder.username", read_only=True)
    note = serializers.CharField(read_only=True)
    until = serializers.DateTimeField(source="expires_at", read_only=True)


class CheckoutRequestSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    hours = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2_147_483_647,
        help_text="How long the lock lasts (default STOCKAGE_CHECKOUT_DEFAULT_HOURS, at most "
        "STOCKAGE_CHECKOUT_MAX_HOURS).",
    )


class ResourceSerializer(serializers.ModelSerializer):
    added_by = serializers.CharField(
        source="added_by.username", default=None, read_only=True, allow_null=True
    )
    trashed_by = serializers.CharField(
        source="trashed_by.username", default=None, read_only=True, allow_null=True
    )
    current_version = DocumentVersionSerializer(read_only=True, allow_null=True)
    my_level = LevelField(read_only=True)
    lock = serializers.SerializerMethodField(
        help_text="The check-out lock, null when the document is not checked out."
    )

    class Meta:
        model = ProjectResource
        fields = (
            "id",
            "title",
            "description",
            "tags",
            "auto_tags",
            "added_by",
            "current_version",
            "my_level",
            "lock",
            "index_state",
            "index_reason",
            "trashed_at",
            "trashed_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    @extend_schema_field(CheckoutSerializer(allow_null=True))
    def get_lock(self, resource: ProjectResource) -> dict | None:
        checkout = checkout_of(resource=resource)
        return None if checkout is None else CheckoutSerializer(checkout).data


class ResourceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The blueprint: PDF, PNG, JPG, glTF, GLB or STL.")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    label = serializers.CharField(
        required=False, allow_blank=True, max_length=VERSION_LABEL_MAX_LENGTH
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=VERSION_NOTE_MAX_LENGTH
    )


class ResourceUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64),
        max_length=20,
        required=False,
        help_text="Replaces the document's own tags (not those found by indexing).",
    )


def _label_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=VERSION_LABEL_MAX_LENGTH,
        help_text="A short name of the version, unique in the document; empty: no label.",
        **kwargs,
    )


def _note_field(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=VERSION_NOTE_MAX_LENGTH,
        help_text="What the version is, editable afterwards (the comment is the upload's own).",
        **kwargs,
    )


class VersionUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    keep_checkout = serializers.BooleanField(
        required=False,
        help_text="The holder of the document's lock keeps it after this upload (default: the "
        "upload checks the document in).",
    )
    label = _label_field()
    note = _note_field()


class VersionAnnotateSerializer(serializers.Serializer):
    """PATCH of a version: either field may be left out; an empty one clears it."""

    label = _label_field()
    note = _note_field()


class VersionRestoreSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2_147_483_647)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class AccessEntrySerializer(serializers.Serializer):
    user = serializers.CharField(max_length=150)
    level = serializers.ChoiceField(choices=LEVEL_CHOICES)


class AccessEntriesSerializer(serializers.Serializer):
    entries = AccessEntrySerializer(many=True, max_length=1000)


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    resource = serializers.IntegerField(source="resource_id", allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ("id", "action", "resource", "actor", "details", "created_at")
        read_only_fields = fields
