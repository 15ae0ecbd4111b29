"""Casting votes: weighted by EkoH, aggregated into VoteResult under concurrency.

weighted_value = numeric value x voter weight, where the voter weight is
`konnaxion.ekoh.services.expertise.voter_weight` in the target's domain (ethical multiplier
alone when the target has no domain or the voter no expertise in it). For ranking and
preferential ballots the numeric value is 1 and per-option points go to `VoteResult.tallies`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Count, Sum

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.core.visibility import visible_to
from konnaxion.ekoh.models import ExpertiseCategory
from konnaxion.ekoh.services.expertise import voter_weight
from konnaxion.insights.services.facts import smart_vote_fact_record
from konnaxion.smart_vote.models import IntegrationMapping, Vote, VoteModality, VoteResult
from konnaxion.smart_vote.services.modalities import (
    ORDERED,
    normalised_value,
    numeric_value,
    option_points,
    raw_value_validate,
)
from konnaxion.users.models import User


def integration_mapping_for(*, target_type: str) -> IntegrationMapping:
    """The mapping declaring `target_type` ("module.context"). Raises ValidationFailed."""
    module_name, _, context_type = target_type.partition(".")
    mapping = IntegrationMapping.objects.filter(
        module_name=module_name, context_type=context_type
    ).first()
    if mapping is None:
        raise ValidationFailed(
            f"{target_type!r} is not a votable target type.",
            code="unknown_target_type",
            details={"fields": {"target_type": "not declared by any IntegrationMapping"}},
        )
    return mapping


def target_category(
    *, mapping: IntegrationMapping, target_id: str, user: User
) -> ExpertiseCategory | None:
    """The target's domain as the mapping declares it.

    Raises NotFound for a target that does not exist or that `user` may not see."""
    details = mapping.mapping_details or {}
    model_label = details.get("model")
    if model_label:
        try:
            model = apps.get_model(model_label)
        except (LookupError, ValueError) as error:
            raise ValidationFailed("The target type is misconfigured.") from error
        try:
            target = visible_to(model=model, user=user).filter(pk=target_id).first()
        except (ValueError, TypeError, ValidationError):
            target = None
        if target is None:
            raise NotFound("No such vote target.")
        field = details.get("category_field")
        if field:
            try:
                model._meta.get_field(field)
            except FieldDoesNotExist as error:
                raise ValidationFailed("The target type is misconfigured.") from error
            return getattr(target, field)
    code = details.get("category")
    return ExpertiseCategory.objects.filter(code=code).first() if code else None


def _modality_for(
    *, mapping: IntegrationMapping, modality: VoteModality | str | None
) -> VoteModality:
    declared = (mapping.mapping_details or {}).get("modality", VoteModality.Name.APPROVAL)
    wanted = modality.name if isinstance(modality, VoteModality) else (modality or declared)
    if wanted != declared:
        raise ValidationFailed(
            f"Votes on {mapping.target_type} use the {declared} modality.",
            code="wrong_modality",
            details={"fields": {"modality": declared}},
        )
    found = VoteModality.objects.filter(name=declared).first()
    if found is None:
        raise ValidationFailed(f"The {declared} modality is not configured.")
    return found


@transaction.atomic
def vote_cast(
    *,
    user: User,
    target_type: str,
    target_id: str | int,
    raw_value: Any,
    modality: VoteModality | str | None = None,
) -> Vote:
    """Record `user`'s vote (replacing an earlier one) and bring the target's VoteResult up to date.

    The result row is locked for the whole transaction and recomputed from the votes, so it
    equals their aggregate whatever the concurrency. Raises ValidationFailed, NotFound.
    """
    target_id = str(target_id)
    if not target_id or len(target_id) > 64:
        raise ValidationFailed(details={"fields": {"target_id": "1 to 64 characters"}})
    mapping = integration_mapping_for(target_type=target_type)
    modality = _modality_for(mapping=mapping, modality=modality)
    value = raw_value_validate(modality=modality, raw_value=raw_value)
    category = target_category(mapping=mapping, target_id=target_id, user=user)
    weight = voter_weight(user=user, category=category)
    number = numeric_value(modality=modality, raw_value=value)
    weighted = (number * weight).quantize(Decimal("0.001"))

    VoteResult.objects.get_or_create(target_type=target_type, target_id=target_id)
    result = VoteResult.objects.select_for_update().get(
        target_type=target_type, target_id=target_id
    )
    vote, _ = Vote.objects.update_or_create(
        user=user,
        target_type=target_type,
        target_id=target_id,
        defaults={
            "modality": modality,
            "raw_value": value,
            "weight": weight,
            "weighted_value": weighted,
        },
    )
    _result_recompute(result=result, modality=modality)
    # Every ballot cast (a replacement too) is one analytic fact, in the same transaction.
    smart_vote_fact_record(
        user_id=user.pk,
        target_type=target_type,
        target_id=target_id,
        vote_value=number,
        weighted_value=weighted,
        score_normalised=normalised_value(modality=modality, raw_value=value),
    )
    return vote


def _result_recompute(*, result: VoteResult, modality: VoteModality) -> None:
    votes = Vote.objects.filter(target_type=result.target_type, target_id=result.target_id)
    totals = votes.aggregate(total=Sum("weighted_value"), weights=Sum("weight"), count=Count("id"))
    result.sum_weighted_value = totals["total"] or Decimal("0")
    result.sum_weight = totals["weights"] or Decimal("0")
    result.vote_count = totals["count"]
    if modality.name in ORDERED:
        tallies: dict[str, Decimal] = defaultdict(Decimal)
        for raw_value, weight in votes.values_list("raw_value", "weight"):
            for option, points in option_points(modality=modality, raw_value=raw_value).items():
                tallies[option] += points * weight
        result.tallies = {option: str(points) for option, points in sorted(tallies.items())}
    result.save()
