from django.conf import settings
from django.db import models

from konnaxion.files.models import Blob
from konnaxion.tags.models import Tag


def artwork_upload_to(instance: "KreativeArtwork", filename: str) -> str:
    """Where artworks were kept as plain files before the blob store (migrations name it)."""
    return f"kreative/artworks/{instance.artist_id}/{filename}"


class KreativeArtwork(models.Model):
    """A creative work uploaded by its artist; images get derived sizes (`ArtworkDerivative`)
    from a Celery task. Its file is a blob of the platform's file store."""

    class MediaType(models.TextChoices):
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"
        OTHER = "other", "Other"

    artist = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="artworks"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Null only for a work whose file was already lost when plain files moved into blobs.
    media = models.ForeignKey(Blob, on_delete=models.PROTECT, null=True, related_name="+")
    # The uploaded file's name (folders and unsafe characters dropped), given to downloads.
    media_name = models.CharField(max_length=255, blank=True)
    media_type = models.CharField(max_length=8, choices=MediaType.choices)
    content_type = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    medium = models.CharField(max_length=120, blank=True)
    style = models.CharField(max_length=120, blank=True)
    nsfw = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, through="ArtworkTag", related_name="artworks", blank=True)
    # The vector source of a work drawn on a collaboration canvas (its strokes and shapes).
    vector_source = models.JSONField(null=True, blank=True)
    # Everyone who made the work with the artist (the participants of its collaboration session).
    credits = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="credited_artworks", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(media_type__in=["image", "video", "audio", "other"]),
                name="kreative_artwork_media_type_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ArtworkDerivative(models.Model):
    """A WebP copy of an image artwork whose longest side is at most `size` pixels (one of
    ARTWORK_RESOLUTIONS), made by the derivation task; one per artwork and size."""

    artwork = models.ForeignKey(
        KreativeArtwork, on_delete=models.CASCADE, related_name="derivatives"
    )
    size = models.PositiveIntegerField()
    blob = models.ForeignKey(Blob, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ("size",)
        constraints = [
            models.UniqueConstraint(
                fields=["artwork", "size"], name="kreative_artworkderivative_artwork_size_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.artwork_id}@{self.size}"


class ArtworkTag(models.Model):
    artwork = models.ForeignKey(KreativeArtwork, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["artwork", "tag"], name="kreative_artworktag_artwork_tag_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.artwork_id}:{self.tag_id}"
