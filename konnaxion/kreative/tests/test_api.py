"""Kreative API: uploads, owner-only edits, moderation; lists keep a flat query count."""

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from konnaxion.core.permissions import MODERATORS_GROUP
from konnaxion.core.tests.querycount import assert_flat_query_count
from konnaxion.kreative.models import ArtworkTag, CollabSession, GalleryArtwork, KreativeArtwork
from konnaxion.kreative.tests.factories import (
    GalleryFactory,
    KreativeArtworkFactory,
    TagFactory,
    TraditionEntryFactory,
    png_upload,
)
from konnaxion.tags.models import Tag
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def test_upload_an_artwork(user, user_client):
    # when
    response = user_client.post(
        "/api/kreative/artworks/",
        {"title": "Dawn", "media_file": png_upload(), "tags": ["Sky", "dawn"], "nsfw": "false"},
        format="multipart",
    )
    # then
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["artist"], body["media_type"], body["nsfw"]) == (user.username, "image", False)
    assert sorted(body["tags"]) == ["Sky", "dawn"]


def test_a_fake_image_upload_is_415_and_leaves_nothing(user_client):
    fake = SimpleUploadedFile("x.png", b"<html>not an image</html>", content_type="image/png")
    response = user_client.post(
        "/api/kreative/artworks/", {"title": "x", "media_file": fake}, format="multipart"
    )
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert not KreativeArtwork.objects.exists()


def test_only_the_artist_edits_or_deletes(user_client):
    artwork = KreativeArtworkFactory(title="Theirs")
    assert (
        user_client.patch(f"/api/kreative/artworks/{artwork.pk}/", {"title": "Mine"}).status_code
        == 403
    )
    assert user_client.delete(f"/api/kreative/artworks/{artwork.pk}/").status_code == 403
    owner = client_for(artwork.artist)
    assert owner.patch(
        f"/api/kreative/artworks/{artwork.pk}/", {"title": "Renamed", "tags": ["x"]}, format="json"
    ).json()["title"] == ("Renamed")
    assert owner.delete(f"/api/kreative/artworks/{artwork.pk}/").status_code == 204
    assert not KreativeArtwork.objects.exists()


def test_tags_are_created_by_name(user_client):
    TagFactory(name="Ink")
    response = user_client.post("/api/kreative/tags/", {"names": ["ink", "Paper"]}, format="json")
    assert response.status_code == 201
    assert [t["name"] for t in response.json()] == ["Ink", "Paper"]
    assert Tag.objects.count() == 2


def test_gallery_curation_through_the_api(user, user_client):
    gallery = user_client.post("/api/kreative/galleries/", {"title": "Blue"}, format="json").json()
    a, b = KreativeArtworkFactory(), KreativeArtworkFactory()
    url = f"/api/kreative/galleries/{gallery['id']}"
    user_client.post(f"{url}/artworks/", {"artwork": a.pk}, format="json")
    response = user_client.post(f"{url}/artworks/", {"artwork": b.pk, "order": 0}, format="json")
    assert [entry["artwork"] for entry in response.json()["artworks"]] == [b.pk, a.pk]
    again = user_client.post(f"{url}/artworks/", {"artwork": a.pk}, format="json")
    assert again.status_code == 409
    assert user_client.delete(f"{url}/artworks/{a.pk}/").status_code == 204
    stranger = client_for(UserFactory())
    assert stranger.post(f"{url}/artworks/", {"artwork": a.pk}, format="json").status_code == 403
    assert GalleryArtwork.objects.count() == 1


def test_traditions_pending_entries_are_hidden_until_a_moderator_approves(user, user_client):
    # given
    entry = TraditionEntryFactory()
    moderator = UserFactory()
    moderator.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    # then
    assert user_client.get("/api/kreative/traditions/").json()["count"] == 0
    assert user_client.post(f"/api/kreative/traditions/{entry.pk}/approve/").status_code == 404
    approved = client_for(moderator).post(f"/api/kreative/traditions/{entry.pk}/approve/")
    assert approved.status_code == 200
    assert approved.json()["approved_by"] == moderator.username
    assert user_client.get("/api/kreative/traditions/").json()["count"] == 1


def test_a_submitter_sees_their_pending_entry_but_cannot_approve_it(user, user_client):
    response = user_client.post(
        "/api/kreative/traditions/",
        {"title": "Fest-noz", "description": "Night dance", "region": "Brittany"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    entry_id = response.json()["id"]
    assert user_client.get(f"/api/kreative/traditions/{entry_id}/").status_code == 200
    refused = user_client.post(f"/api/kreative/traditions/{entry_id}/approve/")
    assert refused.status_code == 403


def test_a_tradition_entrys_file_comes_from_its_media_view_for_whoever_sees_the_entry(
    user, user_client
):
    # given a pending entry with a picture, and one without a file
    created = user_client.post(
        "/api/kreative/traditions/",
        {
            "title": "Fest-noz",
            "description": "Night dance",
            "region": "Brittany",
            "media_file": png_upload("dance.png"),
        },
        format="multipart",
    ).json()
    bare = TraditionEntryFactory(submitted_by=user)
    # when
    url = created["media_url"]
    own = user_client.get(url)
    stranger = client_for(UserFactory()).get(url)
    without = user_client.get(f"/api/kreative/traditions/{bare.pk}/")
    # then
    assert url == f"/api/kreative/traditions/{created['id']}/media/"
    assert (own.status_code, own["Content-Type"]) == (200, "image/png")
    assert b"".join(own.streaming_content) == png_upload().read()
    assert stranger.status_code == 404  # pending: seen by its submitter and moderators only
    assert without.json()["media_url"] is None
    assert user_client.get(f"/api/kreative/traditions/{bare.pk}/media/").status_code == 404


def test_collab_sessions_are_ended_by_their_host(user, user_client):
    session = user_client.post(
        "/api/kreative/collab-sessions/", {"name": "Jam", "session_type": "music"}, format="json"
    ).json()
    stranger = client_for(UserFactory())
    # a session one is not part of does not exist for one (test_api_collab_session_access.py)
    assert stranger.post(f"/api/kreative/collab-sessions/{session['id']}/end/").status_code == 404
    ended = user_client.post(f"/api/kreative/collab-sessions/{session['id']}/end/")
    assert ended.status_code == 200 and ended.json()["ended_at"]
    again = user_client.post(f"/api/kreative/collab-sessions/{session['id']}/end/")
    assert again.status_code == 409


def test_collab_sessions_are_created_like_workspaces(user, user_client):
    # given
    guest = UserFactory(username="guest")
    # when
    response = user_client.post(
        "/api/kreative/collab-sessions/",
        {"name": "Duo", "session_type": "painting", "kind": "dm", "participants": ["guest"]},
        format="json",
    )
    # then
    assert response.status_code == 201, response.content
    session = CollabSession.objects.get(pk=response.json()["id"])
    assert response.json()["kind"] == "dm"
    assert sorted(session.participants.values_list("user__username", flat=True)) == sorted(
        [user.username, guest.username]
    )


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"kind": "dm", "participants": []}, "dm_needs_two"),
        ({"kind": "dm", "participants": ["guest", "other"]}, "dm_needs_two"),
        ({"participants": ["nobody-by-this-name"]}, "unknown_users"),
        ({"kind": "crowd"}, "invalid"),
    ],
)
def test_collab_session_creation_is_validated_like_workspaces(user_client, body, code):
    # given
    UserFactory(username="guest")
    UserFactory(username="other")
    # when
    response = user_client.post(
        "/api/kreative/collab-sessions/",
        {"name": "Duo", "session_type": "painting", **body},
        format="json",
    )
    # then
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == code
    assert not CollabSession.objects.exists()


@pytest.mark.parametrize(
    ("url", "make_one"),
    [
        ("/api/kreative/tags/", lambda: TagFactory()),
        (
            "/api/kreative/artworks/",
            lambda: ArtworkTag.objects.create(artwork=KreativeArtworkFactory(), tag=TagFactory()),
        ),
        (
            "/api/kreative/traditions/?approved=true",
            lambda: TraditionEntryFactory(
                approved=True, approved_at="2025-01-01T00:00:00Z", approved_by=UserFactory()
            ),
        ),
    ],
)
def test_list_query_counts_are_flat(user_client, django_assert_max_num_queries, url, make_one):
    def make_rows(n: int) -> None:
        for _ in range(n):
            make_one()

    assert_flat_query_count(user_client, url, make_rows, django_assert_max_num_queries)


def test_galleries_list_query_count_is_flat(user_client, django_assert_max_num_queries):
    def make_rows(n: int) -> None:
        for _ in range(n):
            gallery = GalleryFactory()
            for order in range(2):
                GalleryArtwork.objects.create(
                    gallery=gallery, artwork=KreativeArtworkFactory(), order=order
                )

    assert_flat_query_count(
        user_client, "/api/kreative/galleries/", make_rows, django_assert_max_num_queries
    )
