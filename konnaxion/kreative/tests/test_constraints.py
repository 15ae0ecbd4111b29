"""The database itself refuses what the Kreative invariants forbid."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from konnaxion.kreative.models import ArtworkTag, GalleryArtwork, TraditionEntry
from konnaxion.kreative.tests.factories import (
    CollabSessionFactory,
    GalleryFactory,
    KreativeArtworkFactory,
    TagFactory,
    TraditionEntryFactory,
)
from konnaxion.tags.models import Tag

pytestmark = pytest.mark.django_db


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_tag_name_is_unique_ignoring_case():
    # given
    Tag.objects.create(name="Watercolour")
    # when / then
    refused(lambda: Tag.objects.create(name="WATERCOLOUR"))
    assert Tag.objects.count() == 1


def test_artwork_tag_pair_is_unique():
    # given
    artwork, tag = KreativeArtworkFactory(), TagFactory()
    ArtworkTag.objects.create(artwork=artwork, tag=tag)
    # when / then
    refused(lambda: ArtworkTag.objects.create(artwork=artwork, tag=tag))


def test_gallery_holds_an_artwork_once():
    # given
    gallery, artwork = GalleryFactory(), KreativeArtworkFactory()
    GalleryArtwork.objects.create(gallery=gallery, artwork=artwork, order=0)
    # when / then
    refused(lambda: GalleryArtwork.objects.create(gallery=gallery, artwork=artwork, order=1))


def test_gallery_positions_are_unique_at_commit():
    # given
    gallery = GalleryFactory()
    GalleryArtwork.objects.create(gallery=gallery, artwork=KreativeArtworkFactory(), order=0)

    # when two artworks share a position, the deferred constraint fires at commit
    def clash():
        GalleryArtwork.objects.create(gallery=gallery, artwork=KreativeArtworkFactory(), order=0)
        with transaction.get_connection().cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    # then
    refused(clash)


def test_artwork_media_type_is_one_of_the_enum():
    refused(lambda: KreativeArtworkFactory(media_type="hologram"))


def test_approved_tradition_entry_has_an_approval_date():
    entry = TraditionEntryFactory()
    refused(lambda: TraditionEntry.objects.filter(pk=entry.pk).update(approved=True))


def test_collab_session_cannot_end_before_it_starts():
    session = CollabSessionFactory()
    session.ended_at = session.started_at - timedelta(minutes=1)
    refused(session.save)
