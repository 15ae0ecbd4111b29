"""The four modalities of VOTE_MODALITY_CHOICES with their default parameters."""

from django.db import migrations


def load(apps, schema_editor):
    from konnaxion.smart_vote.reference_data import load as load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("smart_vote", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
