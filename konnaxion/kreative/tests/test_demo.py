"""The Kontact demo data: a dozen public people with artworks, open and closed opportunities."""

import pytest

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


def test_demo_room_is_open_with_two_guests_and_a_conversation():
    from konnaxion.kreative.models import CollabChatMessage, CollabSession

    admin = UserFactory(username="admin")
    demo_people_load(admin=admin)
    demo_people_load(admin=admin)
    (room,) = CollabSession.objects.all()
    assert (room.host, room.ended_at) == (admin, None)
    assert room.participants.count() == 3  # the host and two guests
    assert CollabChatMessage.objects.filter(session=room).count() == 2
