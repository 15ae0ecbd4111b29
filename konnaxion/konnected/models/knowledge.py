from django.conf import settings
from django.db import models
from django.db.models import Q


class KnowledgeResource(models.Model):
    """A learning resource of the KonnectED library."""

    class Type(models.TextChoices):
        ARTICLE = "article", "Article"
        VIDEO = "video", "Video"
        LESSON = "lesson", "Lesson"
        QUIZ = "quiz", "Quiz"
        DATASET = "dataset", "Dataset"

    title = models.CharField(max_length=200)
    type = models.CharField(max_length=10, choices=Type.choices)
    url = models.URLField(max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_resources",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(type__in=["article", "video", "lesson", "quiz", "dataset"]),
                name="knowledge_resource_type_valid",
            ),
            models.CheckConstraint(
                condition=~Q(title=""), name="knowledge_resource_title_not_blank"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class KnowledgeRecommendation(models.Model):
    """A resource recommended to a user (by another user, or by the platform when null)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_recommendations"
    )
    resource = models.ForeignKey(
        KnowledgeResource, on_delete=models.CASCADE, related_name="recommendations"
    )
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recommended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-recommended_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="knowledge_recommendation_user_resource_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} for {self.user_id}"


class LearningProgress(models.Model):
    """How far (0-100 %) a user has gone through a resource."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learning_progress"
    )
    resource = models.ForeignKey(
        KnowledgeResource, on_delete=models.CASCADE, related_name="progress"
    )
    progress_percent = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        verbose_name_plural = "learning progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "resource"], name="learning_progress_user_resource_unique"
            ),
            models.CheckConstraint(
                condition=Q(progress_percent__gte=0) & Q(progress_percent__lte=100),
                name="learning_progress_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.resource_id}: {self.progress_percent}%"


class Portfolio(models.Model):
    """A user's showcase: a curated set of knowledge resources."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portfolios"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    items = models.ManyToManyField(KnowledgeResource, blank=True, related_name="portfolios")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="portfolio_title_not_blank")
        ]

    def __str__(self) -> str:
        return self.title
