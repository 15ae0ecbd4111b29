"""Resumable uploads keep their bytes in the shared storage instead of a server's own folder.

A session that had received bytes kept them in a file of one server's `STORAGE_TMP_DIR`, which
the new code neither reads nor knows: such sessions are deleted (their clients get 404 and start
again; the leftover `tus-*.part` files are removed by the next sweep once an hour old). Sessions
that had received nothing continue unchanged.
"""

from django.db import migrations, models


def unfinished_sessions_with_local_bytes_delete(apps, schema_editor):
    upload_session = apps.get_model("keenkonnect", "UploadSession")
    upload_session.objects.filter(offset__gt=0).delete()


class Migration(migrations.Migration):
    dependencies = [("keenkonnect", "0012_share_and_upload_links")]

    operations = [
        migrations.RunPython(
            unfinished_sessions_with_local_bytes_delete, migrations.RunPython.noop, elidable=True
        ),
        migrations.RemoveField(model_name="uploadsession", name="temp_path"),
        migrations.RemoveField(model_name="uploadsession", name="wrapped_key"),
        migrations.RemoveField(model_name="uploadsession", name="key_id"),
        migrations.RemoveField(model_name="uploadsession", name="nonce"),
        migrations.AddField(
            model_name="uploadsession",
            name="parts",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
