"""Accents do not matter to the search: "resume" finds "résumé" and "Résumé", and "résumé"
finds "resume", in every language and every kind of result (docs/search.md)."""

from __future__ import annotations

import pytest
from django.db import connection

from konnaxion.core.search import TEXT_SEARCH_CONFIGURATIONS, SearchFilters
from konnaxion.keenkonnect.search import documents_matching
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_comments import comment_create
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.kreative.tests.factories import opportunity_for, profile_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A text in each language, its stop words enough for the language to be detected.
TEXTS = {
    "en": "The {word} of the project is in the folder and it is for the team with the plans.",
    "fr": "Le {word} du projet est dans le dossier et il est pour la équipe avec les plans.",
    "es": "El {word} del proyecto está en la carpeta y es para el equipo con los planos.",
}


def _document(project, owner, text: str, name: str = "doc.pdf"):
    resource = resource_create(
        project=project, upload=incoming_file(multipage_pdf([text]), name=name), actor=owner
    )
    resource_index(resource_id=resource.pk, version_number=1)
    resource.refresh_from_db()
    return resource


def _found(user, query: str, **params) -> list[dict]:
    response = client_for(user).get("/api/search/", {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_documents_are_found_with_or_without_accents_in_each_language(language):
    # given
    project, users = team_project()
    owner = users["owner"]
    accented = _document(project, owner, TEXTS[language].format(word="Résumé"), "a.pdf")
    plain = _document(project, owner, TEXTS[language].format(word="resume"), "b.pdf")
    assert accented.language == plain.language == language
    # when
    by_plain = _found(owner, "resume", kind="document")
    by_accented = _found(owner, "résumé", kind="document")
    # then
    assert {int(r["id"]) for r in by_plain} == {accented.pk, plain.pk}
    assert {int(r["id"]) for r in by_accented} == {accented.pk, plain.pk}
    snippets = {int(r["id"]): r["snippet"] for r in by_plain}
    # The snippet highlights the word as the document writes it.
    assert "<mark>Résumé</mark>" in snippets[accented.pk]
    assert "<mark>resume</mark>" in snippets[plain.pk]


def test_the_search_pages_find_and_highlight_the_accented_word():
    # given
    project, users = team_project()
    owner = users["owner"]
    _document(project, owner, TEXTS["fr"].format(word="Résumé"))
    client = client_for(owner)
    client.force_login(owner)
    # when
    everything = client.get("/search/", {"q": "resume"})
    in_project = client.get(f"/projects/{project.slug}/search/", {"q": "resume"})
    # then
    for page in (everything, in_project):
        assert page.status_code == 200
        assert "<mark>Résumé</mark>" in page.content.decode()


def test_file_names_and_titles_without_stemming_ignore_accents_too():
    # given
    project, users = team_project()
    owner = users["owner"]
    resource = _document(project, owner, "Nothing else.", name="café-plans.pdf")
    # when / then
    assert [int(r["id"]) for r in _found(owner, "cafe", kind="document")] == [resource.pk]


def test_profiles_opportunities_projects_and_comments_ignore_accents():
    # given
    member = UserFactory()
    profile_for(user=member, headline="Résumé writer for makers")
    opportunity = opportunity_for(title="Résumé clinic", description="Bring your CV.")
    project, users = team_project(title="Archive", description="The Résumé of every plan.")
    resource = _document(project, users["owner"], "Plans of the bench.")
    readable = resource_get_visible(user=users["owner"], project=project, resource_id=resource.pk)
    comment = comment_create(resource=readable, actor=users["owner"], body="Le résumé est clair")
    searcher = users["owner"]
    # when
    kinds = {
        kind: _found(searcher, "resume", kind=kind)
        for kind in ("profile", "opportunity", "project", "comment")
    }
    comment_back = _found(searcher, "résumé", kind="comment")
    # then
    assert [r["id"] for r in kinds["profile"]] == [member.username]
    assert [r["id"] for r in kinds["opportunity"]] == [str(opportunity.pk)]
    assert [r["id"] for r in kinds["project"]] == [project.slug]
    assert "<mark>Résumé</mark>" in kinds["project"][0]["snippet"]
    assert [r["id"] for r in kinds["comment"]] == [str(comment.comment.pk)]
    assert "<mark>résumé</mark>" in kinds["comment"][0]["snippet"]
    assert [r["id"] for r in comment_back] == [str(comment.comment.pk)]


@pytest.mark.parametrize(
    ("configuration", "words"),
    [
        ("konnaxion_french", ("résumé", "resume", "RÉSUMÉ")),
        ("konnaxion_spanish", ("canción", "cancion", "Canción")),
        ("konnaxion_english", ("naïve", "naive", "Naïve")),
        ("konnaxion_simple", ("élève", "eleve", "Élève")),
    ],
)
def test_each_configuration_stems_the_word_with_and_without_accents_alike(configuration, words):
    # when
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector(%s::regconfig, word)::text FROM unnest(%s::text[]) AS word",
            [configuration, list(words)],
        )
        vectors = {row[0] for row in cursor.fetchall()}
    # then
    assert len(vectors) == 1 and "é" not in vectors.pop()
    assert configuration in TEXT_SEARCH_CONFIGURATIONS.values()


def test_the_language_indexes_still_answer_the_document_search():
    # given: three documents that match, among 3000 in three languages that do not
    project, users = team_project()
    for language, text in TEXTS.items():
        _document(project, users["owner"], text.format(word="Résumé"), f"{language}.pdf")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT string_agg(quote_ident(column_name), ', ') FROM information_schema.columns"
            " WHERE table_name = 'keenkonnect_projectresource'"
            " AND column_name NOT IN ('id', 'language', 'search_vector')"
        )
        [columns] = cursor.fetchone()
        table = "keenkonnect_projectresource"
        copies = (
            f"INSERT INTO {table} ({columns}, language, search_vector) SELECT"  # noqa: S608
            f" {columns}, (ARRAY['en', 'fr', 'es'])[1 + n % 3],"
            " to_tsvector('konnaxion_english', 'filler number ' || n)"
            f" FROM {table}, generate_series(1, 1000) AS n"
        )
        cursor.execute(copies)
        cursor.execute("ANALYZE keenkonnect_projectresource")
    queryset = documents_matching(query="resume", user=users["owner"], filters=SearchFilters())
    sql, params = queryset.query.sql_with_params()
    # when
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    # then
    for index in ("kk_resource_search_en", "kk_resource_search_fr", "kk_resource_search_es"):
        assert f"Bitmap Index Scan on {index}" in plan, plan
