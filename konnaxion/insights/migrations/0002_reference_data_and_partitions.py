"""Fill dim_date (2020-2035) and dim_domain, and create the fact partitions around today
(the beat task `fact_partitions_ensure_task` keeps creating them ahead)."""

from django.db import migrations
from django.utils import timezone


def forwards(apps, schema_editor):
    from konnaxion.insights.reference_data import load
    from konnaxion.insights.services.partitions import fact_partitions_ensure, month_add

    load(apps)
    fact_partitions_ensure(today=month_add(timezone.now().date(), -1), months_ahead=4)


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
