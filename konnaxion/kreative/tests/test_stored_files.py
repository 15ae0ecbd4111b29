"""Kontact's files live in the platform's one file store: artworks, their derived sizes, avatars
and tradition media are encrypted, deduplicated blobs, collected once nothing refers to them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from konnaxion.core.errors import ValidationFailed
from konnaxion.core.tests.querycount import assert_flat_query_count
from konnaxion.files.models import Blob
from konnaxion.files.services import blob_read, blobs_collect_garbage
from konnaxion.kreative.models import ArtworkDerivative, KreativeArtwork, ProfessionalProfile
from konnaxion.kreative.services.artworks import artwork_delete, artwork_derive_images
from konnaxion.kreative.services.professional_profile import profile_update
from konnaxion.kreative.tests.factories import KreativeArtworkFactory, png_bytes, png_upload
from konnaxion.kreative.tests.test_api_media import artwork_of, body_of, client_for, painter
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def stored(blob: Blob) -> bytes:
    """The bytes the storage holds for `blob`."""
    with default_storage.open(blob.storage_name, "rb") as handle:
        return handle.read()


def plaintext(blob: Blob) -> bytes:
    return b"".join(blob_read(blob=blob))


def stored_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def collect_garbage(django_capture_on_commit_callbacks) -> None:
    """Collect every unreferenced blob now, files included (deleted after commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        blobs_collect_garbage(grace=timedelta(0))


def test_an_uploaded_artwork_is_stored_encrypted_and_served_as_uploaded(user_client):
    # given
    picture = png_bytes(120, 90, (10, 200, 90))
    # when
    response = user_client.post(
        "/api/kreative/artworks/",
        {"title": "Dawn", "media_file": SimpleUploadedFile("dawn.png", picture), "nsfw": False},
        format="multipart",
    )
    # then the storage holds ciphertext only (one chunk: header, picture, tag)
    assert response.status_code == 201, response.content
    blob = KreativeArtwork.objects.get(pk=response.json()["id"]).media
    assert (plaintext(blob), blob.content_type) == (picture, "image/png")
    assert picture not in stored(blob)
    assert len(stored(blob)) == 28 + len(picture) + 16
    # then the media view sends the upload back, inline, under its name
    served = user_client.get(response.json()["media_url"])
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert served["Content-Disposition"] == 'inline; filename="dawn.png"'
    assert served["Content-Length"] == str(len(picture))
    assert body_of(served) == picture


def test_an_avatar_is_stored_encrypted_as_webp():
    # given
    user = UserFactory()
    # when
    profile = profile_update(user=user, avatar=png_upload("me.png", 300, 200))
    # then
    avatar = profile.avatar
    assert avatar.content_type == "image/webp"
    data = plaintext(avatar)
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert data not in stored(avatar)
    assert stored(avatar)[:8] == b"KNXBLOB1"


def test_identical_uploads_share_one_blob():
    # given two artists uploading the same picture, and two people the same avatar
    picture = png_bytes(80, 80, (1, 2, 3))
    first = artwork_of(painter("noor", visibility="public"), data=picture, name="a.png")
    second = artwork_of(painter("lin", visibility="public"), data=picture, name="b.png")
    ana = profile_update(user=UserFactory(), avatar=png_upload("x.png", 50, 50))
    ben = profile_update(user=UserFactory(), avatar=png_upload("y.png", 50, 50))
    # then
    assert first.media_id == second.media_id
    assert Blob.objects.filter(pk=first.media_id).count() == 1
    assert (first.media_name, second.media_name) == ("a.png", "b.png")
    assert ana.avatar_id == ben.avatar_id


def test_a_replaced_avatar_is_left_to_the_garbage_collection(django_capture_on_commit_callbacks):
    # given
    user = UserFactory()
    old = profile_update(user=user, avatar=png_upload("old.png", 64, 64)).avatar
    # when
    new = profile_update(user=user, avatar=png_upload("new.png", 90, 40)).avatar
    # then the old blob stays until the collection, which removes it and keeps the new one
    assert new != old
    assert Blob.objects.filter(pk=old.pk).exists()
    collect_garbage(django_capture_on_commit_callbacks)
    assert not Blob.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(old.storage_name)
    assert ProfessionalProfile.objects.get(user=user).avatar == new
    assert plaintext(new)[8:12] == b"WEBP"


def test_a_deleted_artworks_blobs_are_collected_unless_another_row_uses_them(
    django_capture_on_commit_callbacks,
):
    # given an artwork with its derived sizes, and another artwork with the same file
    noor = painter(visibility="public")
    artwork = artwork_of(noor, data=png_bytes(300, 200, (90, 9, 9)))
    derived = list(artwork_derive_images(artwork=artwork).values())
    twin = artwork_of(painter("lin", visibility="public"), data=png_bytes(300, 200, (90, 9, 9)))
    # when
    artwork_delete(artwork=artwork, actor=noor)
    collect_garbage(django_capture_on_commit_callbacks)
    # then the derived sizes are gone, the shared file stays
    assert not ArtworkDerivative.objects.filter(artwork_id=artwork.pk).exists()
    assert not Blob.objects.filter(pk__in=[blob.pk for blob in derived]).exists()
    assert [default_storage.exists(blob.storage_name) for blob in derived] == [False] * 3
    assert Blob.objects.filter(pk=twin.media_id).exists()
    assert body_of(client_for().get(f"/api/kreative/artworks/{twin.pk}/media/"))


def test_deriving_the_sizes_of_an_artwork_deleted_meanwhile_stops_quietly():
    # given an artwork deleted after its derivation was queued
    noor = painter(visibility="public")
    artwork = artwork_of(noor)
    queued = KreativeArtwork.objects.get(pk=artwork.pk)
    artwork_delete(artwork=artwork, actor=noor)
    # when
    derived = artwork_derive_images(artwork=queued)
    # then
    assert derived == {}
    assert not ArtworkDerivative.objects.exists()


def test_a_refused_profile_update_stores_no_avatar():
    # given
    user = UserFactory()
    someone_elses = KreativeArtworkFactory()
    files_before, blobs_before = stored_files(), Blob.objects.count()
    # when
    with pytest.raises(ValidationFailed):
        profile_update(
            user=user,
            avatar=png_upload("me.png", 70, 70),
            portfolio=[{"artwork": someone_elses.pk}],
        )
    # then
    assert (stored_files(), Blob.objects.count()) == (files_before, blobs_before)


def test_tradition_media_keeps_the_type_read_from_its_content(user_client):
    # given an Ogg file under a name that says nothing
    song = b"OggS" + bytes(200)
    created = user_client.post(
        "/api/kreative/traditions/",
        {
            "title": "Harvest",
            "description": "Sung in rounds.",
            "region": "Brittany",
            "media_file": SimpleUploadedFile("harvest song.bin", song),
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    # when the submitter fetches it
    served = user_client.get(created.json()["media_url"])
    # then
    assert (served.status_code, served["Content-Type"]) == (200, "audio/ogg")
    assert served["Content-Disposition"] == 'inline; filename="harvest_song.bin"'
    assert body_of(served) == song


def test_artwork_lists_with_derived_sizes_keep_a_flat_query_count(
    user_client, django_assert_max_num_queries
):
    blob = KreativeArtworkFactory().media

    def make_rows(n: int) -> None:
        for _ in range(n):
            artwork = KreativeArtworkFactory()
            ArtworkDerivative.objects.bulk_create(
                ArtworkDerivative(artwork=artwork, size=size, blob=blob) for size in (256, 1024)
            )

    assert_flat_query_count(
        user_client, "/api/kreative/artworks/", make_rows, django_assert_max_num_queries
    )
