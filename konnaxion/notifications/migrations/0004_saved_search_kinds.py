from django.db import migrations, models

KINDS = [
    ("project_invited", "Invited to a project"),
    ("room_invited", "Invited to a room"),
    ("version_added", "New version of a watched document"),
    ("comment_added", "Comment on a watched document"),
    ("mentioned", "Mention"),
    ("permission_changed", "Permission changed"),
    ("lock_broken", "Lock broken"),
    ("share_link_used", "Share link first used"),
    ("upload_link_received", "Upload link received a file"),
    ("account_export_ready", "Your data export is ready"),
    ("saved_search_match", "New match of a saved search (alert at once)"),
    ("saved_search_daily", "New match of a saved search (daily alert)"),
    ("opportunity_closing_soon", "Saved opportunity closing soon"),
    ("application_received", "Application received"),
    ("application_status_changed", "Application status changed"),
    ("application_decided", "Decision on an application"),
    ("juror_invited", "Invited to a jury"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_application_kinds"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=32),
        ),
        migrations.AlterField(
            model_name="notificationsetting",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=32),
        ),
    ]
