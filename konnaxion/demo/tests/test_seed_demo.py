"""`seed_demo`: the demo superuser and every domain's demo data, once however often it runs."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from konnaxion.keenkonnect.models import Project
from konnaxion.kreative.models import ProfessionalProfile
from konnaxion.users.selectors import email_verified

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_the_admin_and_the_domains_demo_data_once():
    # given
    outputs = [io.StringIO(), io.StringIO()]
    # when run twice
    for output in outputs:
        call_command("seed_demo", stdout=output)
    # then
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("konnaxion-admin")
    assert get_user_model().objects.filter(username="admin").count() == 1
    assert Project.objects.count() == 3
    public = ProfessionalProfile.objects.filter(visibility="public").exclude(user=admin)
    assert public.count() == 14  # the dozen Kontact people and the projects' team
    # every member of a demo project's team has a public profile
    team = set(Project.objects.values_list("team__user__username", flat=True))
    assert team <= set(public.values_list("user__username", flat=True)) | {"admin"}
    # every demo person may post and invite: their address is verified
    people = get_user_model().objects.all()
    assert people.count() > 1
    assert all(email_verified(person) for person in people)
    assert [output.getvalue() for output in outputs] == [
        "Demo data ready. Sign in to /admin/ as admin / konnaxion-admin.\n"
    ] * 2
