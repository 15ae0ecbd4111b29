from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q

from konnaxion.files.models import Blob
from konnaxion.kreative.models.artworks import KreativeArtwork
from konnaxion.tags.models import Tag


def avatar_upload_to(instance: "ProfessionalProfile", filename: str) -> str:
    """Where avatars were kept as plain files before the blob store (migrations name it)."""
    return f"kreative/avatars/{instance.user_id}/{filename}"


class ProfessionalProfile(models.Model):
    """A user's professional profile (Kontact): who they are, what they do, where they work."""

    class Role(models.TextChoices):
        CREATOR = "creator", "Creator"
        DIFFUSER = "diffuser", "Diffuser"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        MEMBERS = "members", "Members"
        HIDDEN = "hidden", "Hidden"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="professional_profile",
    )
    display_name = models.CharField(max_length=150, blank=True)
    headline = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CREATOR)
    skills = models.ManyToManyField(Tag, related_name="skilled_profiles", blank=True)
    styles = models.ManyToManyField(Tag, related_name="styled_profiles", blank=True)
    region = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=120, blank=True)
    languages = ArrayField(models.CharField(max_length=16), default=list, blank=True)
    # [{"label": "...", "url": "https://..."}], validated by the profile service.
    links = models.JSONField(default=list, blank=True)
    # The picture, re-encoded as WebP by the profile service: a blob of the platform's file store.
    avatar = models.ForeignKey(
        Blob, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    open_to_collaboration = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    discoverable = models.BooleanField(default=True)
    # Skills and styles weigh A, name and headline B, bio C; kept current by the services.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "user_id")
        indexes = [
            GinIndex(fields=["search_vector"], name="kreative_profile_search_gin"),
            # The few profiles people must not be suggested: an anti-join reads only these.
            models.Index(
                fields=["user"],
                condition=Q(discoverable=False) | Q(visibility="hidden"),
                name="kreative_profile_unlisted",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=["creator", "diffuser"]), name="kreative_profile_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members", "hidden"]),
                name="kreative_profile_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or str(self.user_id)


class PortfolioArtwork(models.Model):
    """An artwork the owner shows on their profile, in their order; pinned ones come first."""

    profile = models.ForeignKey(
        ProfessionalProfile, on_delete=models.CASCADE, related_name="portfolio_artworks"
    )
    artwork = models.ForeignKey(KreativeArtwork, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField()
    pinned = models.BooleanField(default=False)

    class Meta:
        ordering = ("-pinned", "order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "artwork"], name="kreative_portfolioartwork_unique"
            ),
            models.UniqueConstraint(
                fields=["profile", "order"],
                name="kreative_portfolioartwork_order_unique",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}[{self.order}] = {self.artwork_id}"


class PortfolioProject(models.Model):
    """A public keenKonnect project the owner chose to show on their profile."""

    profile = models.ForeignKey(
        ProfessionalProfile, on_delete=models.CASCADE, related_name="portfolio_projects"
    )
    project = models.ForeignKey("keenkonnect.Project", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ("order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "project"], name="kreative_portfolioproject_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}[{self.order}] = {self.project_id}"
