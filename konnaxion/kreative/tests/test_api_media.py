"""Avatars and artwork files are served through views that apply the profile's visibility:
/api/profiles/<username>/avatar/ and /api/kreative/artworks/<id>/media/."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from konnaxion.files.services import blob_read
from konnaxion.kreative.models import ProfessionalProfile
from konnaxion.kreative.services.artworks import artwork_create, artwork_derive_images
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.factories import png_bytes, png_upload, profile_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def painter(username: str = "noor", **profile):
    user = UserFactory(username=username)
    profile_for(user, avatar=png_upload("me.png", 300, 200), **profile)
    return user


def avatar_name(user) -> str:
    """Where the avatar's blob is stored."""
    return ProfessionalProfile.objects.get(user=user).avatar.storage_name


def avatar_bytes(user) -> bytes:
    return b"".join(blob_read(blob=ProfessionalProfile.objects.get(user=user).avatar))


def artwork_of(artist, data: bytes | None = None, name: str = "harbour.png"):
    return artwork_create(
        artist=artist,
        title="Harbour",
        media_file=SimpleUploadedFile(name, data or png_bytes(120, 90), "image/png"),
        nsfw=False,
    )


def test_the_avatar_comes_with_its_type_etag_and_cache_rules():
    # given
    noor = painter(visibility="public")
    # when
    response = client_for().get("/api/profiles/noor/avatar/")
    # then it is the stored picture, re-encoded as WebP by the profile service
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-cache"
    assert response["ETag"].startswith('"') and len(response["ETag"]) > 20
    data = body_of(response)
    assert data == avatar_bytes(noor)
    assert Image.open(io.BytesIO(data)).format == "WEBP"


def test_a_matching_etag_is_answered_304_and_a_new_avatar_changes_it():
    # given
    noor = painter(visibility="public")
    first = client_for().get("/api/profiles/noor/avatar/")["ETag"]
    # when
    again = client_for().get("/api/profiles/noor/avatar/", HTTP_IF_NONE_MATCH=first)
    profile_for(noor, avatar=png_upload("new.png", 64, 64))
    changed = client_for().get("/api/profiles/noor/avatar/", HTTP_IF_NONE_MATCH=first)
    # then
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first
    assert changed.status_code == 200 and changed["ETag"] != first


@pytest.mark.parametrize(
    ("visibility", "viewer", "status"),
    [
        ("members", "anonymous", 404),
        ("members", "stranger", 200),
        ("hidden", "stranger", 404),
        ("hidden", "owner", 200),
        ("public", "blocked_by_owner", 404),
        ("public", "blocker_of_owner", 404),
    ],
)
def test_the_avatar_follows_the_profiles_visibility(visibility, viewer, status):
    # given
    noor = painter(visibility=visibility)
    others = {"stranger": UserFactory(), "owner": noor}
    if viewer == "blocked_by_owner":
        others[viewer] = UserFactory()
        block_create(blocker=noor, blocked=others[viewer])
    if viewer == "blocker_of_owner":
        others[viewer] = UserFactory()
        block_create(blocker=others[viewer], blocked=noor)
    # when
    response = client_for(others.get(viewer)).get("/api/profiles/noor/avatar/")
    # then
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"]["code"] == "not_found"


def test_no_avatar_an_unknown_person_and_a_file_gone_are_404():
    # given
    profile_for(UserFactory(username="lin"), visibility="public")
    noor = painter(visibility="public")
    default_storage.delete(avatar_name(noor))
    # when
    answers = [
        client_for().get(path)
        for path in (
            "/api/profiles/lin/avatar/",
            "/api/profiles/nobody/avatar/",
            "/api/profiles/noor/avatar/",
        )
    ]
    # then
    assert [answer.status_code for answer in answers] == [404, 404, 404]


def test_an_artwork_is_served_as_stored_then_at_its_derived_size():
    # given
    noor = painter(visibility="public")
    artwork = artwork_of(noor)
    url = f"/api/kreative/artworks/{artwork.pk}/media/"
    # when the derived sizes are not made yet
    original = client_for().get(url)
    early = client_for().get(url, {"size": "256"})
    # then both are the original PNG
    assert original.status_code == early.status_code == 200
    assert original["Content-Type"] == early["Content-Type"] == "image/png"
    assert original["X-Content-Type-Options"] == "nosniff"
    assert body_of(original) == png_bytes(120, 90)
    # when the worker has made them
    artwork_derive_images(artwork=artwork)
    derived = client_for().get(url, {"size": "256"})
    # then the derived WebP comes, with an ETag of its own
    assert derived["Content-Type"] == "image/webp"
    assert Image.open(io.BytesIO(body_of(derived))).format == "WEBP"
    assert derived["ETag"] != original["ETag"]
    assert (
        client_for().get(url, {"size": "256"}, HTTP_IF_NONE_MATCH=derived["ETag"]).status_code
        == 304
    )


def test_an_unknown_size_is_a_400():
    artwork = artwork_of(painter(visibility="public"))
    response = client_for().get(f"/api/kreative/artworks/{artwork.pk}/media/", {"size": "13"})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["fields"] == {"size": "one of 256, 1024, 2048"}


def test_an_artwork_follows_its_artists_profile():
    # given
    noor = painter(visibility="hidden")
    artwork = artwork_of(noor)
    lin = painter("lin", visibility="public")
    blocked_work = artwork_of(lin)
    troll = UserFactory()
    block_create(blocker=troll, blocked=lin)
    newcomer_work = artwork_of(UserFactory())  # uploading made them a members-only profile
    # when
    url = "/api/kreative/artworks/{}/media/"
    answers = {
        "hidden, a stranger": client_for(UserFactory()).get(url.format(artwork.pk)),
        "hidden, the artist": client_for(noor).get(url.format(artwork.pk)),
        "public, anonymous": client_for().get(url.format(blocked_work.pk)),
        "public, across a block": client_for(troll).get(url.format(blocked_work.pk)),
        "a newcomer's, anonymous": client_for().get(url.format(newcomer_work.pk)),
        "not a number": client_for().get(url.format("abc")),
        "unknown": client_for().get(url.format(987654)),
    }
    # then
    assert {name: answer.status_code for name, answer in answers.items()} == {
        "hidden, a stranger": 404,
        "hidden, the artist": 200,
        "public, anonymous": 200,
        "public, across a block": 404,
        "a newcomer's, anonymous": 404,
        "not a number": 404,
        "unknown": 404,
    }


def test_a_file_browsers_do_not_show_is_a_download():
    # given a PDF artwork
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    artwork = artwork_of(painter(visibility="public"), data=pdf, name="notes.pdf")
    # when
    response = client_for().get(f"/api/kreative/artworks/{artwork.pk}/media/")
    # then
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body_of(response) == pdf


def test_the_blob_folder_is_never_listed_nor_served_directly(client):
    # given
    noor = painter(visibility="hidden")
    name = avatar_name(noor)
    # when
    answers = [client.get(path) for path in ("/media/", f"/media/{name}", "/media/kreative/")]
    # then
    assert [answer.status_code for answer in answers] == [404, 404, 404]
    picture = avatar_bytes(noor)
    assert all(picture not in answer.content for answer in answers)
    assert all(b"avatars/" not in answer.content for answer in answers[::2])
