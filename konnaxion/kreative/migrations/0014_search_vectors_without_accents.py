"""Profiles' and opportunities' stored search vectors computed again under konnaxion_english
(keenkonnect 0015: English stemming after `unaccent`), as their services compute them
(professional_profile.profile_search_vector_refresh,
opportunity_announcement.opportunity_search_vector_refresh)."""

from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Value

SEARCH_CONFIG = "konnaxion_english"  # as konnaxion.core.search.ENGLISH_CONFIGURATION
BATCH = 500


def _batches(queryset):
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield queryset.filter(pk__in=ids[start : start + BATCH])


def vectors_recompute(apps, schema_editor):
    ProfessionalProfile = apps.get_model("kreative", "ProfessionalProfile")
    Opportunity = apps.get_model("kreative", "Opportunity")
    for batch in _batches(ProfessionalProfile.objects.prefetch_related("skills", "styles")):
        for profile in batch:
            names = [tag.name for tag in profile.skills.all()]
            names += [tag.name for tag in profile.styles.all()]
            ProfessionalProfile.objects.filter(pk=profile.pk).update(
                search_vector=SearchVector(Value(" ".join(names)), weight="A", config=SEARCH_CONFIG)
                + SearchVector("display_name", "headline", weight="B", config=SEARCH_CONFIG)
                + SearchVector("bio", weight="C", config=SEARCH_CONFIG)
            )
    for batch in _batches(Opportunity.objects.prefetch_related("tags")):
        for opportunity in batch:
            tags = " ".join(tag.name for tag in opportunity.tags.all())
            Opportunity.objects.filter(pk=opportunity.pk).update(
                search_vector=SearchVector("title", weight="A", config=SEARCH_CONFIG)
                + SearchVector(Value(tags), weight="A", config=SEARCH_CONFIG)
                + SearchVector("organisation", "city", "country", weight="B", config=SEARCH_CONFIG)
                + SearchVector("description", "eligibility", weight="C", config=SEARCH_CONFIG)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("kreative", "0013_saved_searches"),
        ("keenkonnect", "0015_accent_insensitive_search"),
    ]

    # Going back keeps the vectors (a tsvector names no configuration): they still match, but
    # for accented words.
    operations = [migrations.RunPython(vectors_recompute, migrations.RunPython.noop)]
