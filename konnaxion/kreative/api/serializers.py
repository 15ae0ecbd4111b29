from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from konnaxion.kreative import selectors
from konnaxion.kreative.api.stored_files import artwork_media_url, tradition_media_url
from konnaxion.kreative.models import (
    CollabSession,
    Gallery,
    GalleryArtwork,
    KreativeArtwork,
    TraditionEntry,
)
from konnaxion.tags.models import Tag

TagNames = serializers.ListField(child=serializers.CharField(max_length=64), max_length=50)


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ("id", "name")


class TagCreateSerializer(serializers.Serializer):
    names = serializers.ListField(
        child=serializers.CharField(max_length=64), min_length=1, max_length=50
    )


class ArtworkSerializer(serializers.ModelSerializer):
    artist = serializers.CharField(source="artist.username", read_only=True)
    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    media_url = serializers.SerializerMethodField()
    derivative_urls = serializers.SerializerMethodField()

    class Meta:
        model = KreativeArtwork
        fields = (
            "id",
            "artist",
            "title",
            "description",
            "media_type",
            "content_type",
            "media_url",
            "derivative_urls",
            "year",
            "medium",
            "style",
            "nsfw",
            "tags",
            "created_at",
            "updated_at",
        )

    def get_media_url(self, artwork: KreativeArtwork) -> str:
        """The artwork's file, through the view that checks who may see it."""
        return artwork_media_url(artwork.pk)

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_derivative_urls(self, artwork: KreativeArtwork) -> dict[str, str]:
        """The derived sizes made so far: {"256": "/api/kreative/artworks/7/media/?size=256"}."""
        return {
            str(derivative.size): artwork_media_url(artwork.pk, size=derivative.size)
            for derivative in artwork.derivatives.all()
        }


@extend_schema_field(OpenApiTypes.INT)
class VisibleArtworkField(serializers.PrimaryKeyRelatedField):
    """An artwork id among those the caller may see: any other id is "does not exist", so an
    artwork hidden from the caller cannot be told from one that never was."""

    def get_queryset(self):
        return selectors.artworks_visible_to(user=self.context["request"].user)


class ArtworkCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    media_file = serializers.FileField(max_length=200)
    media_type = serializers.ChoiceField(choices=KreativeArtwork.MediaType.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    year = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=9999)
    medium = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    style = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    nsfw = serializers.BooleanField(required=False, allow_null=True, default=None)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=50
    )


class ArtworkUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    year = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=9999)
    medium = serializers.CharField(required=False, allow_blank=True, max_length=120)
    style = serializers.CharField(required=False, allow_blank=True, max_length=120)
    nsfw = serializers.BooleanField(required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=64), required=False, max_length=50
    )


class GalleryEntrySerializer(serializers.ModelSerializer):
    artwork = serializers.IntegerField(source="artwork_id")
    title = serializers.CharField(source="artwork.title")

    class Meta:
        model = GalleryArtwork
        fields = ("artwork", "title", "order")


class GallerySerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    artworks = GalleryEntrySerializer(source="entries", many=True, read_only=True)

    class Meta:
        model = Gallery
        fields = (
            "id",
            "title",
            "description",
            "theme",
            "created_by",
            "artworks",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("created_at", "updated_at")


class GalleryArtworkAddSerializer(serializers.Serializer):
    artwork = VisibleArtworkField()
    order = serializers.IntegerField(required=False, min_value=0)


class GalleryReorderSerializer(serializers.Serializer):
    artwork_ids = serializers.ListField(child=serializers.IntegerField(), max_length=1000)


class TraditionEntrySerializer(serializers.ModelSerializer):
    submitted_by = serializers.CharField(
        source="submitted_by.username", read_only=True, default=None
    )
    approved_by = serializers.CharField(
        source="approved_by.username", read_only=True, default=None, allow_null=True
    )
    media_file = serializers.FileField(
        required=False, allow_null=True, max_length=200, write_only=True
    )
    media_url = serializers.SerializerMethodField()

    class Meta:
        model = TraditionEntry
        fields = (
            "id",
            "title",
            "description",
            "region",
            "media_file",
            "media_url",
            "submitted_by",
            "submitted_at",
            "approved",
            "approved_by",
            "approved_at",
        )
        read_only_fields = ("submitted_at", "approved", "approved_at")

    def get_media_url(self, entry: TraditionEntry) -> str | None:
        """The entry's file, through the view that checks who may see it (null without one)."""
        return tradition_media_url(entry.pk) if entry.media_id else None


class CollabSessionSerializer(serializers.ModelSerializer):
    """A session as the canonical model has it. Created like a workspace of
    /api/connect/workspaces/ (same service): `kind` dm or group, `participants` invited."""

    host = serializers.CharField(source="host.username", read_only=True)
    kind = serializers.ChoiceField(
        choices=CollabSession.Kind.choices, default=CollabSession.Kind.GROUP
    )
    participants = serializers.ListField(
        child=serializers.CharField(max_length=150),
        max_length=50,
        required=False,
        default=list,
        write_only=True,
        help_text="Usernames invited; a dm names exactly one other person.",
    )

    class Meta:
        model = CollabSession
        fields = (
            "id",
            "name",
            "host",
            "session_type",
            "kind",
            "participants",
            "started_at",
            "ended_at",
            "final_artwork",
            "created_at",
        )
        read_only_fields = ("started_at", "ended_at", "final_artwork", "created_at")


class CollabSessionEndSerializer(serializers.Serializer):
    final_artwork = VisibleArtworkField(required=False, allow_null=True)
