"""The canonical data model I API: Kreative, keenKonnect, EkoH, Smart Vote.

Callers: `anonymous`, `stranger` (signed in, unrelated) and `owner` (who made every object of
the world: artwork, gallery, tradition entry, session, and a members-only project). What a
stranger may not know exists answers 404; what it may see but not change answers 403.
"""

from __future__ import annotations

from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.base import ContentFile
from django.utils import timezone

from konnaxion.ekoh.models import ExpertiseCategory, ScoreConfiguration
from konnaxion.ekoh.services.expertise import expertise_score_set
from konnaxion.keenkonnect.models import Project
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.factories import (
    ProjectMessageFactory,
    ProjectTaskFactory,
    project_for,
)
from konnaxion.kreative.services.galleries import gallery_artwork_add
from konnaxion.kreative.tests.factories import (
    CollabSessionFactory,
    GalleryFactory,
    KreativeArtworkFactory,
    TagFactory,
    TraditionEntryFactory,
    png_bytes,
    png_upload,
)
from konnaxion.smart_vote.models import EmergingExpert, VoteModality, VoteResult
from konnaxion.smart_vote.services.voting import vote_cast
from konnaxion.smart_vote.tests.factories import IntegrationMappingFactory
from konnaxion.users.tests.factories import UserFactory
from tests.security.matrix import World, row
from tests.security.matrix.core import api_client_for

# Use the private project `world.project` in keenKonnect paths: outsiders must learn nothing.


def world_setup(world: World) -> None:
    owner = world.users["owner"] = UserFactory(username="owner")
    world.tag = TagFactory(name="etching")
    world.artwork = KreativeArtworkFactory(artist=owner)
    world.gallery = GalleryFactory(created_by=owner)
    world.tradition = TraditionEntryFactory(
        submitted_by=owner, media_file=ContentFile(png_bytes(), name="song.png")
    )
    world.session = CollabSessionFactory(host=owner, started_at=timezone.now())
    world.project = project_for(owner, title="Private works", visibility=Project.Visibility.MEMBERS)
    TOTP.activate(owner, generate_totp_secret())
    member = world.users["member"] = UserFactory(username="member")
    project_member_add(project=world.project, user=member, role="collaborator", actor=owner)
    world.users["moderator"] = UserFactory(username="moderator", is_staff=True)
    world.task = ProjectTaskFactory(project=world.project)
    world.message = ProjectMessageFactory(project=world.project, author=owner)
    gallery_artwork_add(gallery=world.gallery, artwork=world.artwork, actor=owner)
    world.category = ExpertiseCategory.objects.order_by("pk").first()
    world.score = expertise_score_set(
        user=owner, category=world.category, raw_score=40, reason="matrix"
    )
    world.mapping = IntegrationMappingFactory(
        module_name="keenkonnect",
        context_type="project",
        mapping_details={"model": "keenkonnect.Project", "modality": "rating"},
    )
    world.vote = vote_cast(
        user=owner, target_type="keenkonnect.project", target_id=world.project.pk, raw_value=4
    )
    world.result = VoteResult.objects.get(target_type="keenkonnect.project")
    world.modality = VoteModality.objects.get(name="rating")
    world.emerging = EmergingExpert.objects.create(
        user=owner,
        category=world.category,
        detection_date=timezone.now().date(),
        score_delta=Decimal("20.000"),
    )


CALLERS = {
    name: (lambda world, name=name: api_client_for(world.users[name]))
    for name in ("owner", "member", "moderator")
}

ANY = {"anonymous": 401, "stranger": 200}  # reference data every signed-in user reads


def everyone(status: int) -> dict[str, int]:
    """Anonymous callers are asked to sign in; every signed-in caller gets `status`."""
    return {"anonymous": 401, "stranger": status, "owner": status}


def owned(owner_status: int, *, stranger: int = 403) -> dict[str, int]:
    """Visible to all signed-in users, changed by its owner only."""
    return {"anonymous": 401, "stranger": stranger, "owner": owner_status}


def private(owner: int, member: int) -> dict[str, int]:
    """Inside the members-only project: outsiders learn nothing (404)."""
    return {"anonymous": 401, "stranger": 404, "member": member, "owner": owner}


P = "/api/keenkonnect/projects/{w.project.slug}"
PROJECT = r"api/keenkonnect/^projects/(?P<project_slug>[-\w]+)"
PK = r"(?P<pk>[^/.]+)"

ROWS = [
    # EkoH
    row("GET", "api/ekoh/", ANY),
    row("GET", "api/ekoh/^categories/$", ANY),
    row("GET", f"api/ekoh/^categories/{PK}/$", ANY, path="/api/ekoh/categories/{w.category.pk}/"),
    row("GET", "api/ekoh/^configuration/$", ANY),
    row(
        "GET",
        f"api/ekoh/^configuration/{PK}/$",
        ANY,
        path=lambda w: f"/api/ekoh/configuration/{ScoreConfiguration.objects.first().pk}/",
    ),
    row("GET", "api/ekoh/^history/$", ANY),
    row("GET", "api/ekoh/^scores/$", ANY),
    row("GET", f"api/ekoh/^scores/{PK}/$", everyone(200), path="/api/ekoh/scores/{w.score.pk}/"),
    row("GET", "api/ekoh/confidentiality/", ANY),
    row("PUT", "api/ekoh/confidentiality/", everyone(200), body={"level": "pseudonym"}),
    row("GET", "api/ekoh/weight/", ANY),
    # keenKonnect
    row("GET", "api/keenkonnect/", ANY),
    row("GET", "api/keenkonnect/^projects/$", everyone(200)),
    row("POST", "api/keenkonnect/^projects/$", everyone(201), body={"title": "Fresh"}),
    row("GET", r"api/keenkonnect/^projects/(?P<slug>[-\w]+)/$", private(200, 200), path=f"{P}/"),
    row(
        "PATCH",
        r"api/keenkonnect/^projects/(?P<slug>[-\w]+)/$",
        private(200, 403),
        path=f"{P}/",
        # Requiring two factors of the members is an owner's change like any other (the owner
        # has one: without it they would be refused 409 two_factor_required).
        body={"description": "Changed", "two_factor_required": True},
    ),
    row("DELETE", r"api/keenkonnect/^projects/(?P<slug>[-\w]+)/$", private(204, 403), path=f"{P}/"),
    row("GET", f"{PROJECT}/team/$", private(200, 200), path=f"{P}/team/"),
    row(
        "POST",
        f"{PROJECT}/team/$",
        private(201, 403),
        path=f"{P}/team/",
        body={"username": "stranger", "role": "mentor"},
    ),
    row(
        "PATCH",
        rf"{PROJECT}/team/(?P<username>[\w.@+-]+)/$",
        private(200, 403),
        path=f"{P}/team/member/",
        body={"role": "mentor"},
    ),
    row(
        "DELETE",
        rf"{PROJECT}/team/(?P<username>[\w.@+-]+)/$",
        private(204, 204),  # the owner removes a member; a member may leave
        path=f"{P}/team/member/",
    ),
]

for name, item, body in (
    ("messages", "message", {"content": "Hello"}),
    ("tasks", "task", {"title": "Draw the elevations"}),
):
    ROWS += [
        row("GET", f"{PROJECT}/{name}/$", private(200, 200), path=f"{P}/{name}/"),
        row("POST", f"{PROJECT}/{name}/$", private(201, 201), path=f"{P}/{name}/", body=body),
        row(
            "GET",
            f"{PROJECT}/{name}/{PK}/$",
            private(200, 200),
            path=f"{P}/{name}/{{w.{item}.pk}}/",
        ),
        row(
            "PATCH",
            f"{PROJECT}/{name}/{PK}/$",
            private(200, 403 if name == "messages" else 200),
            path=f"{P}/{name}/{{w.{item}.pk}}/",
            body=body,
        ),
        row(
            "DELETE",
            f"{PROJECT}/{name}/{PK}/$",
            private(204, 403 if name == "messages" else 204),
            path=f"{P}/{name}/{{w.{item}.pk}}/",
        ),
    ]

ROWS += [
    row("GET", f"{PROJECT}/ratings/$", private(200, 200), path=f"{P}/ratings/"),
    row("POST", f"{PROJECT}/ratings/$", private(201, 201), path=f"{P}/ratings/", body={"value": 5}),
    row("GET", f"{PROJECT}/ratings/mine/$", private(404, 404), path=f"{P}/ratings/mine/"),
    # Kreative
    row("GET", "api/kreative/", ANY),
    row("GET", "api/kreative/^tags/$", ANY),
    row("POST", "api/kreative/^tags/$", everyone(201), body={"names": ["cyanotype"]}),
    row("GET", f"api/kreative/^tags/{PK}/$", ANY, path="/api/kreative/tags/{w.tag.pk}/"),
    # Artworks are read as their artist's profile is (anonymous visitors: public ones only);
    # the detail's row, with a members-only profile and a block, is in `media.py`.
    row("GET", "api/kreative/^artworks/$", {"anonymous": 200, "stranger": 200}),
    row(
        "POST",
        "api/kreative/^artworks/$",
        everyone(201),
        body=lambda w: {"title": "Study", "media_file": png_upload()},
        format="multipart",
    ),
    row(
        "PATCH",
        f"api/kreative/^artworks/{PK}/$",
        owned(200),
        path="/api/kreative/artworks/{w.artwork.pk}/",
        body={"title": "Renamed"},
    ),
    row(
        "DELETE",
        f"api/kreative/^artworks/{PK}/$",
        owned(204),
        path="/api/kreative/artworks/{w.artwork.pk}/",
    ),
    row("GET", "api/kreative/^galleries/$", ANY),
    row("POST", "api/kreative/^galleries/$", everyone(201), body={"title": "Prints"}),
    row(
        "GET",
        f"api/kreative/^galleries/{PK}/$",
        ANY,
        path="/api/kreative/galleries/{w.gallery.pk}/",
    ),
    row(
        "PATCH",
        f"api/kreative/^galleries/{PK}/$",
        owned(200),
        path="/api/kreative/galleries/{w.gallery.pk}/",
        body={"title": "Renamed"},
    ),
    row(
        "DELETE",
        f"api/kreative/^galleries/{PK}/$",
        owned(204),
        path="/api/kreative/galleries/{w.gallery.pk}/",
    ),
    row(
        "POST",
        f"api/kreative/^galleries/{PK}/artworks/$",
        owned(201),
        path="/api/kreative/galleries/{w.gallery.pk}/artworks/",
        body=lambda w: {"artwork": KreativeArtworkFactory(artist=w.users["owner"]).pk},
    ),
    row(
        "DELETE",
        rf"api/kreative/^galleries/{PK}/artworks/(?P<artwork_id>\d+)/$",
        owned(204),
        path="/api/kreative/galleries/{w.gallery.pk}/artworks/{w.artwork.pk}/",
    ),
    row(
        "POST",
        f"api/kreative/^galleries/{PK}/reorder/$",
        owned(200),
        path="/api/kreative/galleries/{w.gallery.pk}/reorder/",
        body=lambda w: {"artwork_ids": [w.artwork.pk]},
    ),
    row("GET", "api/kreative/^traditions/$", ANY),
    row(
        "POST",
        "api/kreative/^traditions/$",
        everyone(201),
        body={"title": "Fest-noz", "description": "Breton dances.", "region": "Brittany"},
    ),
    # Unapproved entries are seen by their author and moderators only.
    row(
        "GET",
        f"api/kreative/^traditions/{PK}/$",
        {"anonymous": 401, "stranger": 404, "owner": 200, "moderator": 200},
        path="/api/kreative/traditions/{w.tradition.pk}/",
    ),
    row(
        "PATCH",
        f"api/kreative/^traditions/{PK}/$",
        {"anonymous": 401, "stranger": 404, "owner": 200},
        path="/api/kreative/traditions/{w.tradition.pk}/",
        body={"title": "Renamed"},
    ),
    row(
        "GET",
        f"api/kreative/^traditions/{PK}/media/$",
        {"anonymous": 401, "stranger": 404, "owner": 200, "moderator": 200},
        path="/api/kreative/traditions/{w.tradition.pk}/media/",
    ),
    row(
        "POST",
        f"api/kreative/^traditions/{PK}/approve/$",
        {"anonymous": 401, "stranger": 404, "owner": 403, "moderator": 200},
        path="/api/kreative/traditions/{w.tradition.pk}/approve/",
    ),
    row("GET", "api/kreative/^collab-sessions/$", ANY),
    row(
        "POST",
        "api/kreative/^collab-sessions/$",
        everyone(201),
        body={"name": "Jam", "session_type": "music"},
    ),
    row(
        "GET",
        f"api/kreative/^collab-sessions/{PK}/$",
        {"anonymous": 401, "stranger": 404, "owner": 200},
        path="/api/kreative/collab-sessions/{w.session.pk}/",
    ),
    row(
        "PATCH",
        f"api/kreative/^collab-sessions/{PK}/$",
        owned(200, stranger=404),
        path="/api/kreative/collab-sessions/{w.session.pk}/",
        body={"name": "Renamed"},
    ),
    row(
        "POST",
        f"api/kreative/^collab-sessions/{PK}/end/$",
        owned(200, stranger=404),
        path="/api/kreative/collab-sessions/{w.session.pk}/end/",
        body={},
    ),
    # Smart Vote
    row("GET", "api/smart-vote/", ANY),
    row("GET", "api/smart-vote/^votes/$", ANY),
    row(
        "POST",
        "api/smart-vote/^votes/$",
        # Nobody votes on what they may not see.
        {"anonymous": 401, "stranger": 404, "member": 201},
        body=lambda w: {
            "target_type": "keenkonnect.project",
            "target_id": str(w.project.pk),
            "raw_value": 3,
        },
    ),
    row("GET", "api/smart-vote/^results/$", ANY),
    row(
        "GET",
        f"api/smart-vote/^results/{PK}/$",
        private(200, 200),
        path="/api/smart-vote/results/{w.result.pk}/",
    ),
    row("GET", "api/smart-vote/^modalities/$", ANY),
    row(
        "GET",
        f"api/smart-vote/^modalities/{PK}/$",
        ANY,
        path="/api/smart-vote/modalities/{w.modality.pk}/",
    ),
    row("GET", "api/smart-vote/^integrations/$", ANY),
    row(
        "GET",
        f"api/smart-vote/^integrations/{PK}/$",
        ANY,
        path="/api/smart-vote/integrations/{w.mapping.pk}/",
    ),
    row("GET", "api/smart-vote/^emerging-experts/$", ANY),
    row(
        "GET",
        f"api/smart-vote/^emerging-experts/{PK}/$",
        ANY,
        path="/api/smart-vote/emerging-experts/{w.emerging.pk}/",
    ),
]
