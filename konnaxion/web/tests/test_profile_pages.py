"""The /profile/<username> page: who may see it, the portfolio, the reviews and editing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from konnaxion.kreative.models import Endorsement, ProfessionalProfile
from konnaxion.kreative.services.partner_recommendation import endorsement_create
from konnaxion.kreative.services.professional_profile import (
    block_create,
    follow_create,
    profile_update,
)
from konnaxion.kreative.tests.factories import (
    KreativeArtworkFactory,
    ended_session,
    png_bytes,
    profile_for,
)
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


@pytest.mark.parametrize(
    ("visibility", "anonymous", "member", "owner"),
    [("public", 200, 200, 200), ("members", 404, 200, 200), ("hidden", 404, 404, 200)],
)
def test_who_sees_a_profile(client, visibility, anonymous, member, owner):
    # given
    noor = UserFactory(username="noor")
    profile_for(noor, visibility=visibility, display_name="Noor Haddad")
    # when / then
    assert client.get("/profile/noor/").status_code == anonymous
    assert signed_in(UserFactory()).get("/profile/noor/").status_code == member
    assert signed_in(noor).get("/profile/noor/").status_code == owner


def test_a_blocked_user_gets_404_both_ways():
    # given
    noor, troll = UserFactory(username="noor"), UserFactory(username="troll")
    profile_for(noor)
    profile_for(troll)
    block_create(blocker=noor, blocked=troll)
    # when / then
    assert signed_in(troll).get("/profile/noor/").status_code == 404
    assert signed_in(noor).get("/profile/troll/").status_code == 404


def test_ones_own_profile_exists_on_first_visit_with_the_edit_tab():
    # given
    ada = UserFactory(username="ada")
    # when
    html = signed_in(ada).get("/profile/ada/", {"tab": "edit"}).content.decode()
    # then
    assert ProfessionalProfile.objects.filter(user=ada).exists()
    assert "Save my profile" in html


def test_others_get_no_edit_tab_and_cannot_post_changes():
    # given
    noor = UserFactory(username="noor")
    profile_for(noor, headline="Printmaker")
    intruder = signed_in(UserFactory())
    # when
    html = intruder.get("/profile/noor/", {"tab": "edit"}).content.decode()
    posted = intruder.post("/profile/noor/edit/", {"headline": "hacked", "role": "creator"})
    # then
    assert "Save my profile" not in html
    assert posted.status_code == 404
    assert ProfessionalProfile.objects.get(user=noor).headline == "Printmaker"


def test_editing_every_field_of_ones_profile_with_an_avatar():
    # given
    ada = UserFactory(username="ada")
    avatar = SimpleUploadedFile("me.png", png_bytes(600, 400), content_type="image/png")
    # when
    response = signed_in(ada).post(
        "/profile/ada/edit/",
        {
            "display_name": "Ada L.",
            "headline": "Glass artist",
            "bio": "Blown glass.",
            "role": "diffuser",
            "skills": "glassblowing, kiln",
            "styles": "baroque",
            "region": "Veneto",
            "city": "Murano",
            "languages": "it, en",
            "links": "Site | https://ada.example\nhttps://shop.example",
            "avatar": avatar,
            "open_to_collaboration": "on",
            "visibility": "public",
        },
    )
    # then
    assert response.status_code == 302
    profile = ProfessionalProfile.objects.get(user=ada)
    assert (profile.display_name, profile.role, profile.city) == ("Ada L.", "diffuser", "Murano")
    assert sorted(t.name for t in profile.skills.all()) == ["glassblowing", "kiln"]
    assert profile.languages == ["it", "en"]
    assert profile.links == [
        {"label": "Site", "url": "https://ada.example"},
        {"label": "https://shop.example", "url": "https://shop.example"},
    ]
    assert profile.open_to_collaboration and not profile.discoverable
    assert profile.avatar.content_type == "image/webp"


def test_bad_links_or_a_fake_avatar_are_form_errors_and_change_nothing():
    # given
    ada = UserFactory(username="ada")
    profile_for(ada, headline="Before")
    client = signed_in(ada)
    base = {"role": "creator", "visibility": "public", "headline": "After"}
    fake = SimpleUploadedFile("me.png", b"not an image", content_type="image/png")
    # when
    bad_link = client.post("/profile/ada/edit/", {**base, "links": "Site | http://plain"})
    bad_avatar = client.post("/profile/ada/edit/", {**base, "avatar": fake})
    # then
    assert bad_link.status_code == bad_avatar.status_code == 400
    assert "Each link needs an https:// address." in bad_link.content.decode()
    assert "The avatar must be a PNG, JPEG or WebP image." in bad_avatar.content.decode()
    assert ProfessionalProfile.objects.get(user=ada).headline == "Before"


def test_portfolio_shows_pinned_first_and_filters_by_tag(client):
    # given
    noor = UserFactory(username="noor")
    first = KreativeArtworkFactory(artist=noor, title="Harbour etching")
    pinned = KreativeArtworkFactory(artist=noor, title="Night print")
    first.tags.set([])
    from konnaxion.kreative.services.artworks import artwork_update

    artwork_update(artwork=first, actor=noor, tags=["etching"])
    artwork_update(artwork=pinned, actor=noor, tags=["woodcut"])
    profile_for(
        noor,
        portfolio=[{"artwork": first.pk, "pinned": False}, {"artwork": pinned.pk, "pinned": True}],
    )
    # when
    html = client.get("/profile/noor/").content.decode()
    filtered = client.get("/profile/noor/", {"tag": "ETCHING"}).content.decode()
    # then
    assert html.index("Night print") < html.index("Harbour etching")
    assert "Pinned" in html
    assert "Harbour etching" in filtered and "Night print" not in filtered


def test_reviews_show_published_endorsements_summary_and_the_subject_replies():
    # given an ended session and endorsements both ways (so both are published)
    ada, noor = UserFactory(username="ada"), UserFactory(username="noor")
    profile_for(ada)
    profile_for(noor, skills=["etching"])
    session = ended_session(host=ada, participants=[noor])
    mine = endorsement_create(
        author=ada, subject=noor, session=session, rating=4, skills=["etching"], comment="Precise."
    )
    endorsement_create(author=noor, subject=ada, session=session, rating=5)
    # when
    html = signed_in(noor).get("/profile/noor/", {"tab": "reviews"}).content.decode()
    replied = signed_in(noor).post(
        f"/profile/noor/reviews/{mine.pk}/reply/", {"reply": "Thank you, Ada."}
    )
    twice = signed_in(noor).post(f"/profile/noor/reviews/{mine.pk}/reply/", {"reply": "Again"})
    # then
    assert "Average rating 4.0 out of 5, from 1 endorsements" in html
    assert "Precise." in html and "Reply to ada" in html
    assert replied.status_code == twice.status_code == 302
    assert Endorsement.objects.get(pk=mine.pk).reply == "Thank you, Ada."


def test_only_the_subject_may_reply():
    ada, noor = UserFactory(username="ada"), UserFactory(username="noor")
    profile_for(ada)
    profile_for(noor)
    session = ended_session(host=ada, participants=[noor])
    mine = endorsement_create(author=ada, subject=noor, session=session, rating=4)
    endorsement_create(author=noor, subject=ada, session=session, rating=5)
    response = signed_in(ada).post(f"/profile/noor/reviews/{mine.pk}/reply/", {"reply": "me"})
    assert response.status_code == 404
    assert Endorsement.objects.get(pk=mine.pk).reply == ""


def test_an_eligible_user_endorses_from_the_reviews_tab_others_see_no_form():
    # given
    ada, noor, eve = (UserFactory(username=n) for n in ("ada", "noor", "eve"))
    for person in (ada, eve):
        profile_for(person)
    profile_for(noor, skills=["etching"])
    session = ended_session(host=ada, participants=[noor])
    # when
    outsider_html = signed_in(eve).get("/profile/noor/", {"tab": "reviews"}).content.decode()
    client = signed_in(ada)
    form_html = client.get("/profile/noor/", {"tab": "reviews"}).content.decode()
    sent = client.post(
        "/profile/noor/endorse/",
        {"engagement": f"session:{session.pk}", "rating": "5", "skills": ["etching"]},
    )
    outsider_post = signed_in(eve).post(
        "/profile/noor/endorse/", {"engagement": f"session:{session.pk}", "rating": "5"}
    )
    # then
    assert "Endorse noor" not in outsider_html
    assert "Endorse noor" in form_html and "Session: Jam" in form_html
    assert sent.status_code == 302
    endorsement = Endorsement.objects.get()
    assert (endorsement.author, endorsement.rating) == (ada, 5)
    assert [t.name for t in endorsement.skills.all()] == ["etching"]
    assert outsider_post.status_code == 404
    # and once endorsed, the form is gone
    again = client.get("/profile/noor/", {"tab": "reviews"}).content.decode()
    assert "Endorse noor" not in again


def test_the_profile_page_query_count_does_not_grow_with_artworks(django_assert_max_num_queries):
    noor = UserFactory(username="noor")
    profile_update(user=noor, visibility="public")
    client = signed_in(UserFactory())
    for _ in range(2):
        KreativeArtworkFactory(artist=noor)
    with django_assert_max_num_queries(20) as two:
        client.get("/profile/noor/")
    for _ in range(48):
        KreativeArtworkFactory(artist=noor)
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get("/profile/noor/")


@pytest.mark.parametrize(
    ("language", "followers", "expected"),
    [
        ("en", 1, ["1 follower ·", "2 following"]),
        ("en", 2, ["2 followers ·", "2 following"]),
        ("fr", 1, ["1 abonné ·", "2 abonnements"]),
        ("fr", 2, ["2 abonnés ·", "2 abonnements"]),
        ("ar", 2, ["2 متابِعان"]),
    ],
)
def test_follower_counts_take_the_plural_form_of_the_number(language, followers, expected):
    # given: noor follows two people and has `followers` followers
    noor = UserFactory(username="noor")
    profile_for(noor, visibility="public")
    for _ in range(2):
        follow_create(follower=noor, followee=profile_for(UserFactory()).user)
    for _ in range(followers):
        follow_create(follower=UserFactory(), followee=noor)
    # when
    html = Client().get("/profile/noor/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # then
    for text in expected:
        assert text in html
