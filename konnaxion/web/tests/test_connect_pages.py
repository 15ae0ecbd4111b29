"""The /connect page: People search and follow, the Opportunities board and its forms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from konnaxion.kreative.models import Follow, Opportunity, OpportunityAttachment, SavedOpportunity
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.factories import (
    opportunity_for,
    png_bytes,
    png_upload,
    profile_for,
)
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

POST_FIELDS = {
    "type": "call",
    "title": "Open call for muralists",
    "description": "Paint the wall of the old market hall.",
    "eligibility_scope": "international",
    "entry_fee": "0",
    "apply_url": "https://example.org/murals",
    "tags": "mural, street art",
}


def signed_in(user) -> Client:
    client = Client()
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


# People -------------------------------------------------------------------------------------


def test_people_search_filters_by_text_skill_region_role_and_openness(client):
    # given
    profile_for(UserFactory(username="noor"), skills=["etching"], region="Brittany", role="creator")
    profile_for(
        UserFactory(username="lin"),
        skills=["etching"],
        region="Kyoto",
        open_to_collaboration=True,
    )
    profile_for(UserFactory(username="sam"), skills=["welding"], role="diffuser")
    # when
    by_skill = client.get("/connect/", {"tab": "people", "skills": "etching"}).content.decode()
    by_region = client.get("/connect/", {"skills": "etching", "region": "kyoto"}).content.decode()
    by_role = client.get("/connect/", {"role": "diffuser"}).content.decode()
    by_open = client.get("/connect/", {"open": "on"}).content.decode()
    by_text = client.get("/connect/", {"q": "welding"}).content.decode()
    # then
    assert "<bdi>@noor</bdi>" in by_skill and "<bdi>@lin</bdi>" in by_skill
    assert "<bdi>@sam</bdi>" not in by_skill
    assert "<bdi>@lin</bdi>" in by_region and "<bdi>@noor</bdi>" not in by_region
    assert "<bdi>@sam</bdi>" in by_role and "<bdi>@noor</bdi>" not in by_role
    assert "<bdi>@lin</bdi>" in by_open and "<bdi>@noor</bdi>" not in by_open
    assert "<bdi>@sam</bdi>" in by_text and "<bdi>@lin</bdi>" not in by_text


def test_people_cards_show_the_picture_through_the_avatar_view(client):
    # given one person with a picture and one without
    profile_for(UserFactory(username="noor"), avatar=png_upload("me.png"))
    profile_for(UserFactory(username="lin"))
    # when
    html = client.get("/connect/", {"tab": "people"}).content.decode()
    picture = client.get("/api/profiles/noor/avatar/")
    # then
    assert html.count('class="avatar person-avatar"') == 1
    assert 'src="/api/profiles/noor/avatar/"' in html
    assert (picture.status_code, picture["Content-Type"]) == (200, "image/webp")


def test_people_hides_hidden_profiles_and_people_across_a_block():
    # given
    ada = UserFactory(username="ada")
    profile_for(UserFactory(username="ghost"), visibility="hidden")
    blocked = UserFactory(username="troll")
    profile_for(blocked)
    block_create(blocker=ada, blocked=blocked)
    # when
    html = signed_in(ada).get("/connect/").content.decode()
    # then
    assert "<bdi>@ghost</bdi>" not in html
    assert "<bdi>@troll</bdi>" not in html


def test_follow_and_unfollow_with_htmx_return_the_button():
    # given
    ada, noor = UserFactory(username="ada"), UserFactory(username="noor")
    client = signed_in(ada)
    # when
    followed = client.post(
        "/connect/people/noor/follow/", {"action": "follow"}, HTTP_HX_REQUEST="true"
    )
    # then
    assert followed.status_code == 200
    assert "Unfollow noor" in followed.content.decode()
    assert Follow.objects.filter(follower=ada, followee=noor).exists()
    # when
    unfollowed = client.post(
        "/connect/people/noor/follow/", {"action": "unfollow"}, HTTP_HX_REQUEST="true"
    )
    # then
    assert "Follow noor" in unfollowed.content.decode()
    assert not Follow.objects.filter(follower=ada, followee=noor).exists()
    # and each time the suggestions panel is told to render itself again
    assert followed["HX-Trigger"] == unfollowed["HX-Trigger"] == "follows-changed"


def test_following_oneself_is_refused_and_across_a_block_is_404():
    # given
    ada, troll = UserFactory(username="ada"), UserFactory(username="troll")
    block_create(blocker=troll, blocked=ada)
    client = signed_in(ada)
    # when
    myself = client.post(
        "/connect/people/ada/follow/", {"action": "follow"}, HTTP_HX_REQUEST="true"
    )
    blocked = client.post("/connect/people/troll/follow/", {"action": "follow"})
    # then
    assert "You cannot follow yourself." in myself.content.decode()
    assert "HX-Trigger" not in myself  # nothing changed
    assert blocked.status_code == 404
    assert not Follow.objects.exists()


def test_following_needs_a_signed_in_visitor(client):
    UserFactory(username="noor")
    response = client.post("/connect/people/noor/follow/", {"action": "follow"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Follow.objects.exists()


def test_people_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    viewer = UserFactory()
    client = signed_in(viewer)
    for _ in range(2):
        profile_for(skills=["ink"], styles=["ukiyo-e"])
    # The viewer's suggestions are computed on the first visit, then served as stored (the
    # computation's cost is measured by bench/matching.py).
    client.get("/connect/", {"tab": "people"})
    with django_assert_max_num_queries(14) as two:
        client.get("/connect/", {"tab": "people"})
    for _ in range(48):
        profile_for(skills=["ink"], styles=["ukiyo-e"])
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get("/connect/", {"tab": "people"})


# Opportunities ------------------------------------------------------------------------------


def test_opportunities_filters_find_the_right_post(client):
    # given
    opportunity_for(title="Glass residency", type="residency", region="Murano", tags=["glass"])
    opportunity_for(title="Remote design job", type="job", remote=True, apply_url="https://x.org")
    paid = opportunity_for(title="Paid salon", type="exhibition", entry_fee=20, currency="EUR")

    # when
    def titles(**params):
        html = client.get("/connect/", {"tab": "opportunities", **params}).content.decode()
        return {t for t in ("Glass residency", "Remote design job", "Paid salon") if t in html}

    # then
    assert titles(type="residency") == {"Glass residency"}
    assert titles(tags="glass") == {"Glass residency"}
    assert titles(region="murano") == {"Glass residency"}
    assert titles(remote="1") == {"Remote design job"}
    assert titles(no_entry_fee="on") == {"Glass residency", "Remote design job"}
    assert titles(q="salon") == {"Paid salon"}
    assert paid.entry_fee == 20


def test_a_bad_filter_is_a_form_error_not_a_500(client):
    response = client.get("/connect/", {"tab": "opportunities", "type": "nope", "q": "a\x00b"})
    assert response.status_code == 200
    assert "Please correct the errors below." in response.content.decode()


def test_posting_an_opportunity_with_an_attachment():
    # given
    poster = UserFactory(username="ada")
    attachment = SimpleUploadedFile("brief.png", png_bytes(), content_type="image/png")
    # when
    response = signed_in(poster).post(
        "/connect/opportunities/new/", {**POST_FIELDS, "attachments": [attachment]}
    )
    # then
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/connect/opportunities/{opportunity.pk}/"
    assert opportunity.posted_by == poster and opportunity.status == "open"
    assert sorted(t.name for t in opportunity.tags.all()) == ["mural", "street art"]
    assert OpportunityAttachment.objects.get().name == "brief.png"


def test_a_post_without_a_way_to_apply_or_with_a_bad_file_leaves_nothing():
    # given
    client = signed_in(UserFactory())
    fields = {**POST_FIELDS, "apply_url": ""}
    text = SimpleUploadedFile("notes.png", b"just some text", content_type="image/png")
    # when
    no_apply = client.post("/connect/opportunities/new/", fields)
    bad_file = client.post("/connect/opportunities/new/", {**POST_FIELDS, "attachments": [text]})
    # then
    assert no_apply.status_code == 400
    assert "Say how to apply: an https address or instructions." in no_apply.content.decode()
    assert bad_file.status_code == 415
    assert "Attachments are PDF, PNG or JPG files." in bad_file.content.decode()
    assert not Opportunity.objects.exists() and not OpportunityAttachment.objects.exists()


def test_posting_needs_a_signed_in_visitor_and_csrf(client):
    # when
    anonymous = client.post("/connect/opportunities/new/", POST_FIELDS)
    checked = Client(enforce_csrf_checks=True)
    checked.login(username=UserFactory().username, password=DEFAULT_PASSWORD)
    forged = checked.post("/connect/opportunities/new/", POST_FIELDS)
    # then
    assert anonymous.status_code == 302
    assert forged.status_code == 403
    assert not Opportunity.objects.exists()


def test_the_poster_edits_closes_and_fills_others_may_not():
    # given
    poster, other = UserFactory(), UserFactory()
    opportunity = opportunity_for(posted_by=poster)
    url = f"/connect/opportunities/{opportunity.pk}/"
    # when another person tries
    refused = signed_in(other).post(f"{url}close/")
    # then
    assert refused.status_code == 403
    # when the poster edits, closes, then fills
    client = signed_in(poster)
    edited = client.post(f"{url}edit/", {**POST_FIELDS, "title": "Renamed call"})
    closed = client.post(f"{url}close/")
    again = client.post(f"{url}edit/", {**POST_FIELDS, "title": "Too late"})
    filled = client.post(f"{url}fill/")
    # then
    opportunity.refresh_from_db()
    assert edited.status_code == closed.status_code == filled.status_code == 302
    assert again.status_code == 400
    assert "This opportunity is no longer open" in again.content.decode()
    assert opportunity.title == "Renamed call" and opportunity.status == "filled"


def test_an_unknown_status_change_is_404():
    poster = UserFactory()
    opportunity = opportunity_for(posted_by=poster)
    response = signed_in(poster).post(f"/connect/opportunities/{opportunity.pk}/delete/")
    assert response.status_code == 404


def test_save_and_unsave_then_find_it_with_the_saved_filter():
    # given
    reader = UserFactory()
    opportunity = opportunity_for(title="Kiln residency")
    opportunity_for(title="Other call")
    client = signed_in(reader)
    # when
    saved = client.post(
        f"/connect/opportunities/{opportunity.pk}/save/", {"action": "save"}, HTTP_HX_REQUEST="true"
    )
    listed = client.get("/connect/", {"tab": "opportunities", "saved": "on"}).content.decode()
    # then
    assert "Unsave “Kiln residency”" in saved.content.decode()
    assert "Kiln residency" in listed and "Other call" not in listed
    # when
    client.post(f"/connect/opportunities/{opportunity.pk}/save/", {"action": "unsave"})
    # then
    assert not SavedOpportunity.objects.exists()


def test_an_opportunity_across_a_block_is_404():
    poster, reader = UserFactory(), UserFactory()
    opportunity = opportunity_for(posted_by=poster)
    block_create(blocker=poster, blocked=reader)
    response = signed_in(reader).get(f"/connect/opportunities/{opportunity.pk}/")
    assert response.status_code == 404


def test_opportunities_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    client = signed_in(UserFactory())
    for _ in range(2):
        opportunity_for(tags=["print"])
    with django_assert_max_num_queries(14) as two:
        client.get("/connect/", {"tab": "opportunities"})
    for _ in range(48):
        opportunity_for(tags=["print"])
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get("/connect/", {"tab": "opportunities"})


def test_a_boolean_filter_is_its_box_then_its_label_on_one_line(client):
    # when
    html = client.get("/connect/", {"tab": "opportunities"}).content.decode()
    # then
    assert (
        '<div class="checkbox-field">'
        '<input type="checkbox" name="no_entry_fee" id="id_no_entry_fee">'
        '<label for="id_no_entry_fee">No entry fee</label></div>'
    ) in html
