"""A person who does not exist for someone (hidden profile, deactivated account, a block in
either direction) leaves no trace for them anywhere: profile, picture, works, galleries,
follows, endorsements, opportunities, suggestions, search, invitations, follow and endorse
targets. Each answer is the one a name nobody has gets."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from konnaxion.kreative.models import CollabSession, Follow, Gallery
from konnaxion.kreative.services.partner_recommendation import endorsement_create
from konnaxion.kreative.services.professional_profile import (
    block_create,
    follow_create,
    profile_update,
)
from konnaxion.kreative.tests.factories import (
    KreativeArtworkFactory,
    ended_session,
    opportunity_for,
    png_bytes,
    profile_for,
)
from konnaxion.kreative.tests.rooms import room_with
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory, token_for

pytestmark = pytest.mark.django_db
NOBODY = "nobody-by-this-name"
WAYS = ["hidden", "deactivated", "blocks_the_viewer", "blocked_by_the_viewer"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


def vanish(person, *, viewer, way: str) -> None:
    """`person` stops existing for `viewer`, in one of the WAYS."""
    if way == "hidden":
        profile_update(user=person, visibility="hidden")
    elif way == "deactivated":
        person.is_active = False
        person.save(update_fields=["is_active"])
    elif way == "blocks_the_viewer":
        block_create(blocker=person, blocked=viewer)
    else:
        block_create(blocker=viewer, blocked=person)


@pytest.fixture
def world():
    """The viewer and Xena, who worked together, follow each other, endorsed each other, and
    whose works, gallery and opportunity are out there."""
    viewer = UserFactory(username="viewer")
    xena = UserFactory(username="xena")
    profile_for(viewer, display_name="Viewer", skills=["Etching"])
    profile_for(
        xena,
        display_name="Xena Etcher",
        skills=["Etching"],
        avatar=SimpleUploadedFile("x.png", png_bytes(), content_type="image/png"),
    )
    artwork = KreativeArtworkFactory(artist=xena)
    gallery = Gallery.objects.create(created_by=xena, title="Xena's picks")
    opportunity = opportunity_for(posted_by=xena, title="Etching residency")
    follow_create(follower=xena, followee=viewer)
    follow_create(follower=viewer, followee=xena)
    session = ended_session(host=viewer, participants=[xena])
    about_viewer = endorsement_create(author=xena, subject=viewer, rating=5, session=session)
    about_xena = endorsement_create(author=viewer, subject=xena, rating=4, session=session)
    return {
        "viewer": viewer,
        "xena": xena,
        "artwork": artwork,
        "gallery": gallery,
        "opportunity": opportunity,
        "endorsements": (about_viewer, about_xena),
    }


def test_before_anything_vanishes_the_viewer_sees_it_all(world):
    # the control: every probe below finds its thing while Xena exists for the viewer
    client = client_for(world["viewer"])
    assert client.get("/api/profiles/xena/").status_code == 200
    assert client.get("/api/profiles/xena/avatar/").status_code == 200
    assert client.get("/api/connect/opportunities/").json()["count"] == 1
    assert len(client.get("/api/kreative/galleries/").json()["results"]) == 1
    assert client.get("/api/profiles/viewer/").json()["reviews"]["count"] == 1


@pytest.mark.parametrize("way", WAYS)
def test_what_the_person_made_and_said_vanishes_from_every_read(world, way):
    # given
    viewer, xena = world["viewer"], world["xena"]
    vanish(xena, viewer=viewer, way=way)
    client = client_for(viewer)
    artwork = world["artwork"]
    # when
    own_profile = client.get("/api/profiles/viewer/").json()
    reads = {
        "profile": client.get("/api/profiles/xena/").status_code,
        "avatar": client.get("/api/profiles/xena/avatar/").status_code,
        "artwork": client.get(f"/api/kreative/artworks/{artwork.pk}/").status_code,
        "media": client.get(f"/api/kreative/artworks/{artwork.pk}/media/").status_code,
        "opportunity": client.get(
            f"/api/connect/opportunities/{world['opportunity'].pk}/"
        ).status_code,
        **{
            f"endorsement {e.pk}": client.get(f"/api/connect/endorsements/{e.pk}/").status_code
            for e in world["endorsements"]
        },
    }
    lists = {
        "people": client.get("/api/profiles/", {"q": "etching"}).json()["results"],
        "search": client.get("/api/search/", {"q": "etching", "kind": "profile"}).json()["results"],
        "opportunities": client.get("/api/connect/opportunities/").json()["results"],
        "galleries": client.get("/api/kreative/galleries/").json()["results"],
        "followers": client.get("/api/connect/follows/?direction=followers").json()["results"],
        "following": client.get("/api/connect/follows/").json()["results"],
        "endorsements": client.get("/api/profiles/viewer/endorsements/").json()["results"],
    }
    # then
    assert set(reads.values()) == {404}, reads
    assert "xena" not in str(lists), lists
    assert (own_profile["followers_count"], own_profile["following_count"]) == (0, 0)
    assert own_profile["reviews"]["count"] == 0


def _same_answer(found, missing) -> None:
    assert found.status_code == missing.status_code
    assert found.json() == missing.json()


@pytest.mark.parametrize("way", WAYS)
def test_acting_on_the_person_answers_as_for_a_name_nobody_has(world, way):
    # given
    viewer, xena = world["viewer"], world["xena"]
    vanish(xena, viewer=viewer, way=way)
    Follow.objects.filter(follower=viewer).delete()
    client = client_for(viewer)

    def both(call):
        return call("xena"), call(NOBODY)

    # when
    follow = both(lambda name: client.post("/api/connect/follows/", {"username": name}))
    unfollow = both(lambda name: client.delete(f"/api/connect/follows/{name}/"))
    dismiss = both(lambda name: client.post(f"/api/connect/suggestions/{name}/dismiss/"))
    endorse = both(
        lambda name: client.post(
            "/api/connect/endorsements/",
            {"subject": name, "session": world["endorsements"][0].session_id, "rating": 5},
            format="json",
        )
    )
    invite = both(
        lambda name: client.post(
            "/api/connect/workspaces/",
            {"name": "Fresh", "session_type": "music", "participants": [name]},
            format="json",
        )
    )
    # then
    for found, missing in (follow, unfollow, dismiss, endorse):
        _same_answer(found, missing)
        assert found.status_code == 404
    found, missing = invite
    assert found.status_code == missing.status_code == 400
    assert found.json()["error"]["details"] == {"fields": {"participants": ["xena"]}}
    assert missing.json()["error"]["details"] == {"fields": {"participants": [NOBODY]}}
    assert not Follow.objects.filter(follower=viewer).exists()
    assert not CollabSession.objects.filter(name="Fresh").exists()


@pytest.mark.parametrize("way", ["hidden", "deactivated"])
def test_a_vanished_stranger_cannot_be_blocked_but_someone_met_in_a_room_can(way):
    # given
    viewer, stranger, roommate = (UserFactory() for _ in range(3))
    room_with([roommate, viewer])
    for person in (stranger, roommate):
        vanish(person, viewer=viewer, way=way)
    client = client_for(viewer)
    # when
    unknown = client.post("/api/connect/blocks/", {"username": stranger.username})
    missing = client.post("/api/connect/blocks/", {"username": NOBODY})
    met = client.post("/api/connect/blocks/", {"username": roommate.username})
    # then
    _same_answer(unknown, missing)
    assert unknown.status_code == 404
    assert met.status_code == (201 if way == "hidden" else 404)


def test_someone_who_blocked_you_cannot_be_told_from_nobody_but_your_own_block_stays_yours():
    # given
    viewer, blocker, blocked = (UserFactory() for _ in range(3))
    for person in (blocker, blocked):
        profile_for(person)
    block_create(blocker=blocker, blocked=viewer)
    block_create(blocker=viewer, blocked=blocked)
    client = client_for(viewer)
    # when
    by_them = client.post("/api/connect/blocks/", {"username": blocker.username})
    missing = client.post("/api/connect/blocks/", {"username": NOBODY})
    again = client.post("/api/connect/blocks/", {"username": blocked.username})
    lifted = client.delete(f"/api/connect/blocks/{blocked.username}/")
    # then
    _same_answer(by_them, missing)
    assert (again.status_code, lifted.status_code) == (201, 204)


def signed_in(user) -> Client:
    client = Client()
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


@pytest.mark.parametrize("way", WAYS)
def test_the_web_pages_answer_as_for_a_name_nobody_has(world, way):
    # given
    viewer, xena = world["viewer"], world["xena"]
    vanish(xena, viewer=viewer, way=way)
    Follow.objects.filter(follower=viewer).delete()
    browser = signed_in(viewer)
    # when
    pages = {
        "profile": browser.get("/profile/xena/").status_code,
        "follow": browser.post("/connect/people/xena/follow/").status_code,
        "dismiss": browser.post("/connect/suggestions/xena/dismiss/").status_code,
    }
    room = browser.post(
        "/connect/workspaces/new/",
        {"name": "Fresh", "session_type": "music", "participants": "xena"},
    )
    # then
    assert set(pages.values()) == {404}, pages
    assert room.status_code == 400
    assert "Nobody is called: xena." in room.content.decode()
    assert not CollabSession.objects.filter(name="Fresh").exists()
    assert not Follow.objects.filter(follower=viewer).exists()


@pytest.mark.parametrize("way", WAYS)
def test_the_canonical_archive_hides_what_the_person_submitted(way):
    # given
    from django.utils import timezone

    from konnaxion.kreative.tests.factories import TraditionEntryFactory

    viewer, xena = UserFactory(), UserFactory()
    moderator = UserFactory(is_staff=True)
    entry = TraditionEntryFactory(
        submitted_by=xena, approved=True, approved_at=timezone.now(), approved_by=moderator
    )
    vanish(xena, viewer=viewer, way=way)
    client = client_for(viewer)
    # when
    listed = client.get("/api/kreative/traditions/").json()["results"]
    detail = client.get(f"/api/kreative/traditions/{entry.pk}/")
    # then
    assert listed == []
    assert detail.status_code == 404
