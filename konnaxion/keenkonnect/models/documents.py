"""Stockage documents: versions, per-document access entries, the audit log and retention."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

# A version's label ("Rev B - sent to fabricator"): short, unique per document, case aside.
VERSION_LABEL_MAX_LENGTH = 80
VERSION_NOTE_MAX_LENGTH = 10_000


class AccessLevel(models.IntegerChoices):
    """What a user may do with a document; each level includes the ones below it."""

    NONE = 0, "none"
    READ = 1, "read"
    WRITE = 2, "write"
    ADMIN = 3, "admin"


class DocumentVersion(models.Model):
    """One revision of a resource; numbers run 1..n per resource and history is never rewritten."""

    resource = models.ForeignKey(
        "keenkonnect.ProjectResource", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    blob = models.ForeignKey(
        "files.Blob", on_delete=models.PROTECT, related_name="document_versions"
    )
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="uploaded_document_versions",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the uploader said when uploading: part of the history, never edited afterwards.
    comment = models.TextField(blank=True)
    pinned = models.BooleanField(default=False)
    # The version's annotation, set at upload or later by a writer (document_versioning
    # .version_annotate): a label names it, a note explains it. Retention keeps labelled versions.
    label = models.CharField(max_length=VERSION_LABEL_MAX_LENGTH, blank=True, default="")
    note = models.TextField(blank=True, default="")
    labelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="labelled_document_versions",
    )
    labelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("resource", "-number")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="keenkonnect_documentversion_number_unique"
            ),
            # The target of ProjectResource's (current_version, current_content_type) key.
            models.UniqueConstraint(
                fields=["id", "content_type"],
                name="keenkonnect_documentversion_id_content_type_unique",
            ),
            models.UniqueConstraint(
                Lower("label"),
                F("resource"),
                condition=~Q(label=""),
                name="keenkonnect_documentversion_label_unique",
            ),
            models.CheckConstraint(
                condition=Q(label="") | Q(labelled_at__isnull=False),
                name="keenkonnect_documentversion_label_dated",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1), name="keenkonnect_documentversion_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(size__gte=0), name="keenkonnect_documentversion_size_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"


class DocumentAccess(models.Model):
    """A per-document entry: `user`'s level on `resource`, overriding their team role's level."""

    resource = models.ForeignKey(
        "keenkonnect.ProjectResource", on_delete=models.CASCADE, related_name="access_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_access"
    )
    level = models.PositiveSmallIntegerField(choices=AccessLevel.choices)

    class Meta:
        ordering = ("resource", "user")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "user"], name="keenkonnect_documentaccess_resource_user_unique"
            ),
            models.CheckConstraint(
                condition=Q(level__gte=0) & Q(level__lte=3),
                name="keenkonnect_documentaccess_level_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.resource_id}: {self.get_level_display()}"


class AuditEvent(models.Model):
    """Who did what to a project's documents; kept when the document itself is purged."""

    class Action(models.TextChoices):
        UPLOAD = "upload", "Upload"
        VERSION = "version", "New version"
        DOWNLOAD = "download", "Download"
        RESTORE = "restore", "Restore a version"
        TRASH = "trash", "Move to the trash"
        UNTRASH = "untrash", "Restore from the trash"
        PURGE = "purge", "Purge"
        PERMISSIONS = "permissions", "Change permissions"
        UPDATE = "update", "Edit metadata"
        LOCK = "lock", "Check out"
        UNLOCK = "unlock", "Check in"
        LOCK_BREAK = "lock_break", "Break a check-out"
        ANNOTATE = "annotate", "Label a version"
        LINK_CREATE = "link_create", "Create a link"
        LINK_REVOKE = "link_revoke", "Revoke a link"
        LINK_VIEW = "link_view", "Viewed by link"
        LINK_DOWNLOAD = "link_download", "Downloaded by link"
        LINK_UPLOAD = "link_upload", "Received by link"
        LINK_REFUSED = "link_refused", "Link refused"
        SETTINGS = "settings", "Change the project's settings"

    project = models.ForeignKey(
        "keenkonnect.Project", on_delete=models.CASCADE, related_name="audit_events"
    )
    resource = models.ForeignKey(
        "keenkonnect.ProjectResource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="document_audit_events",
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["project", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} on {self.resource_id} by {self.actor_id}"


class RetentionPolicy(models.Model):
    """Optional per-project version retention: keep the last `keep_last` versions and/or those
    younger than `keep_days` days. Pinned, labelled and current versions are always kept."""

    project = models.OneToOneField(
        "keenkonnect.Project", on_delete=models.CASCADE, related_name="retention_policy"
    )
    keep_last = models.PositiveIntegerField(null=True, blank=True)
    keep_days = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(keep_last__isnull=False) | Q(keep_days__isnull=False),
                name="keenkonnect_retentionpolicy_has_a_rule",
            ),
            models.CheckConstraint(
                condition=Q(keep_last__isnull=True) | Q(keep_last__gte=1),
                name="keenkonnect_retentionpolicy_keep_last_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"retention of {self.project_id}"


class UploadSession(models.Model):
    """A resumable (tus 1.0) upload in progress.

    Its bytes live in the shared storage, one encrypted part per accepted PATCH, listed in order
    in `parts` (name, size and wrapped data key of each: `konnaxion.files.parts.StoredPart`), so
    that any server can continue it."""

    id = models.UUIDField(primary_key=True)
    project = models.ForeignKey(
        "keenkonnect.Project", on_delete=models.CASCADE, related_name="upload_sessions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="upload_sessions"
    )
    resource = models.ForeignKey(
        "keenkonnect.ProjectResource",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="upload_sessions",
    )
    length = models.BigIntegerField()
    offset = models.BigIntegerField(default=0)
    metadata = models.JSONField(default=dict, blank=True)
    parts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(offset__gte=0) & Q(offset__lte=models.F("length")),
                name="keenkonnect_uploadsession_offset_in_range",
            ),
            models.CheckConstraint(
                condition=Q(length__gte=0), name="keenkonnect_uploadsession_length_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"upload {self.id} ({self.offset}/{self.length})"
