"""Kontact's plain files move into the blob store (migrations 0009 to 0011), on a database made by
the migrations before them, with real files in the default storage."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from konnaxion.files.services import blob_read
from konnaxion.kreative.models import (
    ArtworkDerivative,
    KreativeArtwork,
    ProfessionalProfile,
    TraditionEntry,
)
from konnaxion.kreative.tests.factories import png_bytes
from konnaxion.users.tests.factories import UserFactory

BEFORE = [("kreative", "0008_blob_and_tag_in_platform_apps")]
MIGRATION_LOGGER = "konnaxion.kreative.migrations.0010_plain_files_into_blobs"
OGG = b"OggS" + bytes(range(60))


def migrate(targets) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.fixture
def before_the_move():
    """The historical models of the database as the migrations before 0009 left it; the
    database is migrated to the latest again afterwards, whether the test passed or not."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        migrate(BEFORE)
        yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    finally:
        migrate(latest)


def webp_bytes(width: int = 32, height: int = 24) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 60)).save(buffer, format="WEBP")
    return buffer.getvalue()


def plain_file(name: str, data: bytes) -> str:
    return default_storage.save(name, ContentFile(data))


def content_of(blob) -> bytes:
    return b"".join(blob_read(blob=blob))


def old_rows(apps, artist) -> dict:
    """An artwork with a derived size, a second artwork with the same bytes, one whose file is
    gone, a profile with an avatar and a tradition entry with media, as plain files."""
    Artwork = apps.get_model("kreative", "KreativeArtwork")
    Profile = apps.get_model("kreative", "ProfessionalProfile")
    Tradition = apps.get_model("kreative", "TraditionEntry")
    picture, small, avatar = png_bytes(90, 60, (10, 20, 30)), webp_bytes(), webp_bytes(16, 16)

    def artwork(name: str, **fields):
        return Artwork.objects.create(
            artist_id=artist.pk,
            title=name,
            media_file=name,
            media_type="image",
            content_type="image/png",
            **fields,
        )

    harbour = artwork(plain_file(f"kreative/artworks/{artist.pk}/harbour.png", picture))
    derived = plain_file(f"kreative/derived/{harbour.pk}/256.webp", small)
    Artwork.objects.filter(pk=harbour.pk).update(derivatives={"256": derived})
    copy = artwork(plain_file(f"kreative/artworks/{artist.pk}/harbour copy.png", picture))
    lost = artwork(f"kreative/artworks/{artist.pk}/lost.png")
    profile = Profile.objects.create(
        user_id=artist.pk,
        display_name="Noor",
        avatar=plain_file(f"kreative/avatars/{artist.pk}/3f2a.webp", avatar),
    )
    song = Tradition.objects.create(
        title="Harvest song",
        description="Sung in rounds.",
        region="Brittany",
        submitted_by_id=artist.pk,
        media_file=plain_file("kreative/traditions/song.bin", OGG),
    )
    return {
        "harbour": harbour,
        "copy": copy,
        "lost": lost,
        "song": song,
        "bytes": {"picture": picture, "small": small, "avatar": avatar},
        "names": [
            harbour.media_file.name,
            derived,
            copy.media_file.name,
            profile.avatar.name,
            song.media_file.name,
        ],
    }


@pytest.mark.django_db(transaction=True)
def test_every_plain_file_becomes_an_encrypted_blob_and_the_plain_copy_goes(
    before_the_move, caplog
):
    # given rows and files as they were before the blob store
    artist = UserFactory(username="noor")
    old = old_rows(before_the_move, artist)
    data = old["bytes"]
    # when
    with caplog.at_level(logging.WARNING, logger=MIGRATION_LOGGER):
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    # then each row points at a blob holding the same bytes, encrypted in storage
    harbour = KreativeArtwork.objects.select_related("media").get(pk=old["harbour"].pk)
    assert content_of(harbour.media) == data["picture"]
    assert harbour.media.content_type == "image/png"
    assert harbour.media_name == "harbour.png"
    with default_storage.open(harbour.media.storage_name, "rb") as stored:
        assert data["picture"] not in stored.read()
    derivative = ArtworkDerivative.objects.get(artwork=harbour)
    assert (derivative.size, content_of(derivative.blob)) == (256, data["small"])
    profile = ProfessionalProfile.objects.select_related("avatar").get(user=artist)
    assert content_of(profile.avatar) == data["avatar"]
    assert profile.avatar.content_type == "image/webp"
    song = TraditionEntry.objects.select_related("media").get(pk=old["song"].pk)
    assert content_of(song.media) == OGG
    assert (song.media_name, song.media_content_type) == ("song.bin", "audio/ogg")
    # then identical files share one blob
    copy = KreativeArtwork.objects.get(pk=old["copy"].pk)
    assert copy.media_id == harbour.media_id
    assert copy.media_name == "harbour copy.png"
    # then a file missing from storage leaves its row without one, and says so
    lost = KreativeArtwork.objects.get(pk=old["lost"].pk)
    assert lost.media_id is None
    assert any("lost.png" in record.getMessage() for record in caplog.records)
    # then the unencrypted copies are gone
    assert [name for name in old["names"] if default_storage.exists(name)] == []


@pytest.mark.django_db(transaction=True)
def test_going_back_writes_the_blobs_back_as_plain_files(before_the_move):
    # given rows moved into blobs
    artist = UserFactory(username="noor")
    old = old_rows(before_the_move, artist)
    data = old["bytes"]
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    # when
    migrate(BEFORE)
    # then every file is a plain file again, with the same bytes
    apps = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    Artwork = apps.get_model("kreative", "KreativeArtwork")
    harbour = Artwork.objects.get(pk=old["harbour"].pk)
    profile = apps.get_model("kreative", "ProfessionalProfile").objects.get(user_id=artist.pk)
    song = apps.get_model("kreative", "TraditionEntry").objects.get(pk=old["song"].pk)

    def plain(name: str) -> bytes:
        with default_storage.open(name, "rb") as handle:
            return handle.read()

    assert plain(harbour.media_file.name) == data["picture"]
    assert harbour.media_file.name.startswith(f"kreative/artworks/{artist.pk}/harbour")
    assert plain(harbour.derivatives["256"]) == data["small"]
    assert plain(profile.avatar.name) == data["avatar"]
    assert plain(song.media_file.name) == OGG
    assert Artwork.objects.get(pk=old["lost"].pk).media_file.name == ""
