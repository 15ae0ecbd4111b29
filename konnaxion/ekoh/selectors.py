"""Reads of EkoH, with what confidentiality needs already selected."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet

from konnaxion.core.visibility import visible_to
from konnaxion.ekoh.models import ExpertiseCategory, ScoreHistory, UserExpertiseScore
from konnaxion.users.models import User


def holder_shown_to(*, viewer: User | AnonymousUser) -> Exists:
    """Whether `viewer` may learn who holds a row's `user` (an expression for `annotate`): the
    people module's rule (hidden profiles, blocks, closed accounts), or the holder's own row."""
    people = visible_to(model=get_user_model(), user=viewer)
    return Exists(people.filter(pk=OuterRef("user_id")))


def expertise_scores_listed(*, viewer: User | AnonymousUser) -> QuerySet[UserExpertiseScore]:
    """Every score of an active account with its user, their confidentiality level and the
    category selected, annotated `holder_shown` (may `viewer` see who holds it)."""
    return (
        UserExpertiseScore.objects.filter(user__is_active=True)
        .select_related("user", "user__confidentiality_setting", "category")
        .annotate(holder_shown=holder_shown_to(viewer=viewer))
    )


def expertise_categories() -> QuerySet[ExpertiseCategory]:
    return ExpertiseCategory.objects.all()


def score_history_of(*, user: User) -> QuerySet[ScoreHistory]:
    """The history of `user`'s own scores (nobody else's history is readable)."""
    return ScoreHistory.objects.filter(merit_score__user=user).select_related(
        "merit_score__category"
    )
