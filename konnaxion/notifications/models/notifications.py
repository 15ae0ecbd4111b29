"""What people are told: notifications, how each kind reaches them by email, what they watch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# Longest text of one rendering parameter (a title, a file name): params stay short.
PARAM_MAX_CHARS = 200
URL_MAX_CHARS = 500


class Kind(models.TextChoices):
    PROJECT_INVITED = "project_invited", _("Invited to a project")
    ROOM_INVITED = "room_invited", _("Invited to a room")
    VERSION_ADDED = "version_added", _("New version of a watched document")
    COMMENT_ADDED = "comment_added", _("Comment on a watched document")
    MENTIONED = "mentioned", _("Mention")
    PERMISSION_CHANGED = "permission_changed", _("Permission changed")
    LOCK_BROKEN = "lock_broken", _("Lock broken")
    SHARE_LINK_USED = "share_link_used", _("Share link first used")
    UPLOAD_LINK_RECEIVED = "upload_link_received", _("Upload link received a file")
    ACCOUNT_EXPORT_READY = "account_export_ready", _("Your data export is ready")
    SAVED_SEARCH_MATCH = "saved_search_match", _("New match of a saved search (alert at once)")
    SAVED_SEARCH_DAILY = "saved_search_daily", _("New match of a saved search (daily alert)")
    OPPORTUNITY_CLOSING_SOON = "opportunity_closing_soon", _("Saved opportunity closing soon")
    APPLICATION_RECEIVED = "application_received", _("Application received")
    APPLICATION_STATUS_CHANGED = "application_status_changed", _("Application status changed")
    APPLICATION_DECIDED = "application_decided", _("Decision on an application")
    JUROR_INVITED = "juror_invited", _("Invited to a jury")


class Channel(models.TextChoices):
    """How a kind of notification reaches someone by email (the in-app one always exists)."""

    IMMEDIATE = "immediate", _("Email at once")
    DIGEST = "digest", _("Daily digest")
    OFF = "off", _("No email")


class Notification(models.Model):
    """One thing one person is told. Rendered in the reader's language when displayed, from
    `kind` and `params`; shown only while its recipient may still see `target`."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=URL_MAX_CHARS, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notif_recipient_recent"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notif_recipient_unread",
            ),
            models.Index(
                fields=["recipient", "kind"],
                condition=models.Q(emailed_at__isnull=True, read_at__isnull=True),
                name="notif_digest_pending",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=""), name="notification_kind_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationSetting(models.Model):
    """Someone's email channel for one kind; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    email = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.email}"


class NotificationPreference(models.Model):
    """The language someone's emails are written in: the one they last used to save their
    notification settings or open their notifications page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(max_length=8)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class Watch(models.Model):
    """`user` wants to hear about `target` (a document, or a project and all its documents)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"], name="watch_unique"
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"], name="watch_target")]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.target_type_id}:{self.target_id}"
