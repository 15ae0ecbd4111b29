"""Decompression bombs (a few hundred bytes declaring a huge picture) on every path that takes
an image: refused with a clear 4xx before any pixel is decoded, leaving no row and no file."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from konnaxion.core.images import ImageTooLarge, ImageUnreadable, image_open
from konnaxion.files.models import Blob
from konnaxion.keenkonnect.models import ProjectResource
from konnaxion.keenkonnect.tests.stockage import client_for, team_project, upload
from konnaxion.kreative.models import KreativeArtwork, ProfessionalProfile, TraditionEntry
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 144 million pixels: past IMAGE_MAX_PIXELS (100 million), short of the 179 million at which
# Pillow's own guard gives up, so only our limit stands between it and 432 MB of RGB.
BOMB_SIDE = 12_000
# Past Pillow's own guard as well: the same answer.
HUGE_SIDE = 100_000


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG (every CRC right) whose header claims width x height, with almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def stored_files() -> set[Path]:
    return {path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()}


def temporary_files() -> set[Path]:
    return {path for path in Path(settings.STORAGE_TMP_DIR).glob("*") if path.is_file()}


@pytest.fixture
def nothing_stored():
    """Asserts, after the test, that no file appeared in the blob folder or the upload folder."""
    before = stored_files(), temporary_files()
    yield
    assert (stored_files(), temporary_files()) == before


def bomb(side: int, name: str = "bomb.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_declaring(side, side), content_type="image/png")


def assert_too_many_pixels(response) -> None:
    assert response.status_code == 413, response.content
    assert response.json()["error"]["code"] == "image_too_large"


@pytest.mark.parametrize("side", [BOMB_SIDE, HUGE_SIDE])
def test_an_avatar_bomb_is_refused_and_nothing_is_kept(side, nothing_stored):
    # given
    user = UserFactory()
    # when
    response = client_for(user).patch(
        f"/api/profiles/{user.username}/", {"avatar": bomb(side)}, format="multipart"
    )
    # then
    assert_too_many_pixels(response)
    assert not ProfessionalProfile.objects.filter(user=user, avatar__isnull=False).exists()


@pytest.mark.parametrize("side", [BOMB_SIDE, HUGE_SIDE])
def test_an_artwork_bomb_is_refused_and_nothing_is_kept(side, nothing_stored):
    # given
    user = UserFactory()
    # when
    response = client_for(user).post(
        "/api/kreative/artworks/", {"title": "Bomb", "media_file": bomb(side)}, format="multipart"
    )
    # then
    assert_too_many_pixels(response)
    assert not KreativeArtwork.objects.exists()


def test_a_tradition_media_bomb_is_refused_and_nothing_is_kept(nothing_stored):
    # given
    user = UserFactory()
    # when
    response = client_for(user).post(
        "/api/kreative/traditions/",
        {"title": "Bomb", "description": "x", "region": "x", "media_file": bomb(BOMB_SIDE)},
        format="multipart",
    )
    # then
    assert_too_many_pixels(response)
    assert not TraditionEntry.objects.exists()


@pytest.mark.parametrize("side", [BOMB_SIDE, HUGE_SIDE])
def test_a_blueprint_bomb_is_refused_and_nothing_is_kept(side, nothing_stored):
    # given
    project, users = team_project()
    blobs_before = Blob.objects.count()
    # when
    response = upload(client_for(users["owner"]), project, "plan.png", png_declaring(side, side))
    # then
    assert response.status_code == 415, response.content
    error = response.json()["error"]
    assert (error["code"], error["details"]["reason"]) == ("file_content_mismatch", "pixel_flood")
    assert not ProjectResource.objects.filter(project=project).exists()
    assert Blob.objects.count() == blobs_before


def test_image_open_refuses_past_the_limit_before_decoding(settings):
    # given
    settings.IMAGE_MAX_PIXELS = 100
    # when / then
    with pytest.raises(ImageTooLarge) as refused:
        image_open(io.BytesIO(png_declaring(11, 10)))
    assert refused.value.status == 413
    assert refused.value.details == {"max_pixels": 100, "width": 11, "height": 10}
    with image_open(io.BytesIO(png_declaring(10, 10))) as image:
        assert image.size == (10, 10)
    with pytest.raises(ImageTooLarge):
        image_open(io.BytesIO(png_declaring(10, 10)), max_pixels=99)


@pytest.mark.parametrize(
    "content", [b"", b"not an image", b"\x89PNG\r\n\x1a\n", png_declaring(0, 10)[:40]]
)
def test_image_open_refuses_what_is_not_an_image(content):
    with pytest.raises(ImageUnreadable) as refused:
        image_open(io.BytesIO(content))
    assert (refused.value.status, refused.value.code) == (400, "image_invalid")


def test_image_open_honours_the_formats_it_is_given():
    with pytest.raises(ImageUnreadable):
        image_open(io.BytesIO(png_declaring(10, 10)), formats=["JPEG"])
