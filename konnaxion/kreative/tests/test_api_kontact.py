from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from konnaxion.files.services import blob_open
from konnaxion.keenkonnect.tests.files import pdf_bytes
from konnaxion.kreative.models import Opportunity, OpportunityAttachment
from konnaxion.kreative.services.opportunity_announcement import opportunities_close_expired
from konnaxion.kreative.services.partner_recommendation import endorsement_create
from konnaxion.kreative.services.professional_profile import block_create, follow_create
from konnaxion.kreative.tests.factories import (
    ended_session,
    opportunity_for,
    png_bytes,
    profile_for,
)
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.STORAGE_TMP_DIR = str(tmp_path / "upload-tmp")


def test_profile_patch_by_owner_and_visibility(user, user_client, api_client):
    # when
    response = user_client.patch(
        f"/api/profiles/{user.username}/",
        {
            "display_name": "Ada Print",
            "skills": ["Etching", "etching", "Woodcut"],
            "styles": ["Abstract"],
            "links": [{"label": "Site", "url": "https://ada.example.org/"}],
            "languages": ["fr", "pt-BR"],
            "visibility": "members",
        },
        format="json",
    )
    # then
    assert response.status_code == 200, response.content
    assert response.json()["skills"] == ["Etching", "Woodcut"]
    assert response.json()["reviews"] == {"count": 0, "average_rating": None, "top_skills": []}
    assert api_client.get(f"/api/profiles/{user.username}/").status_code == 404
    assert client_for(UserFactory()).get(f"/api/profiles/{user.username}/").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"links": [{"label": "Site", "url": "http://insecure.example.org"}]},
        {"links": [{"label": "", "url": "https://ok.example.org"}]},
        {"languages": ["not a language"]},
        {"visibility": "everyone"},
    ],
)
def test_profile_patch_refuses_bad_input(user, user_client, body):
    # when
    response = user_client.patch(f"/api/profiles/{user.username}/", body, format="json")
    # then
    assert response.status_code == 400
    assert response.json()["error"]["code"] in ("invalid", "validation_error")


def test_avatar_is_resized(user, user_client, settings):
    # given
    settings.PROFILE_AVATAR_SIZE = 64
    upload = SimpleUploadedFile("me.png", png_bytes(300, 200), content_type="image/png")
    # when
    response = user_client.patch(
        f"/api/profiles/{user.username}/", {"avatar": upload}, format="multipart"
    )
    not_image = user_client.patch(
        f"/api/profiles/{user.username}/",
        {"avatar": SimpleUploadedFile("x.png", b"nope", content_type="image/png")},
        format="multipart",
    )
    # then
    assert response.status_code == 200, response.content
    from PIL import Image

    user.professional_profile.refresh_from_db()
    avatar = user.professional_profile.avatar
    with blob_open(blob=avatar) as handle, Image.open(handle) as image:
        assert (image.format, image.size) == ("WEBP", (64, 43))
    assert not_image.status_code == 415


def test_search_ranks_skill_matches_above_passing_mentions(user_client):
    # given
    skilled = profile_for(display_name="Skilled", skills=["Lithography"])
    mention = profile_for(
        display_name="Mention", bio="I once visited a lithography workshop on holiday."
    )
    profile_for(display_name="Unrelated", skills=["Ceramics"])
    # when
    response = user_client.get("/api/profiles/?q=lithography")
    # then
    names = [item["display_name"] for item in response.json()["results"]]
    assert names == [skilled.display_name, mention.display_name]


def test_profile_filters(user_client):
    # given
    profile_for(display_name="A", skills=["Etching"], region="Brittany", role="diffuser")
    profile_for(display_name="B", skills=["Etching"], open_to_collaboration=True)
    # when
    by_region = user_client.get("/api/profiles/?skills=etching&region=brittany&role=diffuser")
    open_only = user_client.get("/api/profiles/?skills=Etching&open=1")
    # then
    assert [p["display_name"] for p in by_region.json()["results"]] == ["A"]
    assert [p["display_name"] for p in open_only.json()["results"]] == ["B"]


def test_blocked_users_never_see_each_other(user, user_client):
    # given
    other = UserFactory()
    profile_for(other, display_name="Other", skills=["Etching"])
    profile_for(user, display_name="Me", skills=["Etching"])
    follow_create(follower=other, followee=user)
    opportunity_for(posted_by=other, title="Etching call")
    # when
    block_create(blocker=user, blocked=other)
    # then: both directions, everywhere
    for client, target in ((user_client, other), (client_for(other), user)):
        listed = client.get("/api/profiles/?q=etching").json()["results"]
        assert target.username not in [p["username"] for p in listed]
        assert client.get(f"/api/profiles/{target.username}/").status_code == 404
        response = client.post("/api/connect/follows/", {"username": target.username})
        assert response.status_code == 404
    assert user_client.get("/api/connect/opportunities/").json()["count"] == 0
    assert client_for(other).get("/api/connect/follows/?direction=following").json()["count"] == 0


def test_follow_counts(user, user_client):
    # given
    other = UserFactory()
    profile_for(other)
    # when
    response = user_client.post("/api/connect/follows/", {"username": other.username})
    # then
    assert response.status_code == 201
    profile = user_client.get(f"/api/profiles/{other.username}/").json()
    assert (profile["followers_count"], profile["following_count"]) == (1, 0)
    assert user_client.delete(f"/api/connect/follows/{other.username}/").status_code == 204
    assert user_client.get(f"/api/profiles/{other.username}/").json()["followers_count"] == 0


def test_opportunity_with_attachments_and_lifecycle(user, user_client):
    # given
    deadline = (timezone.now() + timedelta(days=10)).isoformat()
    body = {
        "type": "call",
        "title": "Open call for printmakers",
        "description": "Works on paper.",
        "apply_url": "https://example.org/apply",
        "deadline": deadline,
        "entry_fee": "25.00",
        "currency": "eur",
        "tags": ["printmaking", "paper"],
        "attachments": [
            SimpleUploadedFile("rules.pdf", pdf_bytes(), content_type="application/pdf"),
            SimpleUploadedFile("poster.png", png_bytes(), content_type="image/png"),
        ],
    }
    # when
    response = user_client.post("/api/connect/opportunities/", body, format="multipart")
    # then
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["currency"]) == ("open", "EUR")
    assert [a["name"] for a in data["attachments"]] == ["rules.pdf", "poster.png"]
    first = data["attachments"][0]
    assert first["url"] == f"/api/connect/opportunities/{data['id']}/attachments/{first['id']}/"
    download = user_client.get(first["url"])
    assert b"".join(download.streaming_content) == pdf_bytes()
    path = f"/api/connect/opportunities/{data['id']}/"
    assert user_client.post(path + "close/").json()["status"] == "closed"
    assert user_client.patch(path, {"title": "x"}, format="json").status_code == 409
    assert user_client.post(path + "fill/").json()["status"] == "filled"
    assert user_client.post(path + "close/").status_code == 409


def test_an_attachment_of_another_type_leaves_nothing(user_client, tmp_path):
    # given
    body = {
        "type": "job",
        "title": "Assistant",
        "description": "Studio assistant.",
        "apply_instructions": "Write to us.",
        "attachments": [
            SimpleUploadedFile("rules.pdf", pdf_bytes(), content_type="application/pdf"),
            SimpleUploadedFile("fake.pdf", b"MZ not a pdf", content_type="application/pdf"),
        ],
    }
    # when
    response = user_client.post("/api/connect/opportunities/", body, format="multipart")
    # then
    assert response.status_code == 415
    assert Opportunity.objects.count() == 0
    assert OpportunityAttachment.objects.count() == 0
    assert list((tmp_path / "upload-tmp").glob("*")) == []


def test_an_attachment_over_the_limit_is_refused(user_client, settings):
    # given
    settings.OPPORTUNITY_ATTACHMENT_MAX_MB = 1
    big = pdf_bytes() + b"%" * (1024 * 1024) + b"\n%%EOF\n"
    body = {
        "type": "job",
        "title": "Assistant",
        "description": "Studio assistant.",
        "apply_instructions": "Write to us.",
        "attachments": [SimpleUploadedFile("big.pdf", big, content_type="application/pdf")],
    }
    # when
    response = user_client.post("/api/connect/opportunities/", body, format="multipart")
    # then
    assert response.status_code == 413
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"apply_url": "", "apply_instructions": ""},
        {"starts_on": "2030-05-02", "ends_on": "2030-05-01"},
        {"entry_fee": "10.00", "currency": ""},
        {"deadline": "2001-01-01T00:00:00Z"},
    ],
)
def test_opportunity_bad_input(user_client, changes):
    # given
    body = {"type": "call", "title": "Call", "description": "d", "apply_url": "https://a.org"}
    # when
    response = user_client.post("/api/connect/opportunities/", {**body, **changes}, format="json")
    # then
    assert response.status_code == 400
    assert Opportunity.objects.count() == 0


def test_opportunity_search_and_filters(user_client):
    # given
    soon = timezone.now() + timedelta(days=3)
    later = timezone.now() + timedelta(days=30)
    opportunity_for(title="Ceramics residency", deadline=later, tags=["clay"], remote=False)
    opportunity_for(type="job", title="Remote illustrator", deadline=soon, remote=True, entry_fee=0)
    opportunity_for(type="call", title="Paid call", entry_fee=30, currency="EUR", deadline=soon)
    # when / then
    get = lambda query: [  # noqa: E731
        o["title"]
        for o in user_client.get(f"/api/connect/opportunities/?{query}").json()["results"]
    ]
    assert get("q=ceramics") == ["Ceramics residency"]
    assert get("tags=clay") == ["Ceramics residency"]
    assert get("remote=1") == ["Remote illustrator"]
    assert get("no_entry_fee=1&ordering=deadline") == ["Remote illustrator", "Ceramics residency"]
    assert get("type=call") == ["Paid call"]
    bad = user_client.get("/api/connect/opportunities/?deadline_after=yesterday")
    assert bad.status_code == 400


def test_expired_opportunities_are_closed(user):
    # given
    open_one = opportunity_for(deadline=timezone.now() + timedelta(days=1))
    filled = opportunity_for(deadline=timezone.now() + timedelta(days=1))
    Opportunity.objects.filter(pk=filled.pk).update(status="filled")
    # when: a controlled clock two days ahead
    closed = opportunities_close_expired(now=timezone.now() + timedelta(days=2))
    # then
    open_one.refresh_from_db()
    filled.refresh_from_db()
    assert (closed, open_one.status, filled.status) == (1, "closed", "filled")


def test_endorsement_api_codes_and_reviews_tab(user, user_client):
    # given
    subject = UserFactory()
    profile_for(subject, skills=["Sound design"])
    session = ended_session(host=user, participants=[subject])
    lonely = ended_session(host=user, participants=[])
    # when
    refused = user_client.post(
        "/api/connect/endorsements/",
        {"subject": subject.username, "session": lonely.pk, "rating": 5},
        format="json",
    )
    created = user_client.post(
        "/api/connect/endorsements/",
        {
            "subject": subject.username,
            "session": session.pk,
            "rating": 5,
            "skills": ["sound design"],
        },
        format="json",
    )
    again = user_client.post(
        "/api/connect/endorsements/",
        {"subject": subject.username, "session": session.pk, "rating": 5},
        format="json",
    )
    subject_client = client_for(subject)
    hidden = subject_client.get(f"/api/profiles/{subject.username}/endorsements/").json()
    endorsement_create(author=subject, subject=user, session=session, rating=4)
    shown = subject_client.get(f"/api/profiles/{subject.username}/endorsements/").json()
    profile = subject_client.get(f"/api/profiles/{subject.username}/").json()
    # then
    assert refused.json()["error"]["code"] == "not_eligible"
    assert created.status_code == 201 and created.json()["published"] is False
    assert again.json()["error"]["code"] == "already_endorsed"
    assert hidden["count"] == 0
    assert shown["count"] == 1
    assert profile["reviews"] == {
        "count": 1,
        "average_rating": 5.0,
        "top_skills": [{"name": "Sound design", "count": 1}],
    }


@pytest.mark.parametrize("rows", [2, 50])
def test_list_query_counts_are_flat(rows, user, user_client, django_assert_max_num_queries):
    # given
    subject = UserFactory()
    profile_for(subject, skills=["Etching"])
    for number in range(rows):
        other = UserFactory()
        profile_for(other, skills=["Etching", f"skill {number}"], styles=["Abstract"])
        follow_create(follower=user, followee=other)
        follow_create(follower=other, followee=user)
        block_create(blocker=user, blocked=UserFactory())
        opportunity_for(posted_by=other, tags=["paper", f"tag {number}"])
        session = ended_session(host=other, participants=[subject])
        endorsement_create(author=other, subject=subject, session=session, rating=4)
        endorsement_create(author=subject, subject=other, session=session, rating=4)
    lists = [
        "/api/profiles/?q=etching",
        "/api/profiles/",
        f"/api/profiles/{subject.username}/endorsements/",
        "/api/connect/follows/",
        "/api/connect/follows/?direction=followers",
        "/api/connect/blocks/",
        "/api/connect/opportunities/?q=residency",
        f"/api/profiles/{subject.username}/",
    ]
    for path in lists:
        # when / then
        with django_assert_max_num_queries(12):
            response = user_client.get(path + ("&" if "?" in path else "?") + "page_size=100")
        assert response.status_code == 200, path


@pytest.mark.parametrize(
    "query",
    [
        "deadline_after=0588-02-26T19%3A42%3A07.9405%2B20%3A32",
        "deadline_before=0001-01-01T00%3A00%3A00%2B23%3A59",
        "region=a%00b",
    ],
)
def test_odd_filters_are_refused_or_answered_never_a_500(user_client, query):
    # when
    response = user_client.get(f"/api/connect/opportunities/?{query}")
    # then
    assert response.status_code in (200, 400)


def test_an_attachment_named_with_quotes_and_accents_downloads_under_its_name(user_client):
    # given an attachment whose name would break a hand-made Content-Disposition header
    name = 'règles "finales".pdf'
    body = {
        "type": "call",
        "title": "Open call for printmakers",
        "description": "Works on paper.",
        "apply_url": "https://example.org/apply",
        "attachments": [SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")],
    }
    created = user_client.post("/api/connect/opportunities/", body, format="multipart").json()
    stored_name = created["attachments"][0]["name"]
    # when it is downloaded
    download = user_client.get(created["attachments"][0]["url"])
    # then the header is well formed: an ASCII fallback and the exact name, percent-encoded
    disposition = download["Content-Disposition"]
    assert "è" in stored_name
    assert disposition == f"attachment; filename*=utf-8''{quote(stored_name)}"
    assert b"".join(download.streaming_content) == pdf_bytes()
