"""Saved searches of Kontact's People and Opportunities, and what their alerts already told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class SavedSearch(models.Model):
    """A search of the People or Opportunities tab that someone keeps, run again on demand and,
    with an alert, checked by the beat for new matches.

    `filters` holds the API's query parameters (`/api/profiles/`, `/api/connect/opportunities/`),
    normalized: only known names, non-empty string values, validated by the filter code the pages
    and the API use. Matches changed before `alerts_since` are not new: the baseline moves when
    the search is saved, its filters change or its alert is turned on."""

    class Kind(models.TextChoices):
        PEOPLE = "people", "People"
        OPPORTUNITIES = "opportunities", "Opportunities"

    class Alert(models.TextChoices):
        OFF = "off", "Off"
        IMMEDIATE = "immediate", "Immediate"
        DAILY = "daily", "Daily digest"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=120)
    filters = models.JSONField(default=dict, blank=True)
    alert = models.CharField(max_length=16, choices=Alert.choices, default=Alert.OFF)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    alerts_since = models.DateTimeField(default=timezone.now)
    alerts_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name_plural = "saved searches"
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="kreative_savedsearch_owner"),
            models.Index(
                fields=["id"], condition=~Q(alert="off"), name="kreative_savedsearch_alert"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["people", "opportunities"]),
                name="kreative_savedsearch_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(alert__in=["off", "immediate", "daily"]),
                name="kreative_savedsearch_alert_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SavedSearchAlert(models.Model):
    """One match a saved search's alert told its owner of: an opportunity's id, or a person's
    user id, by the search's kind. At most one row per match, whatever runs at once."""

    saved_search = models.ForeignKey(SavedSearch, on_delete=models.CASCADE, related_name="alerts")
    object_id = models.PositiveBigIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["saved_search", "object_id"], name="kreative_savedsearchalert_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.saved_search_id} told of {self.object_id}"


class OpportunityReminder(models.Model):
    """`user` was reminded that `opportunity` closes soon: once per person and opportunity."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_reminders"
    )
    opportunity = models.ForeignKey(
        "kreative.Opportunity", on_delete=models.CASCADE, related_name="reminders"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "opportunity"], name="kreative_opportunityreminder_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} reminded of {self.opportunity_id}"
