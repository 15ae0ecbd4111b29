"""Documents' stored search vectors computed again under the configurations that ignore
accents (0015), in batches, with the indexing service's own statement; and the vocabulary of
their words filled for the search's "did you mean"."""

from django.db import migrations

BATCH = 500


def vectors_recompute(apps, schema_editor):
    from konnaxion.keenkonnect.services.intelligent_indexing import resource_vector_refresh
    from konnaxion.keenkonnect.services.search_vocabulary import search_vocabulary_rebuild

    ProjectResource = apps.get_model("keenkonnect", "ProjectResource")
    ids = list(ProjectResource.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        resource_vector_refresh(resource_ids=ids[start : start + BATCH])
    search_vocabulary_rebuild()


class Migration(migrations.Migration):
    dependencies = [("keenkonnect", "0015_accent_insensitive_search")]

    # Going back keeps the vectors (a tsvector names no configuration): they still match, but
    # for accented words, until `konnaxion manage reindex` computes them again.
    operations = [migrations.RunPython(vectors_recompute, migrations.RunPython.noop)]
