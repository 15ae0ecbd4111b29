"""Demo projects for a first run (`konnaxion up --demo`): made through the services, and only
once (a project already there is left as it is)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from konnaxion.ekoh.selectors import expertise_categories
from konnaxion.keenkonnect.models import Project, ProjectTeam
from konnaxion.keenkonnect.services.projects import project_create
from konnaxion.keenkonnect.services.team import project_member_add

Status, Visibility, Role = Project.Status, Project.Visibility, ProjectTeam.Role

DEMO_TEAM = (("lina", "Lina Haddad"), ("tomas", "Tomás Ortega"))
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
    return projects
