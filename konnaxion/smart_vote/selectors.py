"""Reads of Smart Vote."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from konnaxion.core.visibility import visible_to
from konnaxion.ekoh.selectors import holder_shown_to
from konnaxion.smart_vote.models import EmergingExpert, IntegrationMapping, Vote, VoteResult
from konnaxion.users.models import User


def votes_of(*, user: User) -> QuerySet[Vote]:
    """A user's own votes (nobody reads another user's ballot)."""
    return Vote.objects.filter(user=user).select_related("modality")


def vote_results_visible_to(*, user: User | AnonymousUser) -> QuerySet[VoteResult]:
    """Results about targets `user` may see, decided inside the query.

    A target type whose mapping names a model inherits that model's visibility rule (a result
    about a members-only project is the project's business); other types are public."""
    with_model = {
        mapping.target_type: mapping.mapping_details["model"]
        for mapping in IntegrationMapping.objects.all()
        if isinstance(mapping.mapping_details, dict) and mapping.mapping_details.get("model")
    }
    readable = ~Q(target_type__in=list(with_model))
    for target_type, model_label in with_model.items():
        try:
            model = apps.get_model(model_label)
        except (LookupError, ValueError):
            continue  # a misconfigured mapping shows nothing rather than everything
        visible_ids = (
            visible_to(model=model, user=user)
            .annotate(target_key=Cast("pk", output_field=CharField()))
            .values("target_key")
        )
        readable |= Q(target_type=target_type, target_id__in=visible_ids)
    return VoteResult.objects.filter(readable)


def emerging_experts_listed(*, viewer: User | AnonymousUser) -> QuerySet[EmergingExpert]:
    """Flags of active accounts with the user's confidentiality level and the category selected,
    annotated `holder_shown` (may `viewer` see who was flagged)."""
    return (
        EmergingExpert.objects.filter(user__is_active=True)
        .select_related("user", "user__confidentiality_setting", "category")
        .annotate(holder_shown=holder_shown_to(viewer=viewer))
    )
