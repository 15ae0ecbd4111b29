from django.conf import settings
from django.db import models
from django.db.models import Q


class CoCreationProject(models.Model):
    """Content written together; contributions are accepted while it is draft or active."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cocreation_projects"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "archived"]),
                name="cocreation_project_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="cocreation_project_title_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CoCreationContribution(models.Model):
    """A proposed piece of a project, pending until the owner accepts or rejects it. A user has
    at most MAX_CONTRIBUTION_DRAFTS pending contributions (checked under a lock of the user)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    project = models.ForeignKey(
        CoCreationProject, on_delete=models.CASCADE, related_name="contributions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cocreation_contributions"
    )
    content = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["user", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "rejected"]),
                name="cocreation_contribution_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(content=""), name="cocreation_contribution_content_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return f"contribution {self.pk} to {self.project_id}"
