"""Validation of raw vote values by modality, and their numeric reading."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from konnaxion.core.errors import ValidationFailed
from konnaxion.smart_vote.models import VoteModality

Name = VoteModality.Name
ORDERED = (Name.RANKING, Name.PREFERENTIAL)


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(
        message, code="invalid_vote", details={"fields": {"raw_value": message}}
    )


def raw_value_validate(*, modality: VoteModality, raw_value: Any) -> Any:
    """`raw_value` checked against the modality's parameters, in canonical form.

    approval: 0 or 1; rating: a number within [min, max] (and a multiple of `step` if given);
    ranking / preferential: a list of distinct option ids (strings or integers), whose length is
    within [min_items, max_items] and whose items are in `options` if the modality lists them.
    Raises ValidationFailed.
    """
    parameters = modality.parameters or {}
    if modality.name == Name.APPROVAL:
        if isinstance(raw_value, bool) or raw_value not in (0, 1):
            raise _invalid("An approval vote is 0 or 1.")
        return int(raw_value)
    if modality.name == Name.RATING:
        return _rating_checked(raw_value, parameters)
    if modality.name in ORDERED:
        return _ordering_checked(raw_value, parameters)
    raise _invalid(f"Unknown modality {modality.name}.")


def _rating_checked(raw_value: Any, parameters: dict) -> int | float:
    if isinstance(raw_value, bool) or not isinstance(raw_value, int | float):
        raise _invalid("A rating is a number.")
    try:
        value = Decimal(str(raw_value))
    except InvalidOperation as error:
        raise _invalid("A rating is a number.") from error
    if not value.is_finite():
        raise _invalid("A rating is a finite number.")
    low = Decimal(str(parameters.get("min", 1)))
    high = Decimal(str(parameters.get("max", 5)))
    if not low <= value <= high:
        raise _invalid(f"A rating is between {low} and {high}.")
    step = parameters.get("step")
    if step and (value - low) % Decimal(str(step)) != 0:
        raise _invalid(f"A rating moves in steps of {step}.")
    return raw_value


def _ordering_checked(raw_value: Any, parameters: dict) -> list:
    if not isinstance(raw_value, list) or not all(
        isinstance(item, str | int) and not isinstance(item, bool) for item in raw_value
    ):
        raise _invalid("A ranking is an ordered list of option ids.")
    items = [str(item) for item in raw_value]
    if len(set(items)) != len(items):
        raise _invalid("An option appears only once in a ranking.")
    low = int(parameters.get("min_items", 1))
    high = int(parameters.get("max_items", 20))
    if not low <= len(items) <= high:
        raise _invalid(f"A ranking lists {low} to {high} options.")
    options = parameters.get("options")
    if options is not None and not set(items) <= {str(option) for option in options}:
        raise _invalid("A ranking lists only the offered options.")
    return items


def numeric_value(*, modality: VoteModality, raw_value: Any) -> Decimal:
    """The number a vote counts for: its value (approval, rating) or 1 (one ballot)."""
    if modality.name in ORDERED:
        return Decimal("1")
    return Decimal(str(raw_value))


def normalised_value(*, modality: VoteModality, raw_value: Any) -> Decimal:
    """The value mapped to 0..1 on the modality's scale: approval as is, rating
    (value - min) / (max - min), ranking and preferential 1 (a whole ballot)."""
    if modality.name == Name.RATING:
        parameters = modality.parameters or {}
        low = Decimal(str(parameters.get("min", 1)))
        high = Decimal(str(parameters.get("max", 5)))
        if high <= low:
            return Decimal("1")
        share = (Decimal(str(raw_value)) - low) / (high - low)
        return min(max(share, Decimal("0")), Decimal("1")).quantize(Decimal("0.00001"))
    return numeric_value(modality=modality, raw_value=raw_value).quantize(Decimal("0.00001"))


def option_points(*, modality: VoteModality, raw_value: list[str]) -> dict[str, Decimal]:
    """Points per option of one ballot: Borda count for ranking, first choice for preferential."""
    if modality.name == Name.RANKING:
        size = len(raw_value)
        return {option: Decimal(size - index) for index, option in enumerate(raw_value)}
    return {raw_value[0]: Decimal("1")} if raw_value else {}
