from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    # Built without locking writes to the documents: a large table keeps taking uploads.
    atomic = False

    dependencies = [
        ("keenkonnect", "0016_search_vectors_without_accents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="projectresource",
            index=models.Index(fields=["-updated_at", "-id"], name="kk_resource_recent"),
        ),
    ]
