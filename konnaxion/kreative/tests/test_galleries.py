"""Galleries keep their artworks once each, in a stable order."""

import pytest

from konnaxion.core.errors import Conflict, PermissionDenied, ValidationFailed
from konnaxion.kreative.models import GalleryArtwork
from konnaxion.kreative.services.galleries import (
    gallery_artwork_add,
    gallery_artwork_remove,
    gallery_artworks_reorder,
)
from konnaxion.kreative.tests.factories import GalleryFactory, KreativeArtworkFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def order_of(gallery) -> list[int]:
    return list(
        GalleryArtwork.objects.filter(gallery=gallery)
        .order_by("order")
        .values_list("artwork_id", flat=True)
    )


def test_add_insert_remove_and_reorder_keep_positions_dense():
    # given
    gallery = GalleryFactory()
    curator = gallery.created_by
    a, b, c = (KreativeArtworkFactory() for _ in range(3))
    # when
    gallery_artwork_add(gallery=gallery, artwork=a, actor=curator)
    gallery_artwork_add(gallery=gallery, artwork=b, actor=curator)
    gallery_artwork_add(gallery=gallery, artwork=c, actor=curator, order=0)
    # then
    assert order_of(gallery) == [c.pk, a.pk, b.pk]
    gallery_artworks_reorder(gallery=gallery, artwork_ids=[b.pk, c.pk, a.pk], actor=curator)
    assert order_of(gallery) == [b.pk, c.pk, a.pk]
    gallery_artwork_remove(gallery=gallery, artwork_id=c.pk, actor=curator)
    assert order_of(gallery) == [b.pk, a.pk]
    assert sorted(GalleryArtwork.objects.values_list("order", flat=True)) == [0, 1]


def test_an_artwork_is_added_once():
    gallery, artwork = GalleryFactory(), KreativeArtworkFactory()
    gallery_artwork_add(gallery=gallery, artwork=artwork, actor=gallery.created_by)
    with pytest.raises(Conflict):
        gallery_artwork_add(gallery=gallery, artwork=artwork, actor=gallery.created_by)


def test_only_the_curator_changes_a_gallery():
    gallery = GalleryFactory()
    with pytest.raises(PermissionDenied):
        gallery_artwork_add(gallery=gallery, artwork=KreativeArtworkFactory(), actor=UserFactory())
    assert not GalleryArtwork.objects.exists()


def test_a_reorder_must_list_every_artwork_once():
    gallery, artwork = GalleryFactory(), KreativeArtworkFactory()
    gallery_artwork_add(gallery=gallery, artwork=artwork, actor=gallery.created_by)
    with pytest.raises(ValidationFailed):
        gallery_artworks_reorder(
            gallery=gallery, artwork_ids=[artwork.pk, artwork.pk], actor=gallery.created_by
        )
