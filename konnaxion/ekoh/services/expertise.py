"""Expertise scores, the ethical multiplier, and the voting weight other modules read.

Formulas (also in docs/data-model.md):

- ethical multiplier m = clamp(UserEthicsScore.ethical_score, EKOH_MIN_MULTIPLIER,
  EKOH_MAX_MULTIPLIER); a user without an ethics score has 1 (then clamped).
- configured weight w = the `ScoreConfiguration` named `raw_weight_expertise` for the category
  (`field` = category name), else the global one, else 1.
- weighted_score = raw_score x w x m (raw_score on a 0-100 scale).
- voter weight in a domain = m + weighted_score / 100: m alone without expertise in the domain,
  rising with expertise (for example 1 + 1.5 = 2.5 for a top expert with m = 1).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction

from konnaxion.core.errors import ValidationFailed
from konnaxion.ekoh.models import (
    ExpertiseCategory,
    ScoreConfiguration,
    ScoreHistory,
    UserEthicsScore,
    UserExpertiseScore,
)
from konnaxion.ekoh.models.scores import RAW_SCORE_MAX
from konnaxion.users.models import User

EXPERTISE_WEIGHT_NAME = "raw_weight_expertise"
SCORE_SCALE = Decimal("100")
_PLACES = Decimal("0.001")


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def multiplier_clamp(value: Decimal) -> Decimal:
    """`value` kept within [EKOH_MIN_MULTIPLIER, EKOH_MAX_MULTIPLIER]."""
    low = Decimal(str(settings.EKOH_MIN_MULTIPLIER))
    high = Decimal(str(settings.EKOH_MAX_MULTIPLIER))
    return _quantize(min(max(Decimal(value), low), high))


def ethical_multiplier(*, user: User) -> Decimal:
    """The user's clamped ethical multiplier (1, clamped, when the user has no ethics score)."""
    score = (
        UserEthicsScore.objects.filter(user=user).values_list("ethical_score", flat=True).first()
    )
    return multiplier_clamp(score if score is not None else Decimal("1"))


def configured_weight(
    *, category: ExpertiseCategory, weight_name: str = EXPERTISE_WEIGHT_NAME
) -> Decimal:
    """The weight named `weight_name` for `category`, else the global one, else 1."""
    weights = dict(
        ScoreConfiguration.objects.filter(weight_name=weight_name).values_list(
            "field", "weight_value"
        )
    )
    return weights.get(category.name, weights.get(None, Decimal("1")))


def weighted_score_of(*, raw_score: Decimal, weight: Decimal, multiplier: Decimal) -> Decimal:
    """raw_score x configured weight x ethical multiplier, to three decimals."""
    return _quantize(Decimal(raw_score) * Decimal(weight) * Decimal(multiplier))


def _apply(*, score: UserExpertiseScore, raw_score: Decimal, reason: str) -> UserExpertiseScore:
    """Set `score` (locked by the caller) and write its history row when anything changed."""
    new_weighted = weighted_score_of(
        raw_score=raw_score,
        weight=configured_weight(category=score.category),
        multiplier=ethical_multiplier(user=score.user),
    )
    if new_weighted == score.weighted_score and raw_score == score.raw_score:
        return score
    ScoreHistory.objects.create(
        merit_score=score,
        old_value=score.weighted_score,
        new_value=new_weighted,
        change_reason=reason[:255],
    )
    score.raw_score = raw_score
    score.weighted_score = new_weighted
    score.save(update_fields=["raw_score", "weighted_score", "updated_at"])
    return score


def _locked_score(*, user: User, category: ExpertiseCategory) -> UserExpertiseScore:
    UserExpertiseScore.objects.get_or_create(user=user, category=category)
    return (
        UserExpertiseScore.objects.select_for_update()
        .select_related("category", "user")
        .get(user=user, category=category)
    )


@transaction.atomic
def expertise_score_set(
    *, user: User, category: ExpertiseCategory, raw_score: Decimal | int | float | str, reason: str
) -> UserExpertiseScore:
    """Set the user's raw score in `category` (0-100) and recompute the weighted score.

    Writes a `ScoreHistory` row in the same transaction. Raises ValidationFailed.
    """
    raw = _raw_score_checked(raw_score)
    if not reason.strip():
        raise ValidationFailed("A reason is required.", details={"fields": {"reason": "blank"}})
    return _apply(score=_locked_score(user=user, category=category), raw_score=raw, reason=reason)


@transaction.atomic
def expertise_score_adjust(
    *, score: UserExpertiseScore, delta: Decimal, reason: str
) -> UserExpertiseScore:
    """Add `delta` to the raw score, kept within 0-100; history is written as for a set."""
    locked = _locked_score(user=score.user, category=score.category)
    raw = min(max(locked.raw_score + Decimal(delta), Decimal("0")), RAW_SCORE_MAX)
    return _apply(score=locked, raw_score=_quantize(raw), reason=reason)


@transaction.atomic
def ethics_score_set(*, user: User, ethical_score: Decimal | float | str) -> UserEthicsScore:
    """Store the user's ethical score clamped to the multiplier bounds; rescore their domains."""
    try:
        value = Decimal(str(ethical_score))
        if not value.is_finite():
            raise ArithmeticError(value)
        value = multiplier_clamp(value)
    except ArithmeticError as error:
        raise ValidationFailed("The ethical score must be a number.") from error
    ethics, _ = UserEthicsScore.objects.update_or_create(
        user=user, defaults={"ethical_score": value}
    )
    scores = (
        UserExpertiseScore.objects.select_for_update()
        .select_related("category", "user")
        .filter(user=user)
        .order_by("id")
    )
    for score in scores:
        _apply(score=score, raw_score=score.raw_score, reason="ethical multiplier changed")
    return ethics


def voter_weight(*, user: User, category: ExpertiseCategory | None) -> Decimal:
    """The weight of `user`'s vote in `category`: m + weighted_score / 100.

    m is the clamped ethical multiplier; without expertise in the domain (or without a domain)
    the weight is m alone.
    """
    multiplier = ethical_multiplier(user=user)
    if category is None:
        return multiplier
    weighted = (
        UserExpertiseScore.objects.filter(user=user, category=category)
        .values_list("weighted_score", flat=True)
        .first()
    )
    return _quantize(multiplier + (weighted or Decimal("0")) / SCORE_SCALE)


def _raw_score_checked(raw_score: Decimal | int | float | str) -> Decimal:
    try:
        raw = Decimal(str(raw_score))
        raw = _quantize(raw) if raw.is_finite() else raw
    except ArithmeticError as error:
        raise ValidationFailed(
            "The raw score must be a number.", details={"fields": {"raw_score": "not a number"}}
        ) from error
    if not raw.is_finite() or not Decimal("0") <= raw <= RAW_SCORE_MAX:
        raise ValidationFailed(
            "The raw score must be between 0 and 100.",
            details={"fields": {"raw_score": "out of range"}},
        )
    return raw
