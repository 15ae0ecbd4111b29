"""Artwork uploads are judged by their bytes; images get derived sizes from a worker."""

import io
import time

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from konnaxion.core.errors import (
    PayloadTooLarge,
    PermissionDenied,
    UnsupportedMediaType,
    ValidationFailed,
)
from konnaxion.files.services import blob_open
from konnaxion.kreative.models import ArtworkDerivative, KreativeArtwork
from konnaxion.kreative.services.artworks import (
    artwork_create,
    artwork_derive_images,
    artwork_update,
)
from konnaxion.kreative.tests.factories import png_bytes, png_upload
from konnaxion.users.tests.factories import UserFactory


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.mark.django_db
def test_an_image_is_recognised_from_its_content_whatever_its_name():
    # when a PNG arrives named .mp3
    artwork = artwork_create(
        artist=UserFactory(),
        title="Sunrise",
        media_file=upload("song.mp3", png_bytes()),
        tags=["Sky"],
    )
    # then
    assert artwork.media_type == "image"
    assert artwork.content_type == "image/png"
    assert [tag.name for tag in artwork.tags.all()] == ["Sky"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64, "video"),
        (b"OggS" + b"\x00" * 64, "audio"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64, "audio"),
        (b"%PDF-1.7\n" + b"\x00" * 64, "other"),
    ],
)
def test_video_audio_and_other_are_recognised(data, media_type):
    artwork = artwork_create(artist=UserFactory(), title="x", media_file=upload("f.bin", data))
    assert artwork.media_type == media_type


@pytest.mark.django_db
def test_a_file_that_only_claims_to_be_an_image_is_refused_and_leaves_nothing():
    # given text named .png and declared image/png
    fake = upload("cat.png", b"this is not a picture at all", "image/png")
    # when / then
    with pytest.raises(UnsupportedMediaType):
        artwork_create(artist=UserFactory(), title="Cat", media_file=fake)
    assert not KreativeArtwork.objects.exists()


@pytest.mark.django_db
def test_a_truncated_image_is_refused():
    with pytest.raises(UnsupportedMediaType):
        artwork_create(
            artist=UserFactory(), title="Cut", media_file=upload("cut.png", png_bytes()[:60])
        )


@pytest.mark.django_db
def test_a_declared_media_type_must_match_the_content():
    with pytest.raises(ValidationFailed) as error:
        artwork_create(artist=UserFactory(), title="x", media_file=png_upload(), media_type="audio")
    assert error.value.code == "media_type_mismatch"


@pytest.mark.django_db
def test_images_over_the_size_limit_are_refused(settings):
    # given a limit of 1 MB and a 1.2 MB image (noise does not compress)
    settings.ARTWORK_MAX_IMAGE_MB = 1
    buffer = io.BytesIO()
    Image.frombytes("RGB", (640, 640), bytes(range(256)) * 4800).save(buffer, format="BMP")
    assert buffer.tell() > 1024 * 1024
    # when / then
    with pytest.raises(PayloadTooLarge):
        artwork_create(
            artist=UserFactory(), title="Big", media_file=upload("big.bmp", buffer.getvalue())
        )
    assert not KreativeArtwork.objects.exists()


@pytest.mark.django_db
def test_the_nsfw_flag_is_stored_and_can_be_required(settings):
    artwork = artwork_create(artist=UserFactory(), title="x", media_file=png_upload(), nsfw=True)
    assert artwork.nsfw is True
    settings.NSFW_FLAG_REQUIRED = True
    with pytest.raises(ValidationFailed):
        artwork_create(artist=UserFactory(), title="y", media_file=png_upload())


@pytest.mark.django_db
def test_only_the_artist_edits_an_artwork():
    artwork = artwork_create(artist=UserFactory(), title="Mine", media_file=png_upload())
    with pytest.raises(PermissionDenied):
        artwork_update(artwork=artwork, actor=UserFactory(), title="Stolen")
    artwork.refresh_from_db()
    assert artwork.title == "Mine"


@pytest.mark.django_db
def test_derived_images_fit_each_resolution_and_rerunning_rewrites_the_same_files():
    # given a 3000 x 1500 image
    artwork = artwork_create(
        artist=UserFactory(), title="Wide", media_file=png_upload(width=3000, height=1500)
    )
    # when
    first = artwork_derive_images(artwork=artwork)
    second = artwork_derive_images(artwork=artwork)
    # then
    assert first == second
    assert set(first) == {"256", "1024", "2048"}
    for size, blob in first.items():
        with blob_open(blob=blob) as stored, Image.open(stored) as image:
            assert max(image.size) == int(size)
            assert image.size[0] == 2 * image.size[1]
    assert {str(derived.size): derived.blob for derived in artwork.derivatives.all()} == first


@pytest.mark.worker
def test_the_worker_derives_images_after_the_upload_commits(celery_worker):
    # when
    artwork = artwork_create(artist=UserFactory(), title="Queued", media_file=png_upload())
    # then
    deadline = time.monotonic() + 30
    derived = ArtworkDerivative.objects.filter(artwork=artwork).select_related("blob")
    while derived.count() < 3:
        assert time.monotonic() < deadline, "the worker never derived the images"
        time.sleep(0.2)
    assert {str(derivative.size) for derivative in derived} == {"256", "1024", "2048"}
    assert all(default_storage.exists(derivative.blob.storage_name) for derivative in derived)
