"""Demo people and opportunities for a first run (`konnaxion up --demo`): a dozen public
profiles with pictures and artworks (real pictures when scripts/demo_images.py prepared them),
follows, open and closed opportunities, a room in progress and an ended one with endorsements,
and profiles for the demo projects' team; made through the services and only once (a demo person
already there is left as they are, except that one without a picture is given one)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from konnaxion.keenkonnect.demo import DEMO_TEAM_PROFILES
from konnaxion.kreative.demo_applications import demo_applications_load
from konnaxion.kreative.demo_pictures import artwork_picture, avatar_picture
from konnaxion.kreative.demo_rooms import demo_room_load, demo_swap_load
from konnaxion.kreative.models import Opportunity, ProfessionalProfile
from konnaxion.kreative.services.artworks import artwork_create
from konnaxion.kreative.services.opportunity_announcement import (
    opportunity_close,
    opportunity_create,
)
from konnaxion.kreative.services.professional_profile import follow_create, profile_update
from konnaxion.users.models import User
from konnaxion.users.services import email_address_set_verified

# (username, name, headline, role, region, skills, styles, [(artwork title, tags, picture)]);
# a picture is a key of demo_pictures.DEMO_IMAGES.
DemoWork = tuple[str, list[str], str]
DemoPerson = tuple[str, str, str, str, str, list[str], list[str], list[DemoWork]]
DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    (
        "noor",
        "Noor Haddad",
        "Etcher and printmaker",
        "creator",
        "Brittany",
        ["etching", "printmaking"],
        ["expressionism"],
        [
            ("Storm over the harbour", ["etching", "sea"], "storm"),
            ("Marigolds", ["printmaking", "flowers"], "garden"),
        ],
    ),
    (
        "kenji",
        "Kenji Sato",
        "Woodblock prints",
        "creator",
        "Kyoto",
        ["woodcut", "printmaking"],
        ["ukiyo-e"],
        [("Rain on Kamo river", ["woodcut", "rain"], "raindrops")],
    ),
    (
        "amara",
        "Amara Okafor",
        "Textile artist",
        "creator",
        "Lagos",
        ["weaving", "dyeing"],
        ["adire"],
        [("Indigo elephants", ["textile", "indigo"], "elephants")],
    ),
    (
        "lucia",
        "Lucía Ferrer",
        "Curator of small shows",
        "diffuser",
        "Valencia",
        ["curation", "exhibition design"],
        ["contemporary"],
        [],
    ),
    (
        "elif",
        "Elif Demir",
        "Ceramics and glazes",
        "creator",
        "Izmir",
        ["ceramics", "glazing"],
        ["iznik"],
        [("Blue crown", ["ceramics", "blue"], "aqua")],
    ),
    (
        "marta",
        "Marta Nowak",
        "Street murals",
        "creator",
        "Kraków",
        ["mural", "spray paint"],
        ["street art"],
        [("Courtyard whale", ["mural", "sea"], "flow")],
    ),
    (
        "yusuf",
        "Yusuf Benali",
        "Calligraphy",
        "creator",
        "Fès",
        ["calligraphy", "illumination"],
        ["maghrebi"],
        [("Thuluth study", ["calligraphy"], "gulp")],
    ),
    (
        "ines",
        "Inês Duarte",
        "Gallery owner in Porto",
        "diffuser",
        "Porto",
        ["gallery management"],
        ["contemporary"],
        [],
    ),
    (
        "theo",
        "Théo Martin",
        "Glass blower",
        "creator",
        "Brittany",
        ["glassblowing", "kiln"],
        ["studio glass"],
        [("Green vessel", ["glass", "green"], "blinds")],
    ),
    (
        "priya",
        "Priya Raman",
        "Illustrator",
        "creator",
        "Chennai",
        ["illustration", "ink"],
        ["kalamkari"],
        [
            ("Ladybird in ink", ["ink", "insect"], "ladybird"),
            ("Two seeds", ["ink", "botanical"], "two-wings"),
        ],
    ),
    (
        "sofia",
        "Sofía Reyes",
        "Photographer",
        "creator",
        "Oaxaca",
        ["photography", "darkroom"],
        ["documentary"],
        [
            ("Dune grass", ["photography", "sea"], "dune"),
            ("Yellow bloom", ["photography"], "yellow-flower"),
        ],
    ),
    (
        "jonas",
        "Jonas Berg",
        "Sound and installation",
        "creator",
        "Bergen",
        ["sound design", "installation"],
        ["minimalism"],
        [("Northern hum", ["sound", "light"], "aurora")],
    ),
)


def _avatar_give_if_missing(*, person: User, name: str, index: int) -> None:
    """Demo data loaded before pictures existed gets them; a picture already there stays."""
    if ProfessionalProfile.objects.filter(user=person, avatar__isnull=True).exists():
        profile_update(user=person, avatar=avatar_picture(name, index))


def demo_people_load(*, admin: User) -> None:
    """The demo people, their pictures, artworks and follows, and the demo opportunities."""
    users = get_user_model()
    created_people = []
    for index, (username, name, headline, role, region, skills, styles, works) in enumerate(
        DEMO_PEOPLE
    ):
        person, created = users.objects.get_or_create(username=username, defaults={"name": name})
        # A demo person may post and invite: their (unread) address counts as verified.
        email_address_set_verified(user=person, email=f"{username}@demo.konnaxion.local")
        if not created:
            _avatar_give_if_missing(person=person, name=name, index=index)
            continue
        person.set_unusable_password()
        person.save(update_fields=["password"])
        profile_update(
            user=person,
            display_name=name,
            headline=headline,
            role=role,
            region=region,
            skills=skills,
            styles=styles,
            visibility="public",
            open_to_collaboration=index % 2 == 0,
            avatar=avatar_picture(name, index),
        )
        for title, tags, picture in works:
            artwork_create(
                artist=person,
                title=title,
                media_file=artwork_picture(title, index, picture),
                tags=tags,
                nsfw=False,
            )
        created_people.append(person)
    if not created_people:
        _avatar_give_if_missing(person=admin, name="Konnaxion admin", index=len(DEMO_PEOPLE))
        demo_team_profiles_load()
        return
    profile_update(
        user=admin,
        display_name="Konnaxion admin",
        visibility="public",
        # Crafts some demo people share, so that the suggestions panel has people to show.
        skills=["illustration", "ceramics", "printmaking"],
        avatar=avatar_picture("Konnaxion admin", len(DEMO_PEOPLE)),
    )
    for person in created_people[:4]:
        follow_create(follower=admin, followee=person)
    _demo_opportunities_load(posters=created_people)
    people = {person.username: person for person in created_people}
    demo_room_load(host=admin, guests=[people["noor"], people["kenji"]])
    demo_swap_load(people=people)
    demo_team_profiles_load()
    demo_applications_load(people=created_people, admin=admin)


def demo_team_profiles_load() -> None:
    """A public profile, with a picture, for each team member of the demo projects who has
    none yet (keenkonnect/demo.py makes their accounts)."""
    users = get_user_model()
    for offset, (username, name, headline, skills) in enumerate(DEMO_TEAM_PROFILES):
        person = users.objects.filter(username=username).first()
        if (
            person is None
            or ProfessionalProfile.objects.filter(user=person, visibility="public").exists()
        ):
            continue
        profile_update(
            user=person,
            display_name=name,
            headline=headline,
            role="creator",
            skills=skills,
            visibility="public",
            open_to_collaboration=True,
            avatar=avatar_picture(name, len(DEMO_PEOPLE) + 1 + offset),
        )


def _demo_opportunities_load(*, posters: list[User]) -> None:
    soon = timezone.now() + timedelta(days=30)
    poster = {person.username: person for person in posters}
    opportunity_create(
        posted_by=poster["lucia"],
        type=Opportunity.Type.EXHIBITION,
        title="Small works salon",
        description="A group show of works under 30 cm, in a Valencia gallery.",
        region="Valencia",
        deadline=soon,
        entry_fee=15,
        currency="EUR",
        apply_url="https://example.org/salon",
        tags=["painting", "small works"],
    )
    opportunity_create(
        posted_by=poster["ines"],
        type=Opportunity.Type.RESIDENCY,
        title="Printmaking residency",
        description="Two months in a print studio in Porto, with a press and a room.",
        region="Porto",
        deadline=soon,
        compensation=1200,
        currency="EUR",
        apply_instructions="Send ten images and a short letter.",
        tags=["printmaking"],
    )
    opportunity_create(
        posted_by=poster["marta"],
        type=Opportunity.Type.CALL,
        title="Open call for muralists",
        description="Paint the wall of the old market hall.",
        region="Kraków",
        remote=False,
        apply_url="https://example.org/murals",
        tags=["mural", "street art"],
    )
    closed = opportunity_create(
        posted_by=poster["lucia"],
        type=Opportunity.Type.JOB,
        title="Gallery assistant",
        description="Part-time help with hanging and visitors.",
        region="Valencia",
        apply_url="https://example.org/job",
        tags=["gallery"],
    )
    opportunity_close(opportunity=closed, actor=poster["lucia"])
