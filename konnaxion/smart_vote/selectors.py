"""Reads of Smart Vote."""

from __future__ import annotations

from django.db.models import QuerySet

from konnaxion.smart_vote.models import EmergingExpert, Vote, VoteResult


def votes_of(*, user) -> QuerySet[Vote]:
    """A user's own votes (nobody reads another user's ballot)."""
    return Vote.objects.filter(user=user).select_related("modality")


def vote_results() -> QuerySet[VoteResult]:
    return VoteResult.objects.all()


def emerging_experts_listed() -> QuerySet[EmergingExpert]:
    """Flags with the user's confidentiality level and the category selected."""
    return EmergingExpert.objects.select_related(
        "user", "user__confidentiality_setting", "category"
    )
