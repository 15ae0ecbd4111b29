"""Contextual adjustment of expertise scores, logged in `ContextAnalysisLog`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

from konnaxion.core.errors import ValidationFailed
from konnaxion.ekoh.models import ContextAnalysisLog, ScoreConfiguration, UserExpertiseScore
from konnaxion.ekoh.services.expertise import configured_weight, expertise_score_adjust


@transaction.atomic
def context_adjustment_apply(
    *,
    score: UserExpertiseScore,
    signals: dict[str, Any],
    input_metadata: dict[str, Any] | None = None,
) -> ContextAnalysisLog:
    """Adjust the raw score by the sum of `signals` x their `raw_weight_<signal>` weights.

    Each signal (e.g. `quality`, `frequency`) is a number, usually in [-1, 1]. The log holds the
    input and every adjustment made. Raises ValidationFailed for an unknown or non-numeric signal.
    """
    if not signals:
        raise ValidationFailed("At least one signal is needed.")
    contributions: dict[str, str] = {}
    delta = Decimal("0")
    for name, value in sorted(signals.items()):
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError) as error:
            raise ValidationFailed(
                "Signals must be numbers.", details={"fields": {name: "not a number"}}
            ) from error
        if not number.is_finite():
            raise ValidationFailed("Signals must be finite.", details={"fields": {name: "nan"}})
        weight_name = f"raw_weight_{name}"
        if not ScoreConfiguration.objects.filter(weight_name=weight_name).exists():
            raise ValidationFailed(
                "Unknown signal.", details={"fields": {name: "no weight is configured"}}
            )
        weight = configured_weight(category=score.category, weight_name=weight_name)
        contributions[name] = str(number * weight)
        delta += number * weight
    old_raw, old_weighted = score.raw_score, score.weighted_score
    score = expertise_score_adjust(score=score, delta=delta, reason="contextual adjustment")
    return ContextAnalysisLog.objects.create(
        entity_type="ekoh.userexpertisescore",
        entity_id=str(score.pk),
        field="raw_score",
        input_metadata={
            **(input_metadata or {}),
            "signals": {k: str(v) for k, v in signals.items()},
        },
        adjustments_applied={
            "contributions": contributions,
            "raw_score": {"old": str(old_raw), "new": str(score.raw_score)},
            "weighted_score": {"old": str(old_weighted), "new": str(score.weighted_score)},
        },
    )
