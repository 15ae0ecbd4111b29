from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone


class User(AbstractUser):
    """A person on the platform; `username` is the public handle used in URLs."""

    name = models.CharField("full name", max_length=150, blank=True)
    # Set when the person deleted their account: the row stays, emptied of who they were, so
    # that what they left with their teams (documents, chat lines) still has an author, shown
    # as "a former member" (docs/accounts.md, "Leaving and your data").
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        # Deactivated accounts are few: queries that leave them out anti-join this small index.
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(is_active=False), name="users_user_inactive"
            )
        ]

    def __str__(self) -> str:
        return self.username

    @property
    def is_former_member(self) -> bool:
        return self.deleted_at is not None


class AccountExport(models.Model):
    """One person's copy of their data: a ZIP built by a worker (`progress` in percent), kept as
    an encrypted blob until `expires_at`. One export at a time per person."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_exports"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    blob = models.ForeignKey(
        "files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    size = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state__in=["pending", "running"]),
                name="users_accountexport_one_running",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "running", "ready", "failed"]),
                name="users_accountexport_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="users_accountexport_progress_range"
            ),
            models.CheckConstraint(
                condition=~Q(state="ready") | Q(blob__isnull=False, expires_at__isnull=False),
                name="users_accountexport_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"


class PersonalToken(models.Model):
    """A key its owner gives a script or another client: `Authorization: Token <key>`.

    The key is shown once, when the token is made; only its SHA-256 is stored (`key_hash`) and
    a token is found by that digest. `prefix`, the key's first characters, lets its owner tell
    their tokens apart. A revoked or expired token authenticates nobody; a read-only one allows
    only safe methods (and listening sockets).
    """

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="personal_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    read_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["owner", "-created_at"], name="users_token_owner_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True)
                | models.Q(expires_at__gt=models.F("created_at")),
                name="users_token_expires_after_creation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
