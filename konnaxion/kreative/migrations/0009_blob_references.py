# Kontact's files move into the platform's blob store (konnaxion.files), in three steps:
# 0009 adds the references to blobs beside the plain file fields (renaming the two whose names
# the new fields take), 0010 copies every plain file into a blob, 0011 removes the old fields.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0001_initial"),
        ("kreative", "0008_blob_and_tag_in_platform_apps"),
    ]

    operations = [
        # Their names are taken by the new relations: the derived sizes' rows, the avatar's blob.
        migrations.RenameField(
            model_name="kreativeartwork", old_name="derivatives", new_name="derivative_files"
        ),
        migrations.RenameField(
            model_name="professionalprofile", old_name="avatar", new_name="avatar_file"
        ),
        migrations.AddField(
            model_name="kreativeartwork",
            name="media",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="files.blob",
            ),
        ),
        migrations.AddField(
            model_name="kreativeartwork",
            name="media_name",
            field=models.CharField(blank=True, default="", max_length=255),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ArtworkDerivative",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("size", models.PositiveIntegerField()),
                (
                    "artwork",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="derivatives",
                        to="kreative.kreativeartwork",
                    ),
                ),
                (
                    "blob",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="files.blob",
                    ),
                ),
            ],
            options={
                "ordering": ("size",),
                "constraints": [
                    models.UniqueConstraint(
                        fields=("artwork", "size"),
                        name="kreative_artworkderivative_artwork_size_unique",
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="professionalprofile",
            name="avatar",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="files.blob",
            ),
        ),
        migrations.AddField(
            model_name="traditionentry",
            name="media",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="files.blob",
            ),
        ),
        migrations.AddField(
            model_name="traditionentry",
            name="media_content_type",
            field=models.CharField(blank=True, default="", max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="traditionentry",
            name="media_name",
            field=models.CharField(blank=True, default="", max_length=255),
            preserve_default=False,
        ),
    ]
