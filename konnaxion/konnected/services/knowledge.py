"""The KonnectED library: resources, recommendations, learning progress, portfolios."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.konnected.models import (
    KnowledgeRecommendation,
    KnowledgeResource,
    LearningProgress,
    Portfolio,
)
from konnaxion.users.models import User


@transaction.atomic
def knowledge_resource_create(
    *, author: User, title: str, type: str, url: str
) -> KnowledgeResource:
    """Add a resource to the library. Raises ValidationFailed."""
    if type not in KnowledgeResource.Type.values:
        raise ValidationFailed(details={"fields": {"type": "unknown type"}})
    if not title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    return KnowledgeResource.objects.create(author=author, title=title.strip(), type=type, url=url)


@transaction.atomic
def knowledge_recommendation_create(
    *, user: User, resource: KnowledgeResource, recommended_by: User | None = None
) -> KnowledgeRecommendation:
    """Recommend `resource` to `user` once. Raises ValidationFailed (to oneself), Conflict."""
    if recommended_by is not None and recommended_by.pk == user.pk:
        raise ValidationFailed("Recommend resources to others.", code="self_recommendation")
    try:
        with transaction.atomic():
            return KnowledgeRecommendation.objects.create(
                user=user, resource=resource, recommended_by=recommended_by
            )
    except IntegrityError as error:
        raise Conflict("Already recommended to this user.", code="already_recommended") from error


@transaction.atomic
def learning_progress_set(
    *, user: User, resource: KnowledgeResource, progress_percent: int
) -> LearningProgress:
    """Set the user's progress (0-100) on a resource. Raises ValidationFailed."""
    if isinstance(progress_percent, bool) or not 0 <= progress_percent <= 100:
        raise ValidationFailed(details={"fields": {"progress_percent": "0 to 100"}})
    progress, _ = LearningProgress.objects.update_or_create(
        user=user, resource=resource, defaults={"progress_percent": progress_percent}
    )
    return progress


@transaction.atomic
def portfolio_create(
    *, user: User, title: str, description: str = "", items: Iterable[KnowledgeResource] = ()
) -> Portfolio:
    """Create a portfolio of `items`. Raises ValidationFailed."""
    if not title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    portfolio = Portfolio.objects.create(user=user, title=title.strip(), description=description)
    portfolio.items.set(items)
    return portfolio


@transaction.atomic
def portfolio_update(*, portfolio: Portfolio, actor: User, **changes: Any) -> Portfolio:
    """Change title, description or items of one's own portfolio. Raises PermissionDenied."""
    if portfolio.user_id != actor.pk:
        raise PermissionDenied("Only its owner edits a portfolio.")
    items = changes.pop("items", None)
    for field, value in changes.items():
        setattr(portfolio, field, value)
    if not portfolio.title.strip():
        raise ValidationFailed(details={"fields": {"title": "blank"}})
    portfolio.save()
    if items is not None:
        portfolio.items.set(items)
    return portfolio


@transaction.atomic
def portfolio_delete(*, portfolio: Portfolio, actor: User) -> None:
    """Delete one's own portfolio. Raises PermissionDenied."""
    if portfolio.user_id != actor.pk:
        raise PermissionDenied("Only its owner deletes a portfolio.")
    portfolio.delete()
