"""Demo projects for a first run (`konnaxion up --demo`): made through the services, and only
once (a project already there is left as it is)."""

from __future__ import annotations

import io

import numpy as np
from django.contrib.auth import get_user_model
from PIL import Image, ImageDraw

from konnaxion.ekoh.selectors import expertise_categories
from konnaxion.files.incoming import IncomingFile
from konnaxion.keenkonnect.models import Project, ProjectResource, ProjectTeam
from konnaxion.keenkonnect.samples import (
    cube_triangles,
    gltf_from_triangles,
    multipage_pdf,
    stl_binary,
)
from konnaxion.keenkonnect.selectors import resources_visible_to
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.projects import project_create
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.users.services import email_address_set_verified

Status, Visibility, Role = Project.Status, Project.Visibility, ProjectTeam.Role

DEMO_TEAM = (("lina", "Lina Haddad"), ("tomas", "Tomás Ortega"))
# The team's public profiles (made by Kontact's demo, konnaxion/kreative/demo.py):
# (username, name, headline, skills).
DEMO_TEAM_PROFILES = (
    ("lina", "Lina Haddad", "Furniture maker and open-hardware designer", ["woodwork", "design"]),
    ("tomas", "Tomás Ortega", "Welder and bicycle frame builder", ["welding", "metalwork"]),
)
# (title, description, ISCED-F code, status, visibility, tags, {username: role})
DEMO_PROJECTS = (
    (
        "Community workshop bench",
        "A sturdy workbench for the neighbourhood workshop: oak top, steel legs, a vice at "
        "each end, built from plans anyone can reuse.",
        "072",
        Status.ACTIVE,
        Visibility.PUBLIC,
        ["woodwork", "furniture", "open hardware"],
        {"lina": Role.COLLABORATOR, "tomas": Role.MENTOR},
    ),
    (
        "Solar fruit dryer",
        "A passive solar dryer for fruit and vegetables, tested through one summer.",
        "081",
        Status.DRAFT,
        Visibility.PUBLIC,
        ["solar", "food"],
        {"lina": Role.OWNER},
    ),
    (
        "Cargo bike frame",
        "Drawings and jigs for a steel longtail cargo bike frame. Team only while the welds "
        "are being tested.",
        "071",
        Status.ACTIVE,
        Visibility.MEMBERS,
        ["bicycle", "welding"],
        {"tomas": Role.COLLABORATOR},
    ),
)


def demo_projects_load(*, owner) -> list[Project]:
    """The demo projects, created with `owner` as their creator when missing."""
    users = get_user_model()
    team = {}
    for username, name in DEMO_TEAM:
        member, created = users.objects.get_or_create(username=username, defaults={"name": name})
        if created:
            member.set_unusable_password()
            member.save(update_fields=["password"])
        # A demo person's (unread) address counts as verified (konnaxion/users/selectors.py).
        email_address_set_verified(user=member, email=f"{username}@demo.konnaxion.local")
        team[username] = member
    projects = []
    for title, description, code, status, visibility, tags, roles in DEMO_PROJECTS:
        project = Project.objects.filter(title=title).first()
        if project is None:
            project = project_create(
                creator=owner,
                title=title,
                description=description,
                category=expertise_categories().filter(code=code).first(),
                status=status,
                visibility=visibility,
                tags=tags,
            )
            for username, role in roles.items():
                project_member_add(project=project, user=team[username], role=role)
        projects.append(project)
    demo_blueprints_load(project=projects[0], owner=owner)
    return projects


def _drawing(version: int, image_format: str) -> bytes:
    """A plan view of the bench: its top and legs, the vice moving with each version."""
    image = Image.new("RGB", (640, 400), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 80, 580, 200), outline="black", width=4)  # the oak top
    for x in (80, 520):
        draw.rectangle((x, 200, x + 40, 360), fill="#555555")  # the legs
    vice = 60 + 120 * (version - 1)
    draw.rectangle((vice, 50, vice + 90, 80), fill="#b5651d")
    draw.text((60, 370), f"Workbench, revision {version}", fill="black")
    out = io.BytesIO()
    image.save(out, format=image_format, quality=90)
    return out.getvalue()


def _assembly_notes(version: int) -> bytes:
    steps = [
        "Cut the oak top to 1800 x 600 mm and plane both faces.",
        "Weld the steel legs from 40 mm square tube; add the cross braces.",
        "Bolt the top to the frame with eight M10 coach bolts.",
    ]
    if version >= 2:
        steps.append("Fit a vice at each end, 40 mm below the top surface.")
    if version >= 3:
        steps.append("Finish the top with two coats of hard wax oil.")
    return multipage_pdf(
        ["Community workshop bench\nAssembly notes", "\n".join(steps), "Parts list\nOak, steel"],
        title=f"Workshop bench, revision {version}",
        author="Lina Haddad",
    )


def _bracket(version: int) -> np.ndarray:
    return cube_triangles(size=20.0 + 5 * version)


# (title, file name, builder of version n) — every accepted type, each with several versions.
DEMO_BLUEPRINTS = (
    ("Assembly notes", "bench-assembly.pdf", _assembly_notes),
    ("Top plan", "bench-top-plan.png", lambda version: _drawing(version, "PNG")),
    ("Workshop sketch", "bench-sketch.jpg", lambda version: _drawing(version, "JPEG")),
    ("Leg bracket", "leg-bracket.stl", lambda version: stl_binary(_bracket(version))),
    (
        "Vice jaw",
        "vice-jaw.glb",
        lambda version: gltf_from_triangles({"jaw": _bracket(version)}, binary=True),
    ),
    (
        "Bench scene",
        "bench-scene.gltf",
        lambda version: gltf_from_triangles(
            {"top": cube_triangles(size=60.0), "bracket": _bracket(version)},
            translations={"bracket": [0.0, 0.0, -30.0 * version]},
        ),
    ),
)
DEMO_BLUEPRINT_VERSIONS = 3


def demo_blueprints_load(*, project: Project, owner) -> None:
    """Blueprints of every accepted type, with several versions each, in `project` (once)."""
    if ProjectResource.objects.filter(project=project).exists():
        return
    for title, name, build in DEMO_BLUEPRINTS:
        resource = resource_create(
            project=project, upload=_incoming(build(1), name), actor=owner, title=title
        )
        for version in range(2, DEMO_BLUEPRINT_VERSIONS + 1):
            version_create(
                resource=resources_visible_to(user=owner, project=project).get(pk=resource.pk),
                upload=_incoming(build(version), name),
                actor=owner,
                comment=f"Revision {version}",
            )


def _incoming(content: bytes, name: str) -> IncomingFile:
    upload = IncomingFile(name=name)
    upload.write(content)
    upload.finish()
    return upload
