"""Artists who uploaded artworks before having a profile get the default one (members-only,
discoverable), as an upload creates it now: an artwork is seen as its artist's profile is."""

from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCH_CONFIG = "english"  # as professional_profile.SEARCH_CONFIG


def profiles_for_artists(apps, schema_editor):
    ProfessionalProfile = apps.get_model("kreative", "ProfessionalProfile")
    KreativeArtwork = apps.get_model("kreative", "KreativeArtwork")
    User = apps.get_model("users", "User")
    artists = User.objects.filter(
        pk__in=KreativeArtwork.objects.values("artist_id"), professional_profile__isnull=True
    )
    created = ProfessionalProfile.objects.bulk_create(
        ProfessionalProfile(user=artist, display_name=artist.name or artist.username)
        for artist in artists
    )
    ProfessionalProfile.objects.filter(pk__in=[profile.pk for profile in created]).update(
        search_vector=SearchVector("display_name", "headline", weight="B", config=SEARCH_CONFIG)
        + SearchVector("bio", weight="C", config=SEARCH_CONFIG)
    )


class Migration(migrations.Migration):
    dependencies = [("kreative", "0006_matching_unlisted_indexes")]

    operations = [migrations.RunPython(profiles_for_artists, migrations.RunPython.noop)]
