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
