"""Fact tables: PostgreSQL declarative partitions, created by hand in migration 0001.

PostgreSQL requires a partitioned table's primary key (and every unique constraint) to contain
the partition key, so the database key is (id, date_id) or (id, month_id). Django is told `id`
alone is the primary key: ids are random UUIDs, but the database does not itself enforce their
uniqueness across partitions. Rows are written by services only; partitions are created ahead
by `fact_partitions_ensure` (beat, daily).
"""

import uuid

from django.db import models
from django.db.models import Q

from konnaxion.insights.models.dimensions import DimDate, DimDomain, DimEndpoint


class SmartVoteFact(models.Model):
    """One Smart Vote ballot cast, for analytics: the voter is a keyed hash, never an id."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.ForeignKey(
        DimDate, on_delete=models.PROTECT, db_column="date_id", related_name="+", db_index=False
    )
    domain = models.ForeignKey(
        DimDomain,
        null=True,
        on_delete=models.PROTECT,
        db_column="domain_id",
        related_name="+",
        db_index=False,
    )
    target_type = models.CharField(max_length=130)
    # uuid5 of "<target_type>#<target_id>": a stable identifier of the voted content.
    question_id = models.UUIDField()
    # HMAC of the user id under a key derived from the secret key (not reversible by hashing ids).
    user_hash = models.UUIDField(db_column="user_id")
    vote_value = models.DecimalField(max_digits=12, decimal_places=3)
    weighted_value = models.DecimalField(max_digits=12, decimal_places=3)
    # The value on the modality's scale mapped to 0..1 (approval 0/1, rating (v-min)/(max-min),
    # ranking and preferential 1).
    score_normalised = models.DecimalField(max_digits=6, decimal_places=5)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "smart_vote_fact"
        ordering = ("-date_id", "-created_at")
        indexes = [models.Index(fields=["domain", "date"], name="smart_vote_fact_domain_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score_normalised__gte=0) & Q(score_normalised__lte=1),
                name="smart_vote_fact_normalised_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_type} on {self.date_id}"


class UsageMauFact(models.Model):
    """Monthly active users and content created, per domain; `month` is the month's first day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    month = models.ForeignKey(
        DimDate, on_delete=models.PROTECT, db_column="month_id", related_name="+", db_index=False
    )
    domain = models.ForeignKey(
        DimDomain, on_delete=models.PROTECT, db_column="domain_id", related_name="+", db_index=False
    )
    mau = models.PositiveIntegerField()
    projects_created = models.PositiveIntegerField(default=0)
    docs_uploaded = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "usage_mau_fact"
        ordering = ("-month_id", "domain_id")
        indexes = [models.Index(fields=["month", "domain"], name="usage_mau_fact_month_domain")]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "domain"], name="usage_mau_fact_month_domain_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.domain_id} in {self.month_id}: {self.mau}"


class ApiPerfFact(models.Model):
    """Latency and errors of one endpoint during one hour."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    date = models.ForeignKey(
        DimDate, on_delete=models.PROTECT, db_column="date_id", related_name="+", db_index=False
    )
    hour_of_day = models.SmallIntegerField()
    endpoint = models.ForeignKey(
        DimEndpoint,
        on_delete=models.PROTECT,
        db_column="endpoint_id",
        related_name="+",
        db_index=False,
    )
    p95_latency_ms = models.DecimalField(max_digits=10, decimal_places=2)
    # Share of responses with a 5xx status, in percent.
    error_rate_pct = models.DecimalField(max_digits=5, decimal_places=2)
    request_count = models.PositiveIntegerField()

    class Meta:
        db_table = "api_perf_fact"
        ordering = ("-date_id", "-hour_of_day")
        indexes = [
            models.Index(
                fields=["endpoint", "date", "hour_of_day"], name="api_perf_fact_endpoint_hour"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "hour_of_day", "endpoint"],
                name="api_perf_fact_hour_endpoint_unique",
            ),
            models.CheckConstraint(
                condition=Q(hour_of_day__gte=0) & Q(hour_of_day__lte=23),
                name="api_perf_fact_hour_range",
            ),
            models.CheckConstraint(
                condition=Q(error_rate_pct__gte=0) & Q(error_rate_pct__lte=100),
                name="api_perf_fact_error_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id} at {self.date_id}:{self.hour_of_day:02d}"
