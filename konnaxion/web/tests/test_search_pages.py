"""The search pages through Django's test client: /search/ (every kind the visitor may read)
and /projects/<slug>/search/ (one project's documents), with the same permission filter as the
API: an outsider, or a member whose entry is none, never sees the document."""

import pytest
from django.test import Client

from konnaxion.keenkonnect.models import AccessLevel, DocumentAccess, ProjectTeam
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_add, project_member_remove
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file, png_bytes
from konnaxion.kreative.tests.factories import opportunity_for, profile_for
from konnaxion.users.tests.factories import UserFactory
from konnaxion.web.templatetags.search import highlighted
from konnaxion.web.tests.test_blueprints_pages import client_of

pytestmark = pytest.mark.django_db


def indexed(project, owner, pages: list[str], *, name="plan.pdf", title="", content=None):
    resource = resource_create(
        project=project,
        upload=incoming_file(content or multipage_pdf(pages), name=name),
        actor=owner,
        title=title,
    )
    resource_index(resource_id=resource.pk, version_number=1)
    return resource


@pytest.fixture
def workshop():
    owner, member, outsider = (UserFactory(username=n) for n in ("olga", "walt", "otto"))
    project = project_for(creator=owner, visibility="members", title="Boat shed")
    project_member_add(project=project, user=member, role=ProjectTeam.Role.MENTOR)
    return project, {"owner": owner, "member": member, "outsider": outsider}


def result_titles(html: str) -> list[str]:
    return [part.split("</bdi>")[0] for part in html.split('<h3><a href="')[1:]]


def test_the_global_search_finds_documents_profiles_and_opportunities(workshop):
    # given
    project, people = workshop
    plan = indexed(project, people["owner"], ["The keel is laminated larch."], title="Keel")
    profile_for(UserFactory(username="lena"), display_name="Lena", headline="Larch boatbuilder")
    opportunity_for(title="Larch workshop residency", description="Work with larch.")
    # when
    response = client_of(people["member"]).get("/search/", {"q": "larch"})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Results: 3" in html
    assert f'href="/projects/{project.slug}/blueprints/{plan.pk}/?q=larch#page=1"' in html
    assert 'href="/profile/lena/"' in html
    assert "Larch workshop residency" in html
    assert "<mark>larch</mark>" in html
    for label in ("Blueprints", "Profiles", "Opportunities"):
        assert f'<span class="badge">{label}</span>' in html


def test_the_kind_filter_keeps_only_the_chosen_kinds(workshop):
    # given
    project, people = workshop
    indexed(project, people["owner"], ["Larch planking."], title="Planking")
    profile_for(UserFactory(username="lena"), display_name="Lena", headline="Larch boatbuilder")
    # when
    html = client_of(people["member"]).get("/search/", {"q": "larch", "kind": "profile"})
    # then
    assert result_titles(html.content.decode()) == ['/profile/lena/"><bdi>Lena']


def test_an_outsider_or_a_member_whose_entry_is_none_never_sees_the_document(workshop):
    # given a document only the team may read, hidden from the member by an entry
    project, people = workshop
    secret = indexed(project, people["owner"], ["Mahogany transom details."], title="Transom")
    DocumentAccess.objects.create(resource=secret, user=people["member"], level=AccessLevel.NONE)
    # when / then: nobody but the owner finds it, anywhere
    for name in ("outsider", "member"):
        client = client_of(people[name])
        html = client.get("/search/", {"q": "mahogany"}).content.decode()
        assert "Results: 0" in html and "Transom" not in html and "<mark>" not in html
    assert (
        client_of(people["outsider"])
        .get(f"/projects/{project.slug}/search/", {"q": "mahogany"})
        .status_code
        == 404
    )
    member_html = (
        client_of(people["member"])
        .get(f"/projects/{project.slug}/search/", {"q": "mahogany"})
        .content.decode()
    )
    assert "Results: 0" in member_html and "Transom" not in member_html
    owner_html = client_of(people["owner"]).get("/search/", {"q": "mahogany"}).content.decode()
    assert "Results: 1" in owner_html and "Transom" in owner_html


def test_snippets_are_escaped_except_the_highlight_marks(workshop):
    # given a title and a text that look like markup
    project, people = workshop
    indexed(
        project,
        people["owner"],
        ['Oak & teak "decking", 3 < 4 <script>alert("x")</script> done.'],
        title="<img src=x onerror=alert(1)> Decking",
    )
    # when
    html = client_of(people["owner"]).get("/search/", {"q": "teak"}).content.decode()
    # then only the marks are markup
    main = html.split('<main id="main"')[1].split("</main>")[0]
    snippet = main.split('<p class="snippet" dir="auto">')[1].split("</p>")[0]
    assert "<mark>teak</mark>" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    assert "3 &lt; 4" in snippet and "&quot;decking&quot;" in snippet
    assert "<script" not in main and "<img src=x" not in main
    assert "&lt;img src=x onerror=alert(1)&gt; Decking" in main


@pytest.mark.parametrize(
    ("snippet", "shown"),
    [
        ("a <mark>b</mark> c", "a <mark>b</mark> c"),
        ("&lt;i&gt; <mark>x</mark>", "&lt;i&gt; <mark>x</mark>"),
        ("<script>x</script><mark>y", "&lt;script&gt;x&lt;/script&gt;<mark>y</mark>"),
        ("</mark><mark><mark>z</mark>", "&lt;/mark&gt;<mark>&lt;mark&gt;z</mark>"),
        ("", ""),
    ],
)
def test_the_highlighted_filter_lets_only_balanced_marks_through(snippet, shown):
    assert highlighted(snippet) == shown


def test_the_project_search_keeps_to_its_project_and_applies_the_filters(workshop):
    # given the same word in two projects and in two file types
    project, people = workshop
    owner = people["owner"]
    other = project_for(creator=owner, visibility="members", title="Other")
    pdf = indexed(project, owner, ["Cedar strip canoe."], title="Canoe plan")
    indexed(other, owner, ["Cedar roof shingles."], title="Roof")
    image = resource_create(
        project=project,
        upload=incoming_file(png_bytes(), name="cedar.png"),
        actor=owner,
        title="Cedar photo",
    )
    resource_index(resource_id=image.pk, version_number=1)
    url = f"/projects/{project.slug}/search/"
    client = client_of(owner)
    # when / then
    found = result_titles(client.get(url, {"q": "cedar"}).content.decode())
    assert sorted(found) == sorted(
        [
            f'/projects/{project.slug}/blueprints/{image.pk}/"><bdi>Cedar photo',
            f'/projects/{project.slug}/blueprints/{pdf.pk}/?q=cedar#page=1"><bdi>Canoe plan',
        ]
    )
    only_pdf = result_titles(client.get(url, {"q": "cedar", "type": "pdf"}).content.decode())
    assert len(only_pdf) == 1 and "Canoe plan" in only_pdf[0]
    by_someone_else = client.get(url, {"q": "cedar", "uploader": "walt"}).content.decode()
    assert "Results: 0" in by_someone_else
    future = client.get(url, {"q": "cedar", "date_from": "2999-01-01"}).content.decode()
    assert "Results: 0" in future


@pytest.mark.parametrize(
    "query",
    [{"q": ""}, {"q": "x", "date_from": "2024-02-01", "date_to": "2024-01-01"}, {"q": "a\x00b"}],
)
def test_bad_input_is_a_400_page_with_the_form_errors(workshop, query):
    project, people = workshop
    client = client_of(people["owner"])
    for url in ("/search/", f"/projects/{project.slug}/search/"):
        response = client.get(url, query)
        assert response.status_code == 400
        assert 'class="form-errors" role="alert"' in response.content.decode()


def test_without_words_the_page_shows_the_form_only(workshop):
    _project, people = workshop
    response = client_of(people["owner"]).get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and "Results:" not in html


def test_results_come_twenty_a_page(workshop):
    # given 23 matching documents
    project, people = workshop
    for number in range(23):
        indexed(project, people["owner"], [f"Spruce spar number {number}."], name=f"s{number}.pdf")
    client = client_of(people["owner"])
    # when
    first = client.get("/search/", {"q": "spruce"}).content.decode()
    second = client.get("/search/", {"q": "spruce", "page": 2}).content.decode()
    # then
    assert "Results: 23" in first and len(result_titles(first)) == 20
    assert len(result_titles(second)) == 3 and "Page 2 of 2" in second
    assert 'href="?q=spruce&amp;page=2"' in first


def test_anonymous_visitors_search_public_projects_only():
    # given the same word in a public and a members-only project
    owner = UserFactory(username="olga")
    public = project_for(creator=owner, visibility="public", title="Open shed")
    private = project_for(creator=owner, visibility="members", title="Closed shed")
    indexed(public, owner, ["Cedar shingles for the roof."], title="Roof")
    indexed(private, owner, ["Cedar cladding budget."], title="Budget")
    client = Client()
    # when
    everything = client.get("/search/", {"q": "cedar"})
    in_public = client.get(f"/projects/{public.slug}/search/", {"q": "cedar"})
    in_private = client.get(f"/projects/{private.slug}/search/", {"q": "cedar"})
    # then
    assert (everything.status_code, in_public.status_code, in_private.status_code) == (
        200,
        200,
        404,
    )
    for response in (everything, in_public):
        html = response.content.decode()
        assert "Results: 1" in html and "Roof" in html and "Budget" not in html


def test_a_member_removed_from_a_members_only_project_no_longer_finds_its_documents(workshop):
    # given a member with a read entry on a document, then removed from the team
    project, people = workshop
    secret = indexed(project, people["owner"], ["Walnut tiller drawings."], title="Tiller")
    DocumentAccess.objects.create(resource=secret, user=people["member"], level=AccessLevel.READ)
    project_member_remove(project=project, user=people["member"], actor=people["owner"])
    # an entry that survived the removal (written around the services) applies to nobody
    DocumentAccess.objects.create(resource=secret, user=people["member"], level=AccessLevel.READ)
    client = client_of(people["member"])
    # when
    html = client.get("/search/", {"q": "walnut"}).content.decode()
    project_page = client.get(f"/projects/{project.slug}/search/", {"q": "walnut"})
    # then
    assert "Results: 0" in html and "Tiller" not in html and "<mark>" not in html
    assert project_page.status_code == 404


def test_projects_are_a_kind_of_result_and_results_name_projects_by_title(workshop):
    # given a document about larch in the members-only "Boat shed", and a public larch project
    project, people = workshop
    indexed(project, people["owner"], ["The keel is laminated larch."], title="Keel")
    public = project_for(creator=people["owner"], title="Larch pergola", visibility="public")
    # when
    as_member = client_of(people["member"]).get("/search/", {"q": "larch"}).content.decode()
    as_outsider = client_of(people["outsider"]).get("/search/", {"q": "larch"}).content.decode()
    as_visitor = Client().get("/search/", {"q": "larch", "kind": "project"}).content.decode()
    # then the document says which project it is in by its title, never its slug
    assert "in <bdi>Boat shed</bdi>" in as_member
    assert f"in <bdi>{project.slug}</bdi>" not in as_member
    assert f'href="/projects/{public.slug}/"' in as_member
    assert '<span class="badge">Projects</span>' in as_member
    # and outsiders find the public project only
    for html in (as_outsider, as_visitor):
        assert "Results: 1" in html and f'href="/projects/{public.slug}/"' in html
        assert "Boat shed" not in html and "Keel" not in html
