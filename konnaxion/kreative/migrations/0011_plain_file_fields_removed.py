# The plain file fields, copied into blobs by 0010, go. Going back re-creates them empty (hence
# `blank`, which makes the artwork's file column default to ""), and 0010's reverse writes the
# files back.

import django.db.models.fields.files
from django.db import migrations

import konnaxion.kreative.models.artworks


class Migration(migrations.Migration):
    dependencies = [("kreative", "0010_plain_files_into_blobs")]

    operations = [
        migrations.AlterField(
            model_name="kreativeartwork",
            name="media_file",
            field=django.db.models.fields.files.FileField(
                blank=True,
                max_length=255,
                upload_to=konnaxion.kreative.models.artworks.artwork_upload_to,
            ),
        ),
        migrations.RemoveField(model_name="kreativeartwork", name="media_file"),
        migrations.RemoveField(model_name="kreativeartwork", name="derivative_files"),
        migrations.RemoveField(model_name="professionalprofile", name="avatar_file"),
        migrations.RemoveField(model_name="traditionentry", name="media_file"),
    ]
