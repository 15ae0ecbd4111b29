"""A document's row keeps its current version's content type (search filters on it before
ranking): the versioning services write it, migration 0006 filled it in, and PostgreSQL
refuses any other value."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from konnaxion.keenkonnect.models import ProjectResource
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_versioning import version_create, version_restore
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes, png_bytes, stl_ascii_bytes
from konnaxion.keenkonnect.tests.stockage import team_project

pytestmark = pytest.mark.django_db


def stored_type(resource) -> str:
    return ProjectResource.objects.values_list("current_content_type", flat=True).get(
        pk=resource.pk
    )


def out_of_step() -> int:
    """Documents whose row disagrees with their current version."""
    return (
        ProjectResource.objects.filter(current_version__isnull=False)
        .exclude(current_content_type=F("current_version__content_type"))
        .count()
    )


def check_deferred_constraints() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def test_upload_new_version_and_restore_keep_the_current_content_type():
    # given
    project, users = team_project()
    owner = users["owner"]
    # when / then: upload
    created = resource_create(project=project, upload=incoming_file(pdf_bytes()), actor=owner)
    assert stored_type(created) == created.current_content_type == "application/pdf"
    resource = resource_get_visible(user=owner, project=project, resource_id=created.pk)
    # when / then: a new version of another type
    version_create(resource=resource, upload=incoming_file(png_bytes(), name="p.png"), actor=owner)
    assert stored_type(resource) == resource.current_content_type == "image/png"
    # when / then: version 1 restored
    version_restore(resource=resource, number=1, actor=owner)
    assert stored_type(resource) == resource.current_content_type == "application/pdf"
    assert out_of_step() == 0
    check_deferred_constraints()


def test_the_database_refuses_a_type_other_than_the_current_versions():
    # given
    project, users = team_project()
    resource = resource_create(
        project=project, upload=incoming_file(pdf_bytes()), actor=users["owner"]
    )
    # when / then: checked at the latest when the transaction commits
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectResource.objects.filter(pk=resource.pk).update(current_content_type="image/png")
        check_deferred_constraints()
    assert stored_type(resource) == "application/pdf"


def test_a_link_without_a_version_keeps_an_empty_type():
    # given / when
    link = ProjectResource.objects.create(
        project=team_project()[0], title="Site", url="https://a.b"
    )
    # then
    assert stored_type(link) == ""
    check_deferred_constraints()


def test_the_migration_gives_every_document_its_current_versions_type():
    # given: documents whose rows were written before the column existed
    project, users = team_project()
    owner = users["owner"]
    pdf = resource_create(project=project, upload=incoming_file(pdf_bytes()), actor=owner)
    model = resource_create(
        project=project, upload=incoming_file(stl_ascii_bytes(), name="m.stl"), actor=owner
    )
    ProjectResource.objects.update(current_content_type="")
    assert out_of_step() == 2
    migration = import_module("konnaxion.keenkonnect.migrations.0006_resource_current_content_type")
    # when
    with connection.cursor() as cursor:
        cursor.execute(migration.BACKFILL)
    # then
    assert out_of_step() == 0
    assert (stored_type(pdf), stored_type(model)) == ("application/pdf", "model/stl")
    check_deferred_constraints()
