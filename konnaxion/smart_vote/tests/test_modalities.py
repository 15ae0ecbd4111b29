"""Raw values are validated by the modality's parameters."""

import pytest

from konnaxion.core.errors import ValidationFailed
from konnaxion.smart_vote.models import VoteModality
from konnaxion.smart_vote.services.modalities import raw_value_validate

pytestmark = pytest.mark.django_db


def modality(name: str, **parameters) -> VoteModality:
    found = VoteModality.objects.get(name=name)
    if parameters:
        found.parameters = parameters
    return found


@pytest.mark.parametrize(
    ("name", "parameters", "raw", "expected"),
    [
        ("approval", {}, 1, 1),
        ("approval", {}, 0, 0),
        ("rating", {}, 5, 5),
        ("rating", {"min": 0, "max": 10, "step": 0.5}, 7.5, 7.5),
        ("ranking", {}, ["b", "a"], ["b", "a"]),
        ("ranking", {"options": [1, 2, 3], "min_items": 2}, [3, 1], ["3", "1"]),
        ("preferential", {}, ["x"], ["x"]),
    ],
)
def test_valid_values_are_accepted(name, parameters, raw, expected):
    assert raw_value_validate(modality=modality(name, **parameters), raw_value=raw) == expected


@pytest.mark.parametrize(
    ("name", "parameters", "raw"),
    [
        ("approval", {}, 2),
        ("approval", {}, True),
        ("approval", {}, "1"),
        ("rating", {}, 0),
        ("rating", {}, 6),
        ("rating", {}, "5"),
        ("rating", {"min": 0, "max": 10, "step": 0.5}, 7.3),
        ("ranking", {}, ["a"]),
        ("ranking", {}, ["a", "a"]),
        ("ranking", {}, "a,b"),
        ("ranking", {}, [["a"], "b"]),
        ("ranking", {"options": ["a", "b"]}, ["a", "z"]),
        ("preferential", {}, []),
        ("preferential", {"max_items": 2}, ["a", "b", "c"]),
    ],
)
def test_invalid_values_are_refused(name, parameters, raw):
    with pytest.raises(ValidationFailed) as error:
        raw_value_validate(modality=modality(name, **parameters), raw_value=raw)
    assert error.value.code == "invalid_vote"
