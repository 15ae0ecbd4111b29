"""Accents do not matter to the search: `unaccent` runs before the stemmer in text-search
configurations of our own (konnaxion_english, _french, _spanish, _simple; the names are
konnaxion.core.search.TEXT_SEARCH_CONFIGURATIONS), which comments' generated vector now uses.
`pg_trgm` and the vocabulary of documents' words give the search's "did you mean"."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations, models

# (our configuration, PostgreSQL's it copies, the dictionary after unaccent)
CONFIGURATIONS = (
    ("konnaxion_english", "english", "english_stem"),
    ("konnaxion_french", "french", "french_stem"),
    ("konnaxion_spanish", "spanish", "spanish_stem"),
    ("konnaxion_simple", "simple", "simple"),
)
# Word token types that may carry accents (the ascii* ones never do).
ACCENTED_TOKENS = "hword, hword_part, word"


def _configurations_create() -> str:
    return "\n".join(
        f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source});"
        f" ALTER TEXT SEARCH CONFIGURATION {name}"
        f" ALTER MAPPING FOR {ACCENTED_TOKENS} WITH unaccent, {dictionary};"
        for name, source, dictionary in CONFIGURATIONS
    )


def _configurations_drop() -> str:
    return "\n".join(
        f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name};" for name, _s, _d in CONFIGURATIONS
    )


# Comments' generated vector, under konnaxion_simple (then back under simple): PostgreSQL 16
# cannot change a generated column's expression, so the column and its index are made again.
COMMENT_VECTOR = """
DROP INDEX IF EXISTS kk_comment_search;
ALTER TABLE keenkonnect_documentcomment DROP COLUMN search_vector;
ALTER TABLE keenkonnect_documentcomment ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('{config}'::regconfig, COALESCE(body, ''))) STORED;
CREATE INDEX kk_comment_search ON keenkonnect_documentcomment USING gin (search_vector);
"""


class Migration(migrations.Migration):
    dependencies = [("keenkonnect", "0014_project_two_factor_required")]

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunSQL(_configurations_create(), _configurations_drop()),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    COMMENT_VECTOR.format(config="konnaxion_simple"),
                    COMMENT_VECTOR.format(config="simple"),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="documentcomment",
                    name="search_vector",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.SearchVector(
                            "body", config="konnaxion_simple"
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                )
            ],
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True)),
                ("documents", models.IntegerField(default=0)),
            ],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["word"], name="kk_search_word_trgm", opclasses=["gin_trgm_ops"]
                    )
                ],
            },
        ),
    ]
