"""The data migration giving artists without a profile the default one."""

import importlib

import pytest
from django.apps import apps

from konnaxion.kreative.models import ProfessionalProfile
from konnaxion.kreative.tests.factories import KreativeArtworkFactory, profile_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "konnaxion.kreative.migrations.0007_profiles_for_existing_artists"
)


def test_artists_without_a_profile_get_the_members_only_default():
    # given an artist whose artworks predate profiles, one with a public profile, a non-artist
    artwork = KreativeArtworkFactory()
    ProfessionalProfile.objects.filter(user=artwork.artist).delete()
    public = profile_for(visibility=ProfessionalProfile.Visibility.PUBLIC)
    KreativeArtworkFactory(artist=public.user)
    bystander = UserFactory()
    # when
    migration.profiles_for_artists(apps, None)
    # then
    created = ProfessionalProfile.objects.get(user=artwork.artist)
    assert created.visibility == ProfessionalProfile.Visibility.MEMBERS
    assert created.display_name == (artwork.artist.name or artwork.artist.username)
    assert created.search_vector
    assert ProfessionalProfile.objects.get(user=public.user).visibility == "public"
    assert not ProfessionalProfile.objects.filter(user=bystander).exists()
