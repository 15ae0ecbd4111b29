"""The Blueprints tab through Django's test client: list, document, diff, restore, permissions,
trash, and the refusals (outsiders 404, read-only members 403, bad input 400)."""

import pytest
from django.test import Client

from konnaxion.files.incoming import IncomingFile
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import (
    AccessLevel,
    DocumentAccess,
    DocumentVersion,
    ProjectResource,
    ProjectTeam,
)
from konnaxion.keenkonnect.services import document_versioning
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.team import project_member_add
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import pdf_bytes, png_bytes
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:
    """Signed in as `user`, the session already seen once: a session's first request records
    it for the sessions page (at most once a minute), which the query counts below leave out."""
    client = Client()
    client.force_login(user)
    client.get("/livez")
    return client


def incoming(name: str, content: bytes) -> IncomingFile:
    upload = IncomingFile(name=name)
    upload.write(content)
    return upload


def document(project, actor, name="plan.pdf", content=None) -> ProjectResource:
    return storage.resource_create(
        project=project, upload=incoming(name, content or pdf_bytes("First")), actor=actor
    )


def as_seen_by(resource, user) -> ProjectResource:
    return selectors.resource_get_visible(
        user=user, project=resource.project, resource_id=resource.pk, include_trashed=True
    )


def second_version(resource, actor, content=None) -> DocumentVersion:
    return document_versioning.version_create(
        resource=as_seen_by(resource, actor),
        upload=incoming("plan.pdf", content or pdf_bytes("Second")),
        actor=actor,
        comment="",
    )


@pytest.fixture
def team():
    owner, writer, reader, outsider = (
        UserFactory(username=name) for name in ("olga", "walt", "rita", "otto")
    )
    project = project_for(creator=owner, visibility="members")
    project_member_add(project=project, user=writer, role=ProjectTeam.Role.COLLABORATOR)
    project_member_add(project=project, user=reader, role=ProjectTeam.Role.MENTOR)
    return project, {"owner": owner, "writer": writer, "reader": reader, "outsider": outsider}


def tab_url(project) -> str:
    return f"/projects/{project.slug}/?tab=blueprints"


def test_the_tab_lists_documents_with_type_size_version_uploader_and_my_level(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    second_version(resource, people["writer"])
    # when
    response = client_of(people["reader"]).get(tab_url(project))
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-current="page">Blueprints</a>' in html
    row = html.split(f'data-resource-id="{resource.pk}"')[1].split("</tr>")[0]
    assert "plan.pdf" in row and "PDF document" in row
    assert '<td data-label="Version">2</td>' in row and "<bdi>walt</bdi>" in row
    assert '<td data-label="My level">Read</td>' in row
    # a mentor (read level) gets no uploader
    assert "data-uploader" not in html


def test_the_uploader_is_there_for_writers_with_the_api_addresses(team):
    # given
    project, people = team
    # when
    html = client_of(people["writer"]).get(tab_url(project)).content.decode()
    # then
    assert f'data-upload-url="/api/projects/{project.slug}/resources/"' in html
    assert f'data-tus-url="/api/projects/{project.slug}/uploads/"' in html
    assert f'data-project-ws-url="/ws/projects/{project.slug}/"' in html


def test_outsiders_get_a_404_for_the_tab_the_list_and_the_document(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    client = client_of(people["outsider"])
    # when / then
    assert client.get(tab_url(project)).status_code == 404
    assert client.get(f"/projects/{project.slug}/blueprints/").status_code == 404
    assert client.get(f"/projects/{project.slug}/blueprints/{resource.pk}/").status_code == 404


def test_a_huge_document_id_is_a_404_not_a_crash(team):
    project, people = team
    response = client_of(people["owner"]).get(f"/projects/{project.slug}/blueprints/99999999999/")
    assert response.status_code == 404


@pytest.mark.parametrize("rows", [2, 50])
def test_the_list_query_count_does_not_grow_with_rows(team, rows, django_assert_max_num_queries):
    # given
    project, people = team
    ProjectResource.objects.bulk_create(
        ProjectResource(project=project, title=f"doc {n}", added_by=people["owner"])
        for n in range(rows)
    )
    for resource in ProjectResource.objects.filter(project=project)[:1]:
        second_version(resource, people["owner"])
    client = client_of(people["writer"])
    # when / then
    with django_assert_max_num_queries(6):
        response = client.get(f"/projects/{project.slug}/blueprints/")
    assert response.content.decode().count("data-resource-id=") == rows


def test_the_document_page_shows_history_restore_and_permissions_to_its_admin(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    second_version(resource, people["writer"])
    # when
    html = client_of(people["owner"]).get(f"/projects/{project.slug}/blueprints/{resource.pk}/")
    html = html.content.decode()
    # then
    assert "Restore version 1" in html and "Restore version 2" not in html
    assert "Download version 2" in html
    assert 'name="level-walt"' in html and 'name="level-rita"' in html
    assert 'name="level-olga"' not in html  # owners are always admins


def test_a_writer_sees_no_permissions_editor_and_cannot_post_one(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    client = client_of(people["writer"])
    # when
    page = client.get(f"/projects/{project.slug}/blueprints/{resource.pk}/").content.decode()
    response = client.post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/permissions/", {"level-rita": "none"}
    )
    # then
    assert "Save the permissions" not in page
    assert response.status_code == 403
    assert not DocumentAccess.objects.exists()


def test_restore_makes_an_old_version_current_as_a_new_version(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    first = resource.current_version
    second_version(resource, people["writer"])
    # when
    response = client_of(people["writer"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/restore/", {"version": "1"}
    )
    # then
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.current_version.number == 3
    assert resource.current_version.sha256 == first.sha256


def test_restore_from_the_page_script_answers_the_history_with_its_message(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    second_version(resource, people["writer"])
    # when
    response = client_of(people["writer"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/restore/",
        {"version": "1"},
        headers={"HX-Request": "true"},
    )
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="document-notice" hx-swap-oob="innerHTML"' in html
    assert "Version 1 is current again, as version 3." in html
    assert 'data-version="3"' in html
    assert "<html" not in html


def test_a_refused_restore_from_the_page_script_says_why_and_changes_nothing(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    # when
    response = client_of(people["owner"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/restore/",
        {"version": "x"},
        headers={"HX-Request": "true"},
    )
    # then
    assert response.status_code == 200
    assert "Choose a version of this document to restore." in response.content.decode()
    assert resource.versions.count() == 1


@pytest.mark.parametrize("version", ["", "0", "x", "9" * 20])
def test_restore_with_a_bad_version_is_a_400_and_changes_nothing(team, version):
    # given
    project, people = team
    resource = document(project, people["owner"])
    # when
    response = client_of(people["owner"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/restore/", {"version": version}
    )
    # then
    assert response.status_code == 400
    assert resource.versions.count() == 1


def test_restore_of_a_missing_version_is_a_404(team):
    project, people = team
    resource = document(project, people["owner"])
    response = client_of(people["owner"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/restore/", {"version": "7"}
    )
    assert response.status_code == 404
    assert resource.versions.count() == 1


def test_a_mentor_cannot_restore(team):
    project, people = team
    resource = document(project, people["owner"])
    second_version(resource, people["owner"])
    response = client_of(people["reader"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/restore/", {"version": "1"}
    )
    assert response.status_code == 403
    assert resource.versions.count() == 2


def test_an_entry_of_none_hides_the_document_from_that_member(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    # when
    response = client_of(people["owner"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/permissions/",
        {"level-walt": "none", "level-rita": ""},
    )
    # then
    assert response.status_code == 302
    entry = DocumentAccess.objects.get()
    assert (entry.user, entry.level) == (people["writer"], AccessLevel.NONE)
    html = client_of(people["writer"]).get(tab_url(project)).content.decode()
    assert f'data-resource-id="{resource.pk}"' not in html
    assert f'data-resource-id="{resource.pk}"' in (
        client_of(people["reader"]).get(tab_url(project)).content.decode()
    )


def test_an_unknown_level_is_a_400_and_stores_nothing(team):
    project, people = team
    resource = document(project, people["owner"])
    response = client_of(people["owner"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/permissions/", {"level-walt": "god"}
    )
    assert response.status_code == 400
    assert not DocumentAccess.objects.exists()


def test_the_pdf_diff_page_shows_the_changed_words_side_by_side(team):
    # given
    project, people = team
    resource = document(project, people["owner"], content=multipage_pdf(["Hall", "Kitchen 12"]))
    second_version(resource, people["owner"], content=multipage_pdf(["Hall", "Kitchen 18"]))
    # when
    response = client_of(people["reader"]).get(
        f"/projects/{project.slug}/blueprints/{resource.pk}/diff/?old=1&new=2"
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Changes from version 1 to version 2" in html
    assert "<li>1 page changed: page 2</li>" in html
    assert "Page 2 changed" in html and "Page 1 " not in html
    assert "<del>12</del>" in html and "<ins>18</ins>" in html
    assert "@@" not in html and "old/page" not in html
    api = f"/api/projects/{project.slug}/resources/{resource.pk}"
    assert f'src="{api}/diff/highlight/?from=1&amp;to=2&amp;page=2" loading="lazy"' in html


def test_a_pdf_diff_with_one_page_removed_says_exactly_that(team):
    # given
    project, people = team
    pages = [f"Sheet {number}\nRoom {number}" for number in range(1, 37)]
    resource = document(project, people["owner"], content=multipage_pdf(pages))
    second_version(resource, people["owner"], content=multipage_pdf(pages[:2] + pages[3:]))
    url = f"/projects/{project.slug}/blueprints/{resource.pk}/diff/?old=1&new=2"
    reader = client_of(people["reader"])
    # when
    html = reader.get(url).content.decode()
    arabic = reader.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    # then
    assert "<li>صفحة واحدة محذوفة: الصفحة 3</li>" in arabic
    assert "<li>1 page removed: page 3</li>" in html
    assert html.count('<article class="page-diff') == 1
    assert "Page 3 removed" in html
    assert "Pages: 36 → 35; unchanged pages: 35." in html


def test_the_image_diff_page_shows_both_versions_and_the_highlight(team):
    # given
    project, people = team
    resource = document(project, people["owner"], name="plan.png", content=png_bytes((32, 24)))
    document_versioning.version_create(
        resource=as_seen_by(resource, people["owner"]),
        upload=incoming("plan.png", png_bytes((40, 24))),
        actor=people["owner"],
        comment="",
    )
    # when
    html = (
        client_of(people["owner"])
        .get(f"/projects/{project.slug}/blueprints/{resource.pk}/diff/?old=1&new=2")
        .content.decode()
    )
    # then
    api = f"/api/projects/{project.slug}/resources/{resource.pk}"
    assert f'src="{api}/download/?version=1"' in html
    assert f'src="{api}/diff/highlight/?from=1&amp;to=2"' in html


@pytest.mark.parametrize("query", ["old=1&new=1", "old=1&new=9", "old=x&new=2", ""])
def test_a_bad_version_pair_is_a_400(team, query):
    project, people = team
    resource = document(project, people["owner"])
    second_version(resource, people["owner"])
    response = client_of(people["owner"]).get(
        f"/projects/{project.slug}/blueprints/{resource.pk}/diff/?{query}"
    )
    assert response.status_code == 400


def test_trash_restore_and_purge(team):
    # given
    project, people = team
    resource = document(project, people["owner"])
    owner = client_of(people["owner"])
    base = f"/projects/{project.slug}/blueprints/{resource.pk}"
    # when trashed
    assert owner.post(f"{base}/trash/").status_code == 302
    # then it leaves the list for the trash
    html = owner.get(tab_url(project)).content.decode()
    assert f'data-resource-id="{resource.pk}"' not in html
    assert "Restore “plan.pdf”" in html
    # when restored, it is back
    assert owner.post(f"{base}/untrash/").status_code == 302
    assert f'data-resource-id="{resource.pk}"' in owner.get(tab_url(project)).content.decode()
    # when trashed and purged, it is gone
    owner.post(f"{base}/trash/")
    assert owner.post(f"{base}/purge/", {"confirm": "yes"}).status_code == 302
    assert not ProjectResource.objects.filter(pk=resource.pk).exists()


def test_a_writer_cannot_purge(team):
    project, people = team
    resource = document(project, people["owner"])
    storage.resource_trash(resource=as_seen_by(resource, people["owner"]), actor=people["owner"])
    response = client_of(people["writer"]).post(
        f"/projects/{project.slug}/blueprints/{resource.pk}/purge/"
    )
    assert response.status_code == 403
    assert ProjectResource.objects.filter(pk=resource.pk).exists()


def test_changes_need_a_signed_in_visitor(team):
    project, people = team
    resource = document(project, people["owner"])
    response = Client().post(f"/projects/{project.slug}/blueprints/{resource.pk}/trash/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ProjectResource.objects.get(pk=resource.pk).trashed_at is None


# Anonymous visitors -----------------------------------------------------------------------


def _pages(project, resource) -> list[str]:
    base = f"/projects/{project.slug}"
    return [
        f"{base}/?tab=blueprints",
        f"{base}/blueprints/",
        f"{base}/blueprints/{resource.pk}/",
        f"{base}/blueprints/{resource.pk}/diff/?old=1&new=2",
        f"{base}/search/?q=plan",
        f"{base}/search/",
    ]


@pytest.mark.parametrize("visibility", ["public", "members"])
def test_anonymous_visitors_read_a_public_projects_blueprints_and_never_a_members_only_one(
    visibility,
):
    # given a document in two versions
    owner = UserFactory()
    project = project_for(creator=owner, visibility=visibility)
    resource = document(project, owner)
    second_version(resource, owner)
    # when
    statuses = [Client().get(url).status_code for url in _pages(project, resource)]
    # then
    expected = 200 if visibility == "public" else 404
    assert statuses == [expected] * len(statuses)


def test_an_anonymous_visitor_sees_a_public_document_read_only():
    # given
    owner = UserFactory(username="olga")
    project = project_for(creator=owner, visibility="public")
    resource = document(project, owner)
    # when
    tab = Client().get(tab_url(project)).content.decode()
    page = Client().get(f"/projects/{project.slug}/blueprints/{resource.pk}/").content.decode()
    # then: listed with the read level, and no tool to change anything
    row = tab.split(f'data-resource-id="{resource.pk}"')[1].split("</tr>")[0]
    assert '<td data-label="My level">Read</td>' in row
    assert "data-uploader" not in tab and "data-uploader" not in page
    assert "/permissions/" not in page and "/restore/" not in page
