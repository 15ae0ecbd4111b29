"""The search's "did you mean": a misspelt word corrected from the vocabulary of documents'
words, offered only when the corrected query finds something the caller may see."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from konnaxion.keenkonnect.models import Project, SearchWord
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.services.secure_document_storage import resource_create
from konnaxion.keenkonnect.services.team import project_member_remove
from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.keenkonnect.tests.stockage import client_for, team_project
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _document(project, owner, text: str, title: str = ""):
    resource = resource_create(
        project=project, upload=incoming_file(multipage_pdf([text])), actor=owner, title=title
    )
    resource_index(resource_id=resource.pk, version_number=1)
    return resource


def _search(user, query: str, **params) -> dict:
    response = client_for(user).get("/api/search/", {"q": query, **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_misspelt_word_gets_the_corrected_query_and_a_correct_one_none():
    # given
    project, users = team_project()
    _document(project, users["owner"], "Notes on the kernel and its compression of files.")
    # when
    misspelt = _search(users["owner"], "compresion")
    correct = _search(users["owner"], "compression")
    unknown = _search(users["owner"], "xylophone")
    # then
    assert (misspelt["count"], misspelt["suggestion"]) == (0, "compression")
    assert correct["count"] == 1 and correct["suggestion"] is None
    assert (unknown["count"], unknown["suggestion"]) == (0, None)


def test_operators_phrases_and_exclusions_are_kept():
    # given
    project, users = team_project()
    _document(project, users["owner"], "The kernel boots the machine in seconds.")
    _document(project, users["owner"], "A linux kernel of old, with its scheduler.")
    owner = users["owner"]
    # then
    assert _search(owner, "kernl -linux")["suggestion"] == "kernel -linux"
    assert _search(owner, '"kernl boots"')["suggestion"] == '"kernel boots"'
    assert _search(owner, "Kernl or zzqq")["suggestion"] == "kernel or zzqq"


def test_accents_are_ignored_by_the_vocabulary():
    # given
    project, users = team_project()
    _document(project, users["owner"], "Le résumé du projet est dans le dossier de plans.")
    # when
    answer = _search(users["owner"], "résumé dossierr")
    # then: "résumé" is known as "resume", and kept as typed
    assert answer["suggestion"] == "résumé dossier"


def test_a_word_of_a_private_document_is_never_suggested_to_who_may_not_read_it():
    # given
    project, users = team_project(visibility=Project.Visibility.MEMBERS)
    _document(project, users["owner"], "The quarterly budget for the lighthouse restoration.")
    outsider, member = UserFactory(), users["collaborator"]
    # when
    for_outsider = _search(outsider, "lighthuose")
    for_member = _search(member, "lighthuose")
    # then: the word is in the vocabulary, and only the member is offered it
    assert SearchWord.objects.filter(word="lighthouse").exists()
    assert (for_outsider["count"], for_outsider["suggestion"]) == (0, None)
    assert for_member["suggestion"] == "lighthouse"
    # when: the member leaves the team
    project_member_remove(project=project, user=member, actor=users["owner"])
    # then
    assert _search(member, "lighthuose")["suggestion"] is None


def test_the_filters_of_the_search_bound_the_suggestion():
    # given
    project, users = team_project()
    other, _other_users = team_project()
    _document(project, users["owner"], "The greenhouse heating plan.")
    # when
    here = _search(users["owner"], "greenhuose", project=project.slug)
    elsewhere = _search(users["owner"], "greenhuose", project=other.slug)
    # then
    assert here["suggestion"] == "greenhouse"
    assert elsewhere["suggestion"] is None


def test_both_search_pages_offer_the_corrected_query_as_a_link():
    # given
    project, users = team_project()
    _document(project, users["owner"], "Notes on the compression of timber joints.")
    client = client_for(users["owner"])
    client.force_login(users["owner"])
    # when
    everything = client.get("/search/", {"q": "compresion", "kind": "document"})
    in_project = client.get(f"/projects/{project.slug}/search/", {"q": "compresion"})
    # then
    assert 'Did you mean <a href="?q=compression&amp;kind=document">' in everything.content.decode()
    assert 'Did you mean <a href="?q=compression">' in in_project.content.decode()
    assert "<bdi>compression</bdi></a>?" in in_project.content.decode()


def test_the_rebuild_counts_each_word_once_per_document():
    # given
    project, users = team_project()
    _document(project, users["owner"], "Rafters and rafters.", title="Rafters")
    _document(project, users["owner"], "Rafters of the barn, café", title="Barn")
    SearchWord.objects.filter(word="rafters").update(documents=9)
    SearchWord.objects.create(word="forgotten", documents=1)
    # when
    call_command("search_vocabulary_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    # then
    words = dict(SearchWord.objects.values_list("word", "documents"))
    assert (words["rafters"], words["barn"], words["cafe"]) == (2, 1, 1)
    assert "forgotten" not in words and "of" not in words
