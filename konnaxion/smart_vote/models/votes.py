from decimal import Decimal

from django.conf import settings
from django.db import models

from konnaxion.smart_vote.models.modalities import VoteModality


class Vote(models.Model):
    """One user's current vote on a target; voting again replaces it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    target_type = models.CharField(max_length=130)
    target_id = models.CharField(max_length=64)
    modality = models.ForeignKey(VoteModality, on_delete=models.PROTECT, related_name="votes")
    # A number (approval, rating) or an ordered list of option ids (ranking, preferential).
    raw_value = models.JSONField()
    # The voter's EkoH weight in the target's domain when the vote was cast.
    weight = models.DecimalField(max_digits=9, decimal_places=3)
    weighted_value = models.DecimalField(max_digits=12, decimal_places=3)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "target_type", "target_id"],
                name="smart_vote_vote_user_target_unique",
            )
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.target_type}#{self.target_id}"


class VoteResult(models.Model):
    """The aggregate of every vote on a target, kept equal to it by `vote_cast`."""

    target_type = models.CharField(max_length=130)
    target_id = models.CharField(max_length=64)
    sum_weighted_value = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal("0"))
    sum_weight = models.DecimalField(max_digits=16, decimal_places=3, default=Decimal("0"))
    vote_count = models.PositiveIntegerField(default=0)
    # Ranking/preferential: weighted points per option id.
    tallies = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("target_type", "target_id")
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"], name="smart_vote_voteresult_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target_type}#{self.target_id}: {self.sum_weighted_value}"
