from django.contrib.auth.models import AbstractUser
from django.db import models


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
