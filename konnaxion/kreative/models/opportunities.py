from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q

from konnaxion.tags.models import Tag


class Opportunity(models.Model):
    """A residency, exhibition, call or job posted on the Opportunities board."""

    class Type(models.TextChoices):
        RESIDENCY = "residency", "Residency"
        EXHIBITION = "exhibition", "Exhibition"
        CALL = "call", "Call"
        JOB = "job", "Job"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        FILLED = "filled", "Filled"

    class EligibilityScope(models.TextChoices):
        INTERNATIONAL = "international", "International"
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional"
        LOCAL = "local", "Local"

    type = models.CharField(max_length=16, choices=Type.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    organisation = models.CharField(max_length=200, blank=True)
    region = models.CharField(max_length=120, blank=True)
    city = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=120, blank=True)
    remote = models.BooleanField(default=False)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    eligibility_scope = models.CharField(
        max_length=16, choices=EligibilityScope.choices, default=EligibilityScope.INTERNATIONAL
    )
    eligibility = models.TextField(blank=True)
    # Shown up front: a hidden entry fee is what applicants complain about most.
    entry_fee = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    compensation = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    apply_url = models.URLField(max_length=500, blank=True)
    apply_instructions = models.TextField(blank=True)
    # Applications on the board (docs/applications.md) rather than only at apply_url.
    accepts_applications = models.BooleanField(default=False)
    # Checked at submission against the applicant's profile; empty lists check nothing.
    eligible_regions = ArrayField(models.CharField(max_length=120), default=list, blank=True)
    eligible_roles = ArrayField(models.CharField(max_length=64), default=list, blank=True)
    requires_open_to_collaboration = models.BooleanField(default=False)
    tags = models.ManyToManyField(Tag, related_name="opportunities", blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities"
    )
    # Title and tags weigh A, organisation B, description C; kept current by the services.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "opportunities"
        indexes = [
            GinIndex(fields=["search_vector"], name="kreative_opp_search_gin"),
            models.Index(fields=["status", "deadline"], name="kreative_opp_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["residency", "exhibition", "call", "job"]),
                name="kreative_opportunity_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed", "filled"]),
                name="kreative_opportunity_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    eligibility_scope__in=["international", "national", "regional", "local"]
                ),
                name="kreative_opportunity_scope_valid",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="kreative_opportunity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(entry_fee__gte=0), name="kreative_opportunity_fee_nonnegative"
            ),
            models.CheckConstraint(
                condition=Q(compensation__isnull=True) | Q(compensation__gte=0),
                name="kreative_opportunity_compensation_nonnegative",
            ),
            models.CheckConstraint(
                condition=~Q(apply_url="")
                | ~Q(apply_instructions="")
                | Q(accepts_applications=True),
                name="kreative_opportunity_says_how_to_apply",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OpportunityAttachment(models.Model):
    """A PDF, PNG or JPG attached to an opportunity, stored as an encrypted blob."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="attachments"
    )
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self) -> str:
        return self.name


class SavedOpportunity(models.Model):
    """A user's bookmark of an opportunity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_opportunities"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="saves")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "saved opportunities"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "opportunity"], name="kreative_savedopportunity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.opportunity_id}"
