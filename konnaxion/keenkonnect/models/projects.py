from django.conf import settings
from django.db import models
from django.db.models import Q


class Project(models.Model):
    """A collaborative project workspace, routed at `/projects/<slug>`."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        ARCHIVED = "archived", "Archived"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        MEMBERS = "members", "Members only"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_projects"
    )
    category = models.ForeignKey(
        "ekoh.ExpertiseCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    tags = models.ManyToManyField("tags.Tag", related_name="projects", blank=True)
    # Whether share links and upload links may be made and used (owners decide; docs/sharing.md).
    links_allowed = models.BooleanField(default=False)
    # Whether members count as members only once they have a second factor (owners decide;
    # docs/permissions.md, "Projects that require two factors").
    two_factor_required = models.BooleanField(default=False)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProjectTeam", related_name="projects", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "active", "completed", "archived"]),
                name="keenkonnect_project_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=["public", "members"]),
                name="keenkonnect_project_visibility_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectTeam(models.Model):
    """A member of a project and their role."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        COLLABORATOR = "collaborator", "Collaborator"
        MENTOR = "mentor", "Mentor"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.COLLABORATOR)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("joined_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"], name="keenkonnect_projectteam_project_user_unique"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["owner", "collaborator", "mentor"]),
                name="keenkonnect_projectteam_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.project_id} ({self.role})"


class ProjectRating(models.Model):
    """One user's rating (1-5) and review of a project; rating again replaces it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_ratings"
    )
    value = models.PositiveSmallIntegerField()
    review = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"], name="keenkonnect_projectrating_project_user_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1) & Q(value__lte=5),
                name="keenkonnect_projectrating_value_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.value} by {self.user_id}"
