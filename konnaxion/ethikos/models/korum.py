from django.conf import settings
from django.db import models
from django.db.models import F, Q


class EthikosCategory(models.Model):
    """A theme of debates (Politics, Ethics ...)."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name_plural = "ethikos categories"
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="ethikos_category_name_not_blank")
        ]

    def __str__(self) -> str:
        return self.name


class EthikosTopic(models.Model):
    """A debate question; stances and arguments are accepted while it is open."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.ForeignKey(
        EthikosCategory, null=True, blank=True, on_delete=models.SET_NULL, related_name="topics"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ethikos_topics"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    start_date = models.DateTimeField()
    end_date = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-start_date", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed", "archived"]),
                name="ethikos_topic_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="ethikos_topic_end_after_start",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="ethikos_topic_title_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title


class EthikosStance(models.Model):
    """A user's position on a topic, -3 (strongly against) to +3 (strongly for)."""

    topic = models.ForeignKey(EthikosTopic, on_delete=models.CASCADE, related_name="stances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ethikos_stances"
    )
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "user"], name="ethikos_stance_topic_user_unique"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=-3) & Q(value__lte=3), name="ethikos_stance_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.topic_id}: {self.value:+d}"


class EthikosArgument(models.Model):
    """An argument in a topic's thread. A reply's parent belongs to the same topic: the
    composite foreign key (parent_id, topic_id) -> (id, topic_id) is added by migration 0002."""

    class Side(models.TextChoices):
        PRO = "pro", "Pro"
        CON = "con", "Con"

    topic = models.ForeignKey(EthikosTopic, on_delete=models.CASCADE, related_name="arguments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ethikos_arguments"
    )
    content = models.TextField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    side = models.CharField(max_length=3, choices=Side.choices, blank=True, default="")
    is_hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["id", "topic"], name="ethikos_argument_id_topic_unique"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["", "pro", "con"]),
                name="ethikos_argument_side_valid",
            ),
            models.CheckConstraint(
                condition=~Q(content=""), name="ethikos_argument_content_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("id")),
                name="ethikos_argument_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return f"argument {self.pk} on {self.topic_id}"


class EthikosArgumentReport(models.Model):
    """One user's report of an argument; ETHIKOS_AUTO_HIDE_REPORTS distinct reporters hide it."""

    argument = models.ForeignKey(EthikosArgument, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ethikos_reports"
    )
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["argument", "reporter"], name="ethikos_report_argument_reporter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"report of {self.argument_id} by {self.reporter_id}"
