"""The Kontact demo data: a dozen public people with artworks, open and closed opportunities."""

import io

import pytest
from PIL import Image
from rest_framework.test import APIClient

from konnaxion.kreative.demo import DEMO_PEOPLE, demo_people_load
from konnaxion.kreative.models import KreativeArtwork, Opportunity, ProfessionalProfile
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


def test_demo_room_is_open_with_two_guests_and_a_conversation():
    from konnaxion.kreative.models import CollabChatMessage, CollabSession

    admin = UserFactory(username="admin")
    demo_people_load(admin=admin)
    demo_people_load(admin=admin)
    (room,) = CollabSession.objects.all()
    assert (room.host, room.ended_at) == (admin, None)
    assert room.participants.count() == 3  # the host and two guests
    assert CollabChatMessage.objects.filter(session=room).count() == 2
