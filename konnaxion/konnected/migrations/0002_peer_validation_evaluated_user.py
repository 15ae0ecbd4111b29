"""PeerValidation.evaluated_user equals its evaluation's user: (evaluation_id,
evaluated_user_id) references evaluation (id, user_id). With the check that the peer is not the
evaluated user, the database itself refuses self-validation."""

from django.db import migrations

FOREIGN_KEY = "peer_validation_evaluated_user_matches"


class Migration(migrations.Migration):
    dependencies = [("konnected", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE konnected_peervalidation ADD CONSTRAINT {FOREIGN_KEY} "
            "FOREIGN KEY (evaluation_id, evaluated_user_id) "
            "REFERENCES konnected_evaluation (id, user_id) ON DELETE CASCADE",
            f"ALTER TABLE konnected_peervalidation DROP CONSTRAINT {FOREIGN_KEY}",
        )
    ]
