"""Load the 26 ISCED-F 2013 fields and the default score weights (spec/parameters.md)."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "isced_f_2013.json"

# Frozen with this migration: later changes of the settings do not rewrite history.
DEFAULT_WEIGHTS = {
    "raw_weight_quality": Decimal("1.000"),
    "raw_weight_expertise": Decimal("1.500"),
    "raw_weight_frequency": Decimal("0.750"),
}


def load(apps, schema_editor):
    ExpertiseCategory = apps.get_model("ekoh", "ExpertiseCategory")
    ScoreConfiguration = apps.get_model("ekoh", "ScoreConfiguration")
    for entry in json.loads(FIXTURE.read_text(encoding="utf-8")):
        fields = entry["fields"]
        ExpertiseCategory.objects.update_or_create(
            code=fields["code"],
            defaults={"name": fields["name"], "description": fields["description"]},
        )
    for name, value in DEFAULT_WEIGHTS.items():
        ScoreConfiguration.objects.get_or_create(
            weight_name=name, field=None, defaults={"weight_value": value}
        )


def unload(apps, schema_editor):
    apps.get_model("ekoh", "ScoreConfiguration").objects.filter(
        weight_name__in=DEFAULT_WEIGHTS, field=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ekoh", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
