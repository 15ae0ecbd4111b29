"""A reply's parent is in the same topic: (parent_id, topic_id) references (id, topic_id).

Django cannot declare a composite foreign key, so it is added here; the unique pair it targets
is `ethikos_argument_id_topic_unique`. MATCH SIMPLE: a top-level argument (no parent) passes.
"""

from django.db import migrations

FOREIGN_KEY = "ethikos_argument_parent_same_topic"
TABLE = "ethikos_ethikosargument"


class Migration(migrations.Migration):
    dependencies = [("ethikos", "0001_initial")]

    operations = [
        migrations.RunSQL(
            f"ALTER TABLE {TABLE} ADD CONSTRAINT {FOREIGN_KEY} FOREIGN KEY (parent_id, topic_id) "
            f"REFERENCES {TABLE} (id, topic_id) ON DELETE CASCADE",
            f"ALTER TABLE {TABLE} DROP CONSTRAINT {FOREIGN_KEY}",
        )
    ]
