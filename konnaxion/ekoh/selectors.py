"""Reads of EkoH, with what confidentiality needs already selected."""

from __future__ import annotations

from django.db.models import QuerySet

from konnaxion.ekoh.models import ExpertiseCategory, ScoreHistory, UserExpertiseScore


def expertise_scores_listed() -> QuerySet[UserExpertiseScore]:
    """Every score with its user, their confidentiality level and the category selected."""
    return UserExpertiseScore.objects.select_related(
        "user", "user__confidentiality_setting", "category"
    )


def expertise_categories() -> QuerySet[ExpertiseCategory]:
    return ExpertiseCategory.objects.all()


def score_history_of(*, user) -> QuerySet[ScoreHistory]:
    """The history of `user`'s own scores (nobody else's history is readable)."""
    return ScoreHistory.objects.filter(merit_score__user=user).select_related(
        "merit_score__category"
    )
