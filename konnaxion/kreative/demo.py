"""Demo people and opportunities for a first run (`konnaxion up --demo`): a dozen public
profiles with pictures and artworks, follows, and open and closed opportunities, made through
the services and only once (a demo person already there is left as they are, except that one
without a picture is given one)."""

from __future__ import annotations

import io
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from konnaxion.kreative.demo_applications import demo_applications_load
from konnaxion.kreative.models import Opportunity, ProfessionalProfile
from konnaxion.kreative.services.artworks import artwork_create
from konnaxion.kreative.services.collaboration_workspace import (
    collab_chat_message_post,
    workspace_create,
)
from konnaxion.kreative.services.opportunity_announcement import (
    opportunity_close,
    opportunity_create,
)
from konnaxion.kreative.services.professional_profile import follow_create, profile_update
from konnaxion.users.models import User
from konnaxion.users.services import email_address_set_verified

# (username, name, headline, role, region, skills, styles, [(artwork title, tags)])
DemoPerson = tuple[str, str, str, str, str, list[str], list[str], list[tuple[str, list[str]]]]
DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    (
        "noor",
        "Noor Haddad",
        "Etcher and printmaker",
        "creator",
        "Brittany",
        ["etching", "printmaking"],
        ["expressionism"],
        [("Harbour at dawn", ["etching", "sea"])],
    ),
    (
        "kenji",
        "Kenji Sato",
        "Woodblock prints",
        "creator",
        "Kyoto",
        ["woodcut", "printmaking"],
        ["ukiyo-e"],
        [("Rain on Kamo river", ["woodcut", "rain"])],
    ),
    (
        "amara",
        "Amara Okafor",
        "Textile artist",
        "creator",
        "Lagos",
        ["weaving", "dyeing"],
        ["adire"],
        [("Indigo field", ["textile", "indigo"])],
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
        [("Blue tulip bowl", ["ceramics", "blue"])],
    ),
    (
        "marta",
        "Marta Nowak",
        "Street murals",
        "creator",
        "Kraków",
        ["mural", "spray paint"],
        ["street art"],
        [("Courtyard whale", ["mural", "sea"])],
    ),
    (
        "yusuf",
        "Yusuf Benali",
        "Calligraphy",
        "creator",
        "Fès",
        ["calligraphy", "illumination"],
        ["maghrebi"],
        [("Thuluth study", ["calligraphy"])],
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
        [("Green vessel", ["glass", "green"])],
    ),
    (
        "priya",
        "Priya Raman",
        "Illustrator",
        "creator",
        "Chennai",
        ["illustration", "ink"],
        ["kalamkari"],
        [("Peacock in ink", ["ink", "bird"])],
    ),
    (
        "sofia",
        "Sofía Reyes",
        "Photographer",
        "creator",
        "Oaxaca",
        ["photography", "darkroom"],
        ["documentary"],
        [("Market hands", ["photography"])],
    ),
    (
        "jonas",
        "Jonas Berg",
        "Sound and installation",
        "creator",
        "Bergen",
        ["sound design", "installation"],
        ["minimalism"],
        [("Fjord hum", ["sound", "sea"])],
    ),
)
COLOURS = ((32, 78, 140), (176, 64, 48), (60, 130, 90), (200, 160, 40), (110, 60, 140))


def _picture(title: str, index: int) -> ContentFile:
    """A small generated image standing in for the artwork's photograph."""
    image = Image.new("RGB", (480, 360), COLOURS[index % len(COLOURS)])
    drawing = ImageDraw.Draw(image)
    drawing.rectangle((40, 40, 440, 320), outline=(255, 255, 255), width=6)
    drawing.text((60, 160), title, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=f"demo-{index}.png")


def _avatar(name: str, index: int) -> ContentFile:
    """A picture standing in for the person's photograph: their initials on a colour, uploaded
    like anyone's (the profile service re-encodes it)."""
    side = 256
    image = Image.new("RGB", (side, side), COLOURS[index % len(COLOURS)])
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=110)  # Pillow's own font: nothing to install
    ImageDraw.Draw(image).text((side / 2, side / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=f"avatar-{index}.png")


def _avatar_give_if_missing(*, person: User, name: str, index: int) -> None:
    """Demo data loaded before pictures existed gets them; a picture already there stays."""
    if ProfessionalProfile.objects.filter(user=person, avatar__isnull=True).exists():
        profile_update(user=person, avatar=_avatar(name, index))


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
            avatar=_avatar(name, index),
        )
        for title, tags in works:
            artwork_create(
                artist=person, title=title, media_file=_picture(title, index), tags=tags, nsfw=False
            )
        created_people.append(person)
    if not created_people:
        _avatar_give_if_missing(person=admin, name="Konnaxion admin", index=len(DEMO_PEOPLE))
        return
    profile_update(
        user=admin,
        display_name="Konnaxion admin",
        visibility="public",
        # Crafts some demo people share, so that the suggestions panel has people to show.
        skills=["illustration", "ceramics", "printmaking"],
        avatar=_avatar("Konnaxion admin", len(DEMO_PEOPLE)),
    )
    for person in created_people[:4]:
        follow_create(follower=admin, followee=person)
    _demo_opportunities_load(posters=created_people)
    _demo_room_load(host=admin, guests=created_people[:2])
    demo_applications_load(people=created_people, admin=admin)


def _demo_room_load(*, host: User, guests: list[User]) -> None:
    """An open room where the admin and two demo people have started talking."""
    room = workspace_create(
        host=host,
        name="Risograph zine jam",
        session_type="mixed_media",
        participants=[guest.username for guest in guests],
    )
    for author, body in (
        (host, "Welcome! Notes on the left, the cover sketch on the canvas."),
        (guests[0], "I can bring the teal and fluorescent pink drums on Saturday."),
    ):
        collab_chat_message_post(session_id=room.pk, author=author, body=body)


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
