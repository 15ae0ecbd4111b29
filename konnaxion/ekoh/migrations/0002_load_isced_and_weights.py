"""Load the 26 ISCED-F 2013 fields and the default score weights (spec/parameters.md)."""

from django.db import migrations


def load(apps, schema_editor):
    from konnaxion.ekoh.reference_data import load as load_reference_data

    load_reference_data(apps)


def unload(apps, schema_editor):
    from konnaxion.ekoh.reference_data import DEFAULT_WEIGHTS

    apps.get_model("ekoh", "ScoreConfiguration").objects.filter(
        weight_name__in=DEFAULT_WEIGHTS, field=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("ekoh", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
