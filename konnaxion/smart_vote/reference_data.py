"""Smart Vote reference data: the four modalities of VOTE_MODALITY_CHOICES."""

from __future__ import annotations

MODALITIES = {
    "approval": {"values": [0, 1]},
    "rating": {"min": 1, "max": 5},
    "ranking": {"min_items": 2, "max_items": 20},
    "preferential": {"min_items": 1, "max_items": 20},
}


def load(apps) -> None:
    """Create the missing modalities with their default parameters."""
    VoteModality = apps.get_model("smart_vote", "VoteModality")
    for name, parameters in MODALITIES.items():
        VoteModality.objects.get_or_create(name=name, defaults={"parameters": parameters})
