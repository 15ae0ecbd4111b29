"""Kontact: profiles, follows, blocks, opportunities, endorsements.

Callers: `owner` (the owner of the profile, the poster of the opportunity and the author of the
endorsement) and `subject` (the endorsed collaborator); `blocked` is blocked by `owner`.
"""

from datetime import timedelta

from django.utils import timezone

from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

P = "api/profiles/"
C = "api/connect/"
USERNAME = r"(?P<username>[\w.@+-]+)"
PK = r"(?P<pk>\d+)"


def world_setup(world: World) -> None:
    from konnaxion.kreative.services.collab_sessions import (
        collab_session_participant_add,
        collab_session_start,
    )
    from konnaxion.kreative.services.opportunity_announcement import opportunity_create
    from konnaxion.kreative.services.partner_recommendation import endorsement_create
    from konnaxion.kreative.services.professional_profile import block_create, profile_update

    owner = world.users["kontact_owner"] = UserFactory(username="kontact-owner")
    subject = world.users["subject"] = UserFactory(username="kontact-subject")
    blocked = world.users["blocked"] = UserFactory(username="kontact-blocked")
    profile_update(user=owner, visibility="public", skills=["etching"])
    profile_update(user=subject, visibility="members")
    profile_update(user=blocked, visibility="public")
    block_create(blocker=owner, blocked=blocked)
    world.opportunity = opportunity_create(
        posted_by=owner,
        type="residency",
        title="Print residency",
        description="Three months in the studio.",
        apply_url="https://example.org/apply",
    )
    started = timezone.now() - timedelta(days=2)
    session = collab_session_start(host=owner, name="Jam", session_type="music", started_at=started)
    collab_session_participant_add(session=session, actor=owner, user=subject)
    # Ended yesterday: within the endorsement window, before the blind period ends.
    type(session).objects.filter(pk=session.pk).update(ended_at=timezone.now() - timedelta(days=1))
    session.refresh_from_db()
    world.kontact_session = session
    world.endorsement = endorsement_create(author=owner, subject=subject, session=session, rating=5)


CALLERS = {
    "kontact_owner": lambda world: api_client_for(world.users["kontact_owner"]),
    "subject": lambda world: api_client_for(world.users["subject"]),
    "blocked": lambda world: api_client_for(world.users["blocked"]),
}

OWNER_PROFILE = "/api/profiles/kontact-owner/"
OPP = "/api/connect/opportunities/{w.opportunity.pk}/"
END = "/api/connect/endorsements/{w.endorsement.pk}/"

ROWS = [
    row("GET", f"{P}^$", {"anonymous": 200, "stranger": 200}, path="/api/profiles/"),
    # Public profile: seen by all but the blocked user, who is told it does not exist.
    row(
        "GET",
        f"{P}^{USERNAME}/$",
        {"anonymous": 200, "stranger": 200, "kontact_owner": 200, "blocked": 404},
        path=OWNER_PROFILE,
    ),
    row(
        "PATCH",
        f"{P}^{USERNAME}/$",
        {"anonymous": 401, "stranger": 403, "kontact_owner": 200, "blocked": 404},
        path=OWNER_PROFILE,
        body={"headline": "Printmaker"},
    ),
    # The subject's members-only profile: the draft about them is not shown to them.
    row(
        "GET",
        f"{P}^{USERNAME}/endorsements/$",
        {"anonymous": 404, "stranger": 200, "kontact_owner": 200, "subject": 200},
        path="/api/profiles/kontact-subject/endorsements/",
    ),
    row("GET", f"{C}^follows/$", {"anonymous": 401, "stranger": 200}, path="/api/connect/follows/"),
    row(
        "POST",
        f"{C}^follows/$",
        {"anonymous": 401, "stranger": 201, "blocked": 404, "kontact_owner": 400},
        path="/api/connect/follows/",
        body={"username": "kontact-owner"},
    ),
    row(
        "DELETE",
        f"{C}^follows/{USERNAME}/$",
        {"anonymous": 401, "stranger": 204, "blocked": 404},
        path="/api/connect/follows/kontact-owner/",
    ),
    row("GET", f"{C}^blocks/$", {"anonymous": 401, "stranger": 200}, path="/api/connect/blocks/"),
    row(
        "POST",
        f"{C}^blocks/$",
        {"anonymous": 401, "stranger": 201, "kontact_owner": 400},
        path="/api/connect/blocks/",
        body={"username": "kontact-owner"},
    ),
    row(
        "DELETE",
        f"{C}^blocks/{USERNAME}/$",
        {"anonymous": 401, "stranger": 204, "kontact_owner": 204},
        path="/api/connect/blocks/kontact-blocked/",
    ),
    row(
        "GET",
        f"{C}^opportunities/$",
        {"anonymous": 200, "stranger": 200},
        path="/api/connect/opportunities/",
    ),
    row(
        "POST",
        f"{C}^opportunities/$",
        {"anonymous": 401, "stranger": 201},
        path="/api/connect/opportunities/",
        body={
            "type": "call",
            "title": "Open call",
            "description": "Prints on paper.",
            "apply_instructions": "Send a portfolio.",
        },
    ),
    row(
        "GET",
        f"{C}^opportunities/{PK}/$",
        {"anonymous": 200, "stranger": 200, "kontact_owner": 200, "blocked": 404},
        path=OPP,
    ),
    row(
        "PATCH",
        f"{C}^opportunities/{PK}/$",
        {"anonymous": 401, "stranger": 403, "kontact_owner": 200, "blocked": 404},
        path=OPP,
        body={"title": "Print residency 2026"},
    ),
    row(
        "DELETE",
        f"{C}^opportunities/{PK}/$",
        {"anonymous": 401, "stranger": 403, "kontact_owner": 204, "blocked": 404},
        path=OPP,
    ),
    row(
        "POST",
        f"{C}^opportunities/{PK}/close/$",
        {"anonymous": 401, "stranger": 403, "kontact_owner": 200, "blocked": 404},
        path=OPP + "close/",
    ),
    row(
        "POST",
        f"{C}^opportunities/{PK}/fill/$",
        {"anonymous": 401, "stranger": 403, "kontact_owner": 200, "blocked": 404},
        path=OPP + "fill/",
    ),
    row(
        "POST",
        f"{C}^opportunities/{PK}/save/$",
        {"anonymous": 401, "stranger": 200, "blocked": 404},
        path=OPP + "save/",
    ),
    row(
        "DELETE",
        f"{C}^opportunities/{PK}/save/$",
        {"anonymous": 401, "stranger": 204, "blocked": 404},
        path=OPP + "save/",
    ),
    row(
        "GET",
        f"{C}^opportunities/{PK}/attachments/(?P<attachment_id>\\d+)/$",
        {"anonymous": 404, "stranger": 404},
        path=OPP + "attachments/999999/",
    ),
    # Not a co-participant: refused as not eligible.
    row(
        "POST",
        f"{C}^endorsements/$",
        {"anonymous": 401, "stranger": 403, "subject": 201},
        path="/api/connect/endorsements/",
        body=lambda world: {
            "subject": "kontact-owner",
            "session": world.kontact_session.pk,
            "rating": 4,
        },
    ),
    # Hidden until published: only its author knows it exists.
    row(
        "GET",
        f"{C}^endorsements/{PK}/$",
        {"anonymous": 401, "stranger": 404, "subject": 404, "kontact_owner": 200},
        path=END,
    ),
    row(
        "PATCH",
        f"{C}^endorsements/{PK}/$",
        {"anonymous": 401, "stranger": 404, "subject": 404, "kontact_owner": 200},
        path=END,
        body={"rating": 4},
    ),
    row(
        "POST",
        f"{C}^endorsements/{PK}/reply/$",
        {"anonymous": 401, "stranger": 404, "subject": 404, "kontact_owner": 404},
        path=END + "reply/",
        body={"reply": "Thanks"},
    ),
]
