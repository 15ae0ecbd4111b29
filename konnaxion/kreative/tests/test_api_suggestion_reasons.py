"""Suggestion reasons through /api/connect/suggestions/: worded in the request's language, and
as data in reasons_detail."""

import pytest
from django.conf import settings

from konnaxion.kreative.models import PrecomputedSuggestions
from konnaxion.kreative.services.professional_profile import follow_create
from konnaxion.kreative.tests.test_api_suggestions import URL, client_for, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer():
    """The viewer follows amy and bob, who both follow carol; ada shares three skills."""
    viewer = person("viewer", skills=["etching", "cyanotype", "risograph", "weaving"])
    person("ada", skills=["etching", "cyanotype", "risograph", "weaving"])
    carol = person("carol", skills=["pottery"])
    for name in ("amy", "bob"):
        friend = person(name, skills=["knitting"])
        follow_create(follower=viewer, followee=friend)
        follow_create(follower=friend, followee=carol)
    return viewer


def reasons_of(response, username: str) -> dict:
    assert response.status_code == 200, response.content
    (item,) = [item for item in response.json()["results"] if item["username"] == username]
    return item


def test_reasons_come_as_text_and_as_data(viewer):
    # when
    ada = reasons_of(client_for(viewer).get(URL), "ada")
    # then
    assert ada["reasons"][0] == "shares 4 skills: cyanotype, etching, risograph and 1 more"
    assert ada["reasons_detail"][0] == {
        "code": "shared_skills",
        "count": 4,
        "names": ["cyanotype", "etching", "risograph"],
        "more": 1,
    }
    assert len(ada["reasons"]) == len(ada["reasons_detail"])


def test_french_is_worded_from_accept_language(viewer):
    # when
    response = client_for(viewer).get(URL, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    # then
    assert response["Content-Language"] == "fr"
    ada = reasons_of(response, "ada")
    assert ada["reasons"][0] == "partage 4 compétences : cyanotype, etching, risograph et 1 autre"
    carol = reasons_of(response, "carol")
    assert "suivi par 2 personnes que vous suivez" in carol["reasons"]
    assert {"code": "followed_by_people_you_follow", "count": 2} in carol["reasons_detail"]


def test_arabic_uses_its_plural_forms(viewer):
    # when
    response = client_for(viewer).get(URL, HTTP_ACCEPT_LANGUAGE="ar")
    # then: two people is the dual, without a digit; four skills are "few" (3-10)
    carol = reasons_of(response, "carol")
    assert "يتابعه شخصان ممن تتابعهم" in carol["reasons"]
    ada = reasons_of(response, "ada")
    assert ada["reasons"][0] == "4 مهارات مشتركة: cyanotype، etching، risograph وعنصر آخر"


def test_the_language_cookie_chosen_on_the_site_also_words_the_api(viewer):
    # given
    client = client_for(viewer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    # when
    ada = reasons_of(client.get(URL), "ada")
    # then
    assert ada["reasons"][0] == "comparte 4 habilidades: cyanotype, etching, risograph y 1 más"


def test_one_stored_list_serves_every_language(viewer):
    # given
    client = client_for(viewer)
    english = reasons_of(client.get(URL), "ada")
    # when
    french = reasons_of(client.get(URL, HTTP_ACCEPT_LANGUAGE="fr"), "ada")
    # then
    assert PrecomputedSuggestions.objects.filter(viewer=viewer).count() == 1
    assert french["reasons_detail"] == english["reasons_detail"]
    assert french["reasons"] != english["reasons"]


def test_a_list_stored_with_worded_reasons_is_computed_again(viewer):
    # given: a list stored by an earlier version, reasons as English sentences
    client = client_for(viewer)
    client.get(URL)
    row = PrecomputedSuggestions.objects.get(viewer=viewer)
    for entry in row.suggestions:
        entry["reasons"] = ["shares 1 skill: etching"]
    row.save()
    # when
    ada = reasons_of(client.get(URL, HTTP_ACCEPT_LANGUAGE="fr"), "ada")
    # then: served in French from a list stored again as data
    assert ada["reasons"][0].startswith("partage 4 compétences")
    stored = PrecomputedSuggestions.objects.get(viewer=viewer).suggestions
    assert all(isinstance(reason, dict) for entry in stored for reason in entry["reasons"])


def test_the_schema_documents_both_forms(user_client):
    # when
    schema = user_client.get("/api/schema/?format=json").json()
    # then
    person_fields = schema["components"]["schemas"]["SuggestedPerson"]["properties"]
    assert person_fields["reasons"]["items"]["type"] == "string"
    assert person_fields["reasons_detail"]["items"]["$ref"].endswith("/SuggestionReason")
    reason = schema["components"]["schemas"]["SuggestionReason"]
    assert reason["required"] == ["code"]
    assert set(reason["properties"]) == {"code", "count", "names", "more", "domain"}
