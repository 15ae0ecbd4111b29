"""Reads of ethiKos: hidden arguments stay visible to their author and moderators only."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from konnaxion.core.permissions import is_moderator
from konnaxion.ethikos.models import (
    CitizenSuggestion,
    Consultation,
    ConsultationResult,
    ConsultationVote,
    EthikosArgument,
    EthikosCategory,
    EthikosStance,
    EthikosTopic,
    ImpactTrack,
)
from konnaxion.users.models import User


def categories_listed() -> QuerySet[EthikosCategory]:
    return EthikosCategory.objects.all()


def topics_listed() -> QuerySet[EthikosTopic]:
    """Topics with their creator, category and stance count."""
    return (
        EthikosTopic.objects.select_related("created_by", "category")
        .annotate(stance_count=Count("stances", distinct=True))
        .order_by("-start_date", "-id")
    )


def stances_of(*, user: User) -> QuerySet[EthikosStance]:
    """A user's own stances (stances are counted, never listed per person)."""
    return EthikosStance.objects.filter(user=user).select_related("topic")


def arguments_visible_to(*, user: User) -> QuerySet[EthikosArgument]:
    """Visible arguments, plus hidden ones to their author and to moderators."""
    arguments = EthikosArgument.objects.select_related("author")
    if is_moderator(user):
        return arguments
    return arguments.filter(Q(is_hidden=False) | Q(author=user))


def consultations_listed() -> QuerySet[Consultation]:
    return (
        Consultation.objects.select_related("category", "created_by")
        .annotate(suggestion_count=Count("suggestions", distinct=True))
        .order_by("-open_date", "-id")
    )


def suggestions_listed() -> QuerySet[CitizenSuggestion]:
    return CitizenSuggestion.objects.select_related("author")


def consultation_votes_of(*, user: User) -> QuerySet[ConsultationVote]:
    return ConsultationVote.objects.filter(user=user)


def consultation_results() -> QuerySet[ConsultationResult]:
    return ConsultationResult.objects.all()


def impact_tracks_listed() -> QuerySet[ImpactTrack]:
    return ImpactTrack.objects.all()
