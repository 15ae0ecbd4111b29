from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A person on the platform; `username` is the public handle used in URLs."""

    name = models.CharField("full name", max_length=150, blank=True)

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
