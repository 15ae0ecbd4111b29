import factory

from konnaxion.keenkonnect.models import (
    Project,
    ProjectMessage,
    ProjectRating,
    ProjectResource,
    ProjectTask,
    ProjectTeam,
)
from konnaxion.keenkonnect.services.projects import project_create
from konnaxion.users.tests.factories import UserFactory


def project_for(creator=None, **kwargs) -> Project:
    """A project made the way users make them (its creator becomes owner)."""
    kwargs.setdefault("title", f"Project {Project.objects.count() + 1}")
    return project_create(creator=creator or UserFactory(), **kwargs)


class ProjectFactory(factory.django.DjangoModelFactory):
    """A bare project row (no owner): for constraint tests."""

    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Bare project {n}")
    slug = factory.Sequence(lambda n: f"bare-project-{n}")
    creator = factory.SubFactory(UserFactory)


class ProjectTeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTeam

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = ProjectTeam.Role.COLLABORATOR


class ProjectTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectTask

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    assignee = factory.SubFactory(UserFactory)
    created_by = factory.SubFactory(UserFactory)


class ProjectMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMessage

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    content = factory.Sequence(lambda n: f"Message {n}")


class ProjectResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectResource

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = "https://example.org/spec.pdf"
    added_by = factory.SubFactory(UserFactory)


class ProjectRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectRating

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    value = 4
