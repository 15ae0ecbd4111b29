"""Applications to opportunities and their review by juries (opportunity_announcement).

An applicant answers a call with a statement, artworks of their own portfolio, attachments and
answers to the poster's questions; a draft until submitted before the deadline. The poster
invites jurors, who score the applications of each review round per weighted criterion.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from konnaxion.kreative.models.artworks import KreativeArtwork
from konnaxion.kreative.models.opportunities import Opportunity

SCORE_MIN = 1
SCORE_MAX = 5


class ApplicationQuestion(models.Model):
    """A question the poster asks every applicant: a text, a choice among options, or a file."""

    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        CHOICE = "choice", "Choice"
        FILE = "file", "File"

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    options = ArrayField(models.CharField(max_length=200), default=list, blank=True)
    required = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("order", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["text", "choice", "file"]),
                name="kreative_question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class OpportunityApplication(models.Model):
    """One person's application to one opportunity (at most one each)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        SHORTLISTED = "shortlisted", "Shortlisted"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class FeeStatus(models.TextChoices):
        UNPAID = "unpaid", "Unpaid"
        PAID = "paid", "Paid"
        WAIVED = "waived", "Waived"

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    statement = models.TextField(blank=True)
    fee_status = models.CharField(max_length=8, choices=FeeStatus.choices, default=FeeStatus.WAIVED)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=["opportunity", "status"], name="kreative_app_opp_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "applicant"], name="kreative_application_once"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "in_review",
                        "shortlisted",
                        "accepted",
                        "declined",
                        "withdrawn",
                    ]
                ),
                name="kreative_application_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(fee_status__in=["unpaid", "paid", "waived"]),
                name="kreative_application_fee_valid",
            ),
            # Anything past a draft was submitted at some time; a decision has its date.
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="kreative_application_submitted_at",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "declined"]) | Q(decided_at__isnull=False),
                name="kreative_application_decided_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} -> {self.opportunity_id} ({self.status})"

    @property
    def blind_label(self) -> str:
        """What jurors of a blind round call the applicant (no name, no username), in the
        reader's language."""
        return gettext("Applicant %(number)s") % {"number": self.pk}


class ApplicationArtwork(models.Model):
    """An artwork of the applicant's own, in the order they chose."""

    application = models.ForeignKey(
        OpportunityApplication, on_delete=models.CASCADE, related_name="artworks"
    )
    artwork = models.ForeignKey(KreativeArtwork, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ("order", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "artwork"], name="kreative_appartwork_unique"
            ),
            models.UniqueConstraint(
                fields=["application", "order"], name="kreative_appartwork_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}[{self.order}] = {self.artwork_id}"


class ApplicationAttachment(models.Model):
    """A PDF, PNG or JPG sent with an application (or as the answer to a file question)."""

    application = models.ForeignKey(
        OpportunityApplication, on_delete=models.CASCADE, related_name="attachments"
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


class ApplicationAnswer(models.Model):
    """The applicant's answer to one question: a text, one of its options, or an attachment."""

    application = models.ForeignKey(
        OpportunityApplication, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        ApplicationQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    text = models.TextField(blank=True)
    attachment = models.ForeignKey(
        ApplicationAttachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("question__order", "question_id")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="kreative_appanswer_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} / {self.question_id}"


class OpportunityJuror(models.Model):
    """Someone the poster invited to score the applications of an opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="jurors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="juries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "user"], name="kreative_juror_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} judges {self.opportunity_id}"


class ReviewRound(models.Model):
    """A round of review: its criteria, whether jurors see names, which applications are in."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="review_rounds"
    )
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=120)
    blind = models.BooleanField(default=False)
    applications = models.ManyToManyField(
        OpportunityApplication, related_name="review_rounds", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("number",)
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "number"], name="kreative_round_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ReviewCriterion(models.Model):
    """What jurors score in a round, and how much it weighs in the average."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    label = models.CharField(max_length=120)
    weight = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("order", "id")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100),
                name="kreative_criterion_weight_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ReviewScore(models.Model):
    """One juror's score (1-5) of one application on one criterion of a round."""

    criterion = models.ForeignKey(ReviewCriterion, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(
        OpportunityApplication, on_delete=models.CASCADE, related_name="scores"
    )
    juror = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_scores"
    )
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("criterion__order", "criterion_id", "juror_id")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "application", "juror"], name="kreative_score_once"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=SCORE_MIN) & Q(value__lte=SCORE_MAX),
                name="kreative_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juror_id} gave {self.value} to {self.application_id}"
