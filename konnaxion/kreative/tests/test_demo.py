"""The Kontact demo data: a dozen public people with artworks, open and closed opportunities."""

import io

import pytest
from PIL import Image
from pycrdt import Array, XmlFragment
from rest_framework.test import APIClient

from konnaxion.kreative.demo import DEMO_PEOPLE, demo_people_load
from konnaxion.kreative.models import (
    CollabChatMessage,
    CollabSession,
    Endorsement,
    KreativeArtwork,
    Opportunity,
    ProfessionalProfile,
)
from konnaxion.kreative.realtime import documents
from konnaxion.kreative.services.workspace_outputs import workspace_export
from konnaxion.kreative.tests.rooms import server_doc
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_people_fill_connect_and_profiles_once():
    # given
    admin = UserFactory(username="admin")
    # when loaded twice
    demo_people_load(admin=admin)
    demo_people_load(admin=admin)
    # then
    public = ProfessionalProfile.objects.filter(visibility="public").exclude(user=admin)
    assert public.count() == len(DEMO_PEOPLE) == 12
    assert KreativeArtwork.objects.count() == sum(1 for person in DEMO_PEOPLE for _ in person[7])
    statuses = sorted(Opportunity.objects.values_list("status", flat=True))
    assert statuses == ["closed", "open", "open", "open"]
    assert admin.following_links.count() == 4


def test_every_demo_person_has_a_picture_made_once_and_served():
    # given
    admin = UserFactory(username="admin")
    demo_people_load(admin=admin)
    pictures = dict(ProfessionalProfile.objects.values_list("user__username", "avatar"))
    # when loaded again
    demo_people_load(admin=admin)
    # then everyone has one picture, kept as it was
    assert set(pictures) == {"admin", *(person[0] for person in DEMO_PEOPLE)}
    assert all(pictures.values())
    assert dict(ProfessionalProfile.objects.values_list("user__username", "avatar")) == pictures
    answer = APIClient().get("/api/profiles/noor/avatar/")
    assert (answer.status_code, answer["Content-Type"]) == (200, "image/webp")
    with Image.open(io.BytesIO(b"".join(answer.streaming_content))) as picture:
        assert picture.size == (256, 256)
        # then it is white initials on noor's colour (WebP is lossy: close enough)
        corner = picture.convert("RGB").getpixel((4, 4))
        rgb = picture.convert("RGB").tobytes()
        white = sum(1 for i in range(0, len(rgb), 3) if min(rgb[i : i + 3]) > 200)
        assert max(abs(a - b) for a, b in zip(corner, (32, 78, 140), strict=True)) <= 4
        assert white > 1000


def test_demo_people_loaded_before_pictures_existed_are_given_one():
    # given demo data from before, without pictures
    admin = UserFactory(username="admin")
    demo_people_load(admin=admin)
    ProfessionalProfile.objects.filter(user__username__in=["admin", "noor"]).update(avatar=None)
    kept = ProfessionalProfile.objects.get(user__username="kenji").avatar_id
    # when loaded again
    demo_people_load(admin=admin)
    # then they get one, and the others keep theirs
    assert ProfessionalProfile.objects.get(user__username="noor").avatar
    assert ProfessionalProfile.objects.get(user=admin).avatar
    assert ProfessionalProfile.objects.get(user__username="kenji").avatar_id == kept


def test_demo_room_is_open_and_its_notes_and_canvas_hold_what_its_chat_talks_about():
    admin = UserFactory(username="admin")
    demo_people_load(admin=admin)
    demo_people_load(admin=admin)
    room = CollabSession.objects.get(name="Risograph zine jam")
    assert (room.host, room.ended_at) == (admin, None)
    assert room.participants.count() == 3  # the host and two guests
    chat = " ".join(CollabChatMessage.objects.filter(session=room).values_list("body", flat=True))
    # the notes are one paragraph, as the room page edits them
    doc = server_doc(room.pk)
    (paragraph,) = doc.get(documents.NOTES, type=XmlFragment).children
    notes = str(paragraph.children[0])
    canvas = doc.get(documents.CANVAS, type=Array).to_py()
    assert "Munken Print Cream 90 g" in notes and "Munken Cream 90 g" in chat
    assert "50 copies" in notes and "50 copies" in chat
    titles = [shape.get("text") for shape in canvas if shape["kind"] == "text"]
    assert "HARBOUR ZINE #1" in titles and "HARBOUR ZINE #1" in chat
    assert {shape["kind"] for shape in canvas} == {"stroke", "rect", "ellipse", "text"}
    assert {shape["author"] for shape in canvas} == {"admin", "noor", "kenji"}
    assert workspace_export(session=room)["notes"]["text"].startswith("Risograph zine: the plan")


def test_demo_swap_has_ended_and_its_people_endorse_each_other_publicly():
    admin = UserFactory(username="admin")
    demo_people_load(admin=admin)
    demo_people_load(admin=admin)
    swap = CollabSession.objects.get(name="Harbour print swap")
    assert swap.ended_at is not None
    endorsements = Endorsement.objects.filter(session=swap)
    assert endorsements.count() == 6
    assert not endorsements.filter(published_at__isnull=True).exists()
    assert endorsements.exclude(reply="").count() == 3
    subjects = set(endorsements.values_list("subject__username", flat=True))
    assert subjects == {"noor", "kenji", "amara", "elif"}
    answer = APIClient().get("/api/profiles/noor/endorsements/")
    assert answer.status_code == 200
    assert {row["reply"] for row in answer.json()["results"]} >= {"Come back soon."}


def test_demo_artworks_use_the_prepared_pictures_and_draw_their_own_without_them(
    settings, tmp_path
):
    # given only one prepared picture (scripts/demo_images.py writes them as JPEG)
    settings.DEMO_IMAGES_DIR = str(tmp_path)
    Image.new("RGB", (320, 200), (12, 34, 56)).save(tmp_path / "storm.jpg", format="JPEG")
    # when
    demo_people_load(admin=UserFactory(username="admin"))
    # then the work that has a picture uses it, the others are drawn
    storm = KreativeArtwork.objects.get(title="Storm over the harbour")
    drawn = KreativeArtwork.objects.get(title="Rain on Kamo river")
    assert (storm.content_type, storm.media_name) == ("image/jpeg", "storm.jpg")
    assert drawn.content_type == "image/png"
