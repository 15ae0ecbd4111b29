"""EkoH reference data: the 26 ISCED-F 2013 fields and the default score weights."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "isced_f_2013.json"

# The values of spec/parameters.md (also SCORE_CONFIGURATION_DEFAULTS); a migration keeps them
# fixed, so that a later change of the setting does not rewrite what a database started with.
DEFAULT_WEIGHTS = {
    "raw_weight_quality": Decimal("1.000"),
    "raw_weight_expertise": Decimal("1.500"),
    "raw_weight_frequency": Decimal("0.750"),
}


def load(apps) -> None:
    """Create the missing categories and global weights (existing rows are left as they are)."""
    ExpertiseCategory = apps.get_model("ekoh", "ExpertiseCategory")
    ScoreConfiguration = apps.get_model("ekoh", "ScoreConfiguration")
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = entry["fields"]
        ExpertiseCategory.objects.get_or_create(
            code=fields["code"],
            defaults={"name": fields["name"], "description": fields["description"]},
        )
    for name, value in DEFAULT_WEIGHTS.items():
        ScoreConfiguration.objects.get_or_create(
            weight_name=name, field=None, defaults={"weight_value": value}
        )
