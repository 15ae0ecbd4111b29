"""The demo projects: made through the services, once."""

import pytest
from django.core.management import call_command

from konnaxion.keenkonnect.models import Project

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_the_demo_projects_once():
    # when
    call_command("seed_demo")
    call_command("seed_demo")
    # then
    projects = Project.objects.order_by("title")
    assert [p.title for p in projects] == [
        "Cargo bike frame",
        "Community workshop bench",
        "Solar fruit dryer",
    ]
    bench = projects.get(title="Community workshop bench")
    assert bench.category.code == "072"
    assert dict(bench.team.values_list("user__username", "role")) == {
        "admin": "owner",
        "lina": "collaborator",
        "tomas": "mentor",
    }
    assert sorted(bench.tags.values_list("name", flat=True)) == [
        "furniture",
        "open hardware",
        "woodwork",
    ]


def test_the_demo_bench_has_blueprints_of_every_type_with_versions():
    # when
    call_command("seed_demo")
    call_command("seed_demo")
    # then every accepted type is there once, each with three verified versions
    from konnaxion.keenkonnect.models import DocumentVersion, ProjectResource

    bench = Project.objects.get(title="Community workshop bench")
    documents = ProjectResource.objects.filter(project=bench).select_related("current_version")
    assert sorted(d.current_version.content_type for d in documents) == [
        "application/pdf",
        "image/jpeg",
        "image/png",
        "model/gltf+json",
        "model/gltf-binary",
        "model/stl",
    ]
    for document in documents:
        numbers = DocumentVersion.objects.filter(resource=document).values_list("number", flat=True)
        assert sorted(numbers) == [1, 2, 3]
        assert document.current_version.number == 3
