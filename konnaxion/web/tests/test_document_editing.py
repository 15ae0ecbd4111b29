"""Editing on the document page (title, description, a version's label and note) and the
confirmation a purge needs, through Django's test client: writers only, errors in the form."""

import pytest
from django.test import Client

from konnaxion.keenkonnect.models import AuditEvent, DocumentVersion, ProjectEvent, ProjectResource
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.web.tests import test_blueprints_pages as pages
from konnaxion.web.tests.test_blueprints_pages import (
    as_seen_by,
    client_of,
    document,
    second_version,
    tab_url,
)

team = pages.team  # the fixture: a members-only project with an owner, writer, reader

pytestmark = pytest.mark.django_db


def page_url(project, resource) -> str:
    return f"/projects/{project.slug}/blueprints/{resource.pk}/"


def label_url(project, resource, number) -> str:
    return f"{page_url(project, resource)}versions/{number}/label/"


def test_a_writer_renames_and_describes_a_document_from_its_page(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    writer = client_of(people["writer"])
    edit_action = f'action="{page_url(project, resource)}edit/"'
    assert edit_action in writer.get(page_url(project, resource)).content.decode()

    # when
    response = writer.post(
        f"{page_url(project, resource)}edit/",
        {"title": "Gazebo roof", "description": "Cedar, 4 m."},
    )

    # then
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.title, resource.description) == ("Gazebo roof", "Cedar, 4 m.")
    audit = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE)
    assert (audit.actor, audit.details) == (people["writer"], {"fields": ["description", "title"]})
    assert ProjectEvent.objects.filter(type="resource.updated", resource_id=resource.pk).exists()
    html = writer.get(page_url(project, resource)).content.decode()
    assert "Gazebo roof" in html and "The document is saved." in html


def test_a_writer_sets_tags_from_the_page_and_everyone_sees_them(team):
    project, people = team
    resource = document(project, people["owner"])

    response = client_of(people["writer"]).post(
        f"{page_url(project, resource)}edit/",
        {"title": "plan.pdf", "description": "", "tags": "cedar, CNC , cedar,"},
    )

    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.tags == ["cedar", "CNC"]
    html = client_of(people["reader"]).get(page_url(project, resource)).content.decode()
    assert '<li class="badge" data-tag dir="auto">CNC</li>' in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": "plan.pdf", "tags": "x" * 65}, "Each tag has 1 to 64 characters"),
        ({"title": "", "description": "x"}, "This field is required."),
        ({"title": "t" * 201}, "Ensure this value has at most 200 characters"),
    ],
)
def test_invalid_edits_show_the_errors_in_the_form(team, data, error):
    project, people = team
    resource = document(project, people["owner"])

    response = client_of(people["owner"]).post(f"{page_url(project, resource)}edit/", data)

    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert 'class="form-errors" role="alert"' in html
    resource.refresh_from_db()
    assert resource.title == "plan.pdf"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


@pytest.mark.parametrize(("who", "status"), [("reader", 403), ("outsider", 404)])
def test_readers_and_outsiders_cannot_edit(team, who, status):
    project, people = team
    resource = document(project, people["owner"])
    client = client_of(people[who])

    edit = client.post(f"{page_url(project, resource)}edit/", {"title": "Mine"})
    label = client.post(label_url(project, resource, 1), {"label": "Mine", "note": ""})

    assert (edit.status_code, label.status_code) == (status, status)
    resource.refresh_from_db()
    assert resource.title == "plan.pdf"
    assert DocumentVersion.objects.get(resource=resource).label == ""


def test_a_reader_sees_labels_but_no_editing_forms(team):
    project, people = team
    resource = document(project, people["owner"])
    client_of(people["owner"]).post(label_url(project, resource, 1), {"label": "Rev A"})

    html = client_of(people["reader"]).get(page_url(project, resource)).content.decode()

    assert "Rev A" in html
    assert "/label/" not in html and "/edit/" not in html


def test_a_writer_labels_a_version_and_the_history_shows_label_author_and_note(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    second_version(resource, people["owner"])
    writer = client_of(people["writer"])

    # when
    response = writer.post(
        label_url(project, resource, 1),
        {"label": "Rev B - sent to fabricator", "note": "Holes moved\nby 2 mm"},
    )

    # then
    assert response.status_code == 302
    assert response["Location"].endswith("#version-1")
    html = writer.get(page_url(project, resource)).content.decode()
    row = html.split('id="version-1"')[1].split("</tr>")[0]
    assert "<bdi>Rev B - sent to fabricator</bdi>" in row
    assert "by walt on" in row
    assert "Holes moved<br>by 2 mm" in row
    assert "<bdi>Rev B" not in html.split('id="version-2"')[1].split("</tr>")[0]


def test_a_taken_label_is_an_error_on_the_form(team):
    project, people = team
    resource = document(project, people["owner"])
    second_version(resource, people["owner"])
    owner = client_of(people["owner"])
    owner.post(label_url(project, resource, 1), {"label": "Final"})

    response = owner.post(label_url(project, resource, 2), {"label": "FINAL", "note": "x"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Another version of this document already has this label." in html
    assert 'version-label-edit" open' in html
    assert DocumentVersion.objects.get(resource=resource, number=2).label == ""


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"label": "x" * 81}, "Ensure this value has at most 80 characters"),
        ({"label": "two\nlines"}, "Use one line of at most 80 characters."),
    ],
)
def test_invalid_labels_are_errors_on_the_form(team, data, error):
    project, people = team
    resource = document(project, people["owner"])

    response = client_of(people["owner"]).post(label_url(project, resource, 1), data)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert DocumentVersion.objects.get(resource=resource).label == ""


def test_labelling_an_unknown_version_is_404(team):
    project, people = team
    resource = document(project, people["owner"])
    response = client_of(people["owner"]).post(label_url(project, resource, 7), {"label": "x"})
    assert response.status_code == 404


def test_editing_needs_a_signed_in_visitor(team):
    project, people = team
    resource = document(project, people["owner"])
    response = Client().post(f"{page_url(project, resource)}edit/", {"title": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_purge_without_the_confirmation_deletes_nothing(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    storage.resource_trash(resource=as_seen_by(resource, people["owner"]), actor=people["owner"])
    owner = client_of(people["owner"])
    html = owner.get(tab_url(project)).content.decode()
    assert 'name="confirm" value="yes" required' in html
    assert "data-confirm=" in html.split("purge-form")[1].split(">")[0]

    # when
    response = owner.post(f"/projects/{project.slug}/blueprints/{resource.pk}/purge/")

    # then
    assert response.status_code == 302
    assert ProjectResource.objects.filter(pk=resource.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PURGE).exists()
    assert "I understand this cannot be undone" in owner.get(response["Location"]).content.decode()


def test_destructive_forms_ask_for_confirmation(team):
    project, people = team
    html = client_of(people["owner"]).get(f"/projects/{project.slug}/").content.decode()
    for action in ("/delete/", f"/team/{people['writer'].username}/remove/"):
        form = html.split(f'action="/projects/{project.slug}{action}"')[1].split(">")[0]
        assert 'data-confirm="' in form, action
    assert 'id="confirm-dialog-template"' in html
    assert "web/confirm.js" in html
