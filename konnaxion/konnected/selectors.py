"""Reads of KonnectED."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from konnaxion.konnected.models import (
    CertificationPath,
    CoCreationContribution,
    CoCreationProject,
    Evaluation,
    ForumPost,
    ForumTopic,
    InteropMapping,
    KnowledgeRecommendation,
    KnowledgeResource,
    LearningProgress,
    PeerValidation,
    Portfolio,
)
from konnaxion.users.models import User


def certification_paths_listed() -> QuerySet[CertificationPath]:
    return CertificationPath.objects.all()


def evaluations_of(*, user: User) -> QuerySet[Evaluation]:
    """A user's own attempts, with their peer validations counted."""
    return (
        Evaluation.objects.filter(user=user)
        .select_related("path")
        .annotate(
            approvals=Count("peer_validations", filter=Q(peer_validations__decision="approved"))
        )
        .order_by("-created_at", "-id")
    )


def evaluations_to_validate() -> QuerySet[Evaluation]:
    """Evaluations a peer may validate (any, except their own: refused by the service)."""
    return Evaluation.objects.select_related("user")


def peer_validations_involving(*, user: User) -> QuerySet[PeerValidation]:
    """Validations the user gave or received."""
    return PeerValidation.objects.filter(Q(peer=user) | Q(evaluated_user=user)).select_related(
        "peer"
    )


def interop_mappings_listed() -> QuerySet[InteropMapping]:
    return InteropMapping.objects.all()


def knowledge_resources_listed() -> QuerySet[KnowledgeResource]:
    return KnowledgeResource.objects.select_related("author")


def recommendations_of(*, user: User) -> QuerySet[KnowledgeRecommendation]:
    return KnowledgeRecommendation.objects.filter(user=user).select_related(
        "resource", "recommended_by"
    )


def learning_progress_of(*, user: User) -> QuerySet[LearningProgress]:
    return LearningProgress.objects.filter(user=user).select_related("resource")


def portfolios_listed() -> QuerySet[Portfolio]:
    return Portfolio.objects.select_related("user").prefetch_related(
        Prefetch("items", queryset=KnowledgeResource.objects.only("id"))
    )


def cocreation_projects_listed() -> QuerySet[CoCreationProject]:
    return CoCreationProject.objects.select_related("owner")


def contributions_listed() -> QuerySet[CoCreationContribution]:
    return CoCreationContribution.objects.select_related("user")


def forum_topics_listed() -> QuerySet[ForumTopic]:
    return (
        ForumTopic.objects.select_related("creator")
        .annotate(post_count=Count("posts"))
        .order_by("-created_at", "-id")
    )


def forum_posts_listed() -> QuerySet[ForumPost]:
    return ForumPost.objects.select_related("author")
