"""Share links and upload links: principals without an account, each holding one token.

A share link lets whoever holds its token see and download one document (a pinned version, or
the current one); an upload link lets whoever holds its token drop files into one project.
Only the SHA-256 of a token is stored; the token itself is shown once, when the link is made.
Docs: docs/sharing.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class LinkBase(models.Model):
    """What both kinds of link share: the token's digest, who made it, when it dies."""

    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    password_hash = models.CharField(max_length=128, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once, by the first use that went through: where "first use" happens.
    first_used_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)


class ShareLink(LinkBase):
    """One document shared by link: `version_number` pins a version, None follows the current."""

    resource = models.ForeignKey(
        "keenkonnect.ProjectResource", on_delete=models.CASCADE, related_name="share_links"
    )
    version_number = models.PositiveIntegerField(null=True, blank=True)
    max_downloads = models.PositiveIntegerField(null=True, blank=True)
    download_count = models.PositiveIntegerField(default=0)
    view_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_downloads__isnull=True) | Q(max_downloads__gte=1),
                name="keenkonnect_sharelink_max_downloads_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_downloads__isnull=True) | Q(download_count__lte=F("max_downloads")),
                name="keenkonnect_sharelink_downloads_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"share link {self.pk} of {self.resource_id}"


class UploadLink(LinkBase):
    """A project's drop box: files sent through it become documents received by link."""

    project = models.ForeignKey(
        "keenkonnect.Project", on_delete=models.CASCADE, related_name="upload_links"
    )
    label = models.CharField(max_length=100)
    max_files = models.PositiveIntegerField(null=True, blank=True)
    file_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(max_files__isnull=True) | Q(max_files__gte=1),
                name="keenkonnect_uploadlink_max_files_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_files__isnull=True) | Q(file_count__lte=F("max_files")),
                name="keenkonnect_uploadlink_files_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"upload link {self.pk} of {self.project_id}"


class ReceivedFile(models.Model):
    """Marks a document that arrived through an upload link (kept when the link is deleted)."""

    resource = models.OneToOneField(
        "keenkonnect.ProjectResource", on_delete=models.CASCADE, related_name="received_by_link"
    )
    upload_link = models.ForeignKey(
        UploadLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="received_files",
    )
    link_label = models.CharField(max_length=100)
    uploader_name = models.CharField(max_length=100, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.resource_id} received by link {self.upload_link_id}"
