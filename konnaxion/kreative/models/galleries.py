from django.conf import settings
from django.db import models

from konnaxion.kreative.models.artworks import KreativeArtwork


class Gallery(models.Model):
    """A curated, ordered collection of artworks."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="galleries",
    )
    theme = models.CharField(max_length=120, blank=True)
    artworks = models.ManyToManyField(
        KreativeArtwork, through="GalleryArtwork", related_name="galleries", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "galleries"

    def __str__(self) -> str:
        return self.title


class GalleryArtwork(models.Model):
    """An artwork's place in a gallery: once per gallery, one artwork per position."""

    gallery = models.ForeignKey(Gallery, on_delete=models.CASCADE, related_name="entries")
    artwork = models.ForeignKey(KreativeArtwork, on_delete=models.CASCADE)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ("gallery", "order")
        constraints = [
            models.UniqueConstraint(
                fields=["gallery", "artwork"], name="kreative_galleryartwork_gallery_artwork_unique"
            ),
            # Deferred, so that a reorder may swap positions inside one transaction.
            models.UniqueConstraint(
                fields=["gallery", "order"],
                name="kreative_galleryartwork_gallery_order_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.gallery_id}[{self.order}] = {self.artwork_id}"
