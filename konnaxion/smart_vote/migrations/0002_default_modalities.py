"""The four modalities of VOTE_MODALITY_CHOICES with their default parameters."""

from django.db import migrations

MODALITIES = {
    "approval": {"values": [0, 1]},
    "rating": {"min": 1, "max": 5},
    "ranking": {"min_items": 2, "max_items": 20},
    "preferential": {"min_items": 1, "max_items": 20},
}


def load(apps, schema_editor):
    VoteModality = apps.get_model("smart_vote", "VoteModality")
    for name, parameters in MODALITIES.items():
        VoteModality.objects.get_or_create(name=name, defaults={"parameters": parameters})


class Migration(migrations.Migration):
    dependencies = [("smart_vote", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
