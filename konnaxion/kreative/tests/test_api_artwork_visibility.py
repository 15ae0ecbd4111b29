"""Artworks are read through one permission path (`artworks_visible_to`): an artwork is seen by
whoever may see its artist's profile, and by the artist. The API's file addresses are those of
the views that apply it (never `/media/...`)."""

import pytest

from konnaxion.files.services import blob_read
from konnaxion.kreative.models import GalleryArtwork, KreativeArtwork, ProfessionalProfile
from konnaxion.kreative.services.artworks import artwork_derive_images
from konnaxion.kreative.services.galleries import gallery_artwork_add, gallery_create
from konnaxion.kreative.services.professional_profile import block_create, profile_update
from konnaxion.kreative.tests.factories import TagFactory, png_upload, profile_for
from konnaxion.kreative.tests.test_api_media import artwork_of, body_of, client_for, painter
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ARTWORKS = "/api/kreative/artworks/"


def listed_ids(client, **params) -> list[int]:
    response = client.get(ARTWORKS, params)
    assert response.status_code == 200
    return [artwork["id"] for artwork in response.json()["results"]]


# Addresses ----------------------------------------------------------------------------------


def test_an_artworks_addresses_are_those_of_its_media_view_and_they_answer():
    # given a public painter's artwork with its derived sizes made
    noor = painter(visibility="public")
    artwork = artwork_of(noor)
    artwork_derive_images(artwork=artwork)
    visitor = client_for(UserFactory())
    # when
    data = visitor.get(f"{ARTWORKS}{artwork.pk}/").json()
    # then
    media = f"/api/kreative/artworks/{artwork.pk}/media/"
    assert data["media_url"] == media
    assert data["derivative_urls"] == {
        "256": f"{media}?size=256",
        "1024": f"{media}?size=1024",
        "2048": f"{media}?size=2048",
    }
    original = visitor.get(data["media_url"])
    small = visitor.get(data["derivative_urls"]["256"])
    assert (original.status_code, original["Content-Type"]) == (200, "image/png")
    assert (small.status_code, small["Content-Type"]) == (200, "image/webp")
    assert body_of(original) == b"".join(blob_read(blob=artwork.media))


def test_an_artwork_not_derived_yet_has_no_derivative_addresses():
    artwork = artwork_of(painter(visibility="public"))
    data = client_for().get(f"{ARTWORKS}{artwork.pk}/").json()
    assert (data["media_url"], data["derivative_urls"]) == (
        f"/api/kreative/artworks/{artwork.pk}/media/",
        {},
    )


def test_profiles_give_the_avatar_view_and_the_portfolios_media_view():
    # given a public painter with a picture and a portfolio, and one without a picture
    noor = painter(visibility="public")
    artwork = artwork_of(noor)
    profile_update(user=noor, portfolio=[{"artwork": artwork.pk, "pinned": True}])
    profile_for(UserFactory(username="lin"))
    anonymous = client_for()
    # when
    detail = anonymous.get("/api/profiles/noor/").json()
    listed = {p["username"]: p["avatar"] for p in anonymous.get("/api/profiles/").json()["results"]}
    # then
    assert detail["avatar"] == listed["noor"] == "/api/profiles/noor/avatar/"
    assert listed["lin"] is None
    assert detail["portfolio"][0]["media_url"] == f"/api/kreative/artworks/{artwork.pk}/media/"
    picture = anonymous.get(detail["avatar"])
    work = anonymous.get(detail["portfolio"][0]["media_url"])
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/webp")
    assert work.status_code == 200


def test_no_address_of_the_unrouted_media_folder_is_given():
    # given every kind of artwork and profile reading a client can make
    noor = painter(visibility="public")
    artwork = artwork_of(noor, name="harbour.png")
    artwork_derive_images(artwork=artwork)
    profile_update(user=noor, portfolio=[{"artwork": artwork.pk}])
    gallery = gallery_create(creator=noor, title="Sea")
    gallery_artwork_add(gallery=gallery, artwork=artwork, actor=noor)
    client = client_for(noor)
    # when
    bodies = [
        client.get(path).content.decode()
        for path in (
            ARTWORKS,
            f"{ARTWORKS}{artwork.pk}/",
            "/api/profiles/",
            "/api/profiles/noor/",
            "/api/kreative/galleries/",
        )
    ]
    # then
    assert all('"/media/' not in body and "/media/kreative" not in body for body in bodies)


# Who sees what ------------------------------------------------------------------------------


@pytest.fixture
def works():
    """One artwork per case: a hidden profile, a members-only one, a public one whose artist
    blocked `troll`, and a public one whose artist `troll` blocked."""
    troll = UserFactory(username="troll")
    hidden = artwork_of(painter("hidden-artist", visibility="hidden"))
    members = artwork_of(painter("members-artist", visibility="members"))
    blocker = painter("blocker", visibility="public")
    blocked_by_troll = painter("blocked", visibility="public")
    block_create(blocker=blocker, blocked=troll)
    block_create(blocker=troll, blocked=blocked_by_troll)
    return {
        "troll": troll,
        "hidden": hidden,
        "members": members,
        "blocker": artwork_of(blocker),
        "blocked": artwork_of(blocked_by_troll),
    }


@pytest.mark.parametrize(
    ("viewer", "shown"),
    [
        ("anonymous", ["blocker", "blocked"]),
        ("stranger", ["members", "blocker", "blocked"]),
        ("troll", ["members"]),
        ("hidden-artist", ["hidden", "members", "blocker", "blocked"]),
    ],
)
def test_lists_details_and_tag_filters_show_only_what_the_viewer_may_see(works, viewer, shown):
    # given every work tagged "sea"
    cases = ("hidden", "members", "blocker", "blocked")
    sea = TagFactory(name="sea")
    for key in cases:
        works[key].tags.add(sea)
    users = {
        "anonymous": None,
        "stranger": UserFactory(),
        "troll": works["troll"],
        "hidden-artist": works["hidden"].artist,
    }
    client = client_for(users[viewer])
    # when
    listed = sorted(listed_ids(client))
    tagged = sorted(listed_ids(client, tag="sea"))
    by_artist = {key: listed_ids(client, artist=works[key].artist.username) for key in cases}
    details = {key: client.get(f"{ARTWORKS}{works[key].pk}/").status_code for key in cases}
    # then
    assert listed == tagged == sorted(works[key].pk for key in shown)
    assert by_artist == {key: [works[key].pk] if key in shown else [] for key in cases}
    assert details == {key: 200 if key in shown else 404 for key in cases}


def test_an_artwork_hidden_from_someone_cannot_be_changed_nor_told_apart(works):
    # given
    hidden = works["hidden"]
    stranger = client_for(UserFactory())
    # when
    patched = stranger.patch(f"{ARTWORKS}{hidden.pk}/", {"title": "Mine"}, format="json")
    deleted = stranger.delete(f"{ARTWORKS}{hidden.pk}/")
    unknown = stranger.patch(f"{ARTWORKS}987654/", {"title": "Mine"}, format="json")
    # then it answers as an artwork that does not exist, and nothing changed
    assert patched.status_code == deleted.status_code == unknown.status_code == 404
    assert patched.json() == unknown.json()
    assert KreativeArtwork.objects.get(pk=hidden.pk).title == "Harbour"


def test_a_profile_made_hidden_hides_its_portfolio_from_its_former_viewers():
    # given a public painter's portfolio, seen by a member
    noor = painter(visibility="public")
    artwork = artwork_of(noor)
    profile_update(user=noor, portfolio=[{"artwork": artwork.pk}])
    viewer = client_for(UserFactory())
    assert viewer.get(f"{ARTWORKS}{artwork.pk}/").status_code == 200
    # when she hides her profile
    profile_update(user=noor, visibility="hidden")
    # then her works are gone for the viewer, and still hers
    assert viewer.get(f"{ARTWORKS}{artwork.pk}/").status_code == 404
    assert viewer.get(f"{ARTWORKS}{artwork.pk}/media/").status_code == 404
    own = client_for(noor).get("/api/profiles/noor/").json()
    assert [entry["artwork"] for entry in own["portfolio"]] == [artwork.pk]


def test_an_artwork_uploaded_by_someone_without_a_profile_is_seen_by_members():
    # given someone who never opened their profile uploads through the API
    newcomer = UserFactory(username="newcomer")
    created = client_for(newcomer).post(
        ARTWORKS,
        {"title": "First", "media_file": png_upload()},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    # then they now have a members-only profile, and their work follows it
    profile = ProfessionalProfile.objects.get(user=newcomer)
    assert profile.visibility == "members"
    assert client_for(UserFactory()).get(f"{ARTWORKS}{pk}/").status_code == 200
    assert client_for().get(f"{ARTWORKS}{pk}/").status_code == 404


# Galleries ----------------------------------------------------------------------------------


@pytest.fixture
def curated():
    """A stranger's gallery of three works: the middle one's artist later hides their profile."""
    curator = UserFactory(username="curator")
    first = artwork_of(painter("first", visibility="public"))
    middle = artwork_of(painter("middle", visibility="public"))
    last = artwork_of(painter("last", visibility="public"))
    gallery = gallery_create(creator=curator, title="Harbours")
    for artwork in (first, middle, last):
        gallery_artwork_add(gallery=gallery, artwork=artwork, actor=curator)
    profile_update(user=middle.artist, visibility="hidden")
    return curator, gallery, first, middle, last


def test_a_gallery_lists_only_the_artworks_its_viewer_may_see(curated):
    # given
    curator, gallery, first, middle, last = curated
    # when
    for_curator = client_for(curator).get(f"/api/kreative/galleries/{gallery.pk}/").json()
    in_list = client_for(curator).get("/api/kreative/galleries/").json()["results"][0]
    for_artist = client_for(middle.artist).get(f"/api/kreative/galleries/{gallery.pk}/").json()
    # then
    assert [e["artwork"] for e in for_curator["artworks"]] == [first.pk, last.pk]
    assert in_list["artworks"] == for_curator["artworks"]
    assert [e["artwork"] for e in for_artist["artworks"]] == [first.pk, middle.pk, last.pk]


def test_a_hidden_artwork_cannot_be_added_removed_nor_named_in_a_reorder(curated):
    # given
    curator, gallery, first, middle, last = curated
    other = gallery_create(creator=curator, title="Other")
    client = client_for(curator)
    url = f"/api/kreative/galleries/{other.pk}/artworks/"
    # when
    added = client.post(url, {"artwork": middle.pk}, format="json")
    unknown = client.post(url, {"artwork": 987654}, format="json")
    removed = client.delete(f"/api/kreative/galleries/{gallery.pk}/artworks/{middle.pk}/")
    named = client.post(
        f"/api/kreative/galleries/{gallery.pk}/reorder/",
        {"artwork_ids": [last.pk, middle.pk, first.pk]},
        format="json",
    )
    # then each answers as for an artwork that does not exist, and nothing changed
    assert added.status_code == unknown.status_code == 400
    assert str(middle.pk) in str(added.json()) and "987654" in str(unknown.json())
    assert added.json()["error"]["code"] == unknown.json()["error"]["code"]
    assert removed.status_code == 404 and named.status_code == 400
    assert not GalleryArtwork.objects.filter(gallery=other).exists()
    assert list(gallery.entries.order_by("order").values_list("artwork_id", flat=True)) == [
        first.pk,
        middle.pk,
        last.pk,
    ]


def test_a_reorder_of_the_visible_artworks_keeps_the_hidden_ones_in_place(curated):
    # given
    curator, gallery, first, middle, last = curated
    # when the curator swaps the two works they see
    response = client_for(curator).post(
        f"/api/kreative/galleries/{gallery.pk}/reorder/",
        {"artwork_ids": [last.pk, first.pk]},
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    assert [e["artwork"] for e in response.json()["artworks"]] == [last.pk, first.pk]
    assert list(gallery.entries.order_by("order").values_list("artwork_id", flat=True)) == [
        last.pk,
        middle.pk,
        first.pk,
    ]


def test_a_gallery_curated_across_a_block_is_neither_listed_nor_readable(curated):
    # given the curator blocked one person and was blocked by another
    curator, gallery, *_works = curated
    blocked, blocker = UserFactory(), UserFactory()
    block_create(blocker=curator, blocked=blocked)
    block_create(blocker=blocker, blocked=curator)
    bystander = UserFactory()
    # when / then: both sides of each block see nothing of it, everyone else does
    for viewer in (blocked, blocker):
        client = client_for(viewer)
        assert client.get("/api/kreative/galleries/").json()["results"] == []
        assert client.get(f"/api/kreative/galleries/{gallery.pk}/").status_code == 404
        for body in ({"artwork": 1}, {}):  # a bad body too: 404 before any validation
            added = client.post(f"/api/kreative/galleries/{gallery.pk}/artworks/", body)
            assert added.status_code == 404
            reordered = client.post(f"/api/kreative/galleries/{gallery.pk}/reorder/", body)
            assert reordered.status_code == 404
    listed = client_for(bystander).get("/api/kreative/galleries/").json()["results"]
    assert [entry["id"] for entry in listed] == [gallery.pk]
    assert client_for(curator).get(f"/api/kreative/galleries/{gallery.pk}/").status_code == 200
