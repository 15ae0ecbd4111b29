"""The saved searches pages: "Save this search" on the /connect tabs, the list, run, rename,
alert, delete after confirmation; someone else's search is a 404; no script needed."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from konnaxion.kreative.models import SavedSearch
from konnaxion.kreative.services.saved_searches import saved_search_create
from konnaxion.kreative.tests.factories import opportunity_for, profile_for
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST = "/connect/saved-searches/"
NEW = "/connect/saved-searches/new/"


def client_of(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _hidden(page: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', page
    )
    assert match, name
    return match.group(1).replace("&amp;", "&")


def test_the_tabs_offer_save_this_search_within_their_filter_forms():
    user = UserFactory()
    for tab in ("people", "opportunities"):
        page = client_of(user).get(f"/connect/?tab={tab}").content.decode()
        assert f'formaction="{NEW}"' in page
        assert f'href="{LIST}"' in page
    assert (
        'formaction="/connect/saved-searches/new/"'
        not in Client().get("/connect/").content.decode()
    )


def test_saving_the_opportunities_tab_keeps_its_filters():
    # given: the filters of the Opportunities tab, as its form sends them
    user = UserFactory()
    client = client_of(user)
    query = "tab=opportunities&q=print&type=call&tags=etching,+paper&deadline_before=2031-05-01"
    # when: the name prompt, then the form it shows
    page = client.get(f"{NEW}?{query}").content.decode()
    assert "Save this search" in page
    assert "Call" in page and "etching,paper" in page
    body = {
        "name": "Paper calls",
        "alert": "daily",
        "kind": _hidden(page, "kind"),
        "filters": _hidden(page, "filters"),
    }
    response = client.post(NEW, body)
    # then
    assert response.status_code == 302
    assert response["Location"] == LIST
    search = SavedSearch.objects.get(owner=user)
    assert search.kind == "opportunities"
    assert search.alert == "daily"
    assert search.filters == {
        "deadline_before": "2031-05-01T23:59:59",
        "q": "print",
        "tags": "etching,paper",
        "type": "call",
    }


def test_saving_the_people_tab_keeps_its_filters():
    user = UserFactory()
    client = client_of(user)
    page = client.get(f"{NEW}?tab=people&skills=etching&role=creator&open=on").content.decode()
    body = {"name": "Etchers", "alert": "off", "kind": "people"}
    body["filters"] = _hidden(page, "filters")
    assert client.post(NEW, body).status_code == 302
    search = SavedSearch.objects.get(owner=user)
    assert search.filters == {"open": "1", "role": "creator", "skills": "etching"}


def test_tampered_filters_are_refused_and_nothing_is_saved():
    user = UserFactory()
    body = {"name": "Boats", "alert": "off", "kind": "opportunities", "filters": "type=boat"}
    response = client_of(user).post(NEW, body)
    assert response.status_code == 400
    assert "These filters cannot be saved" in response.content.decode()
    assert not SavedSearch.objects.filter(owner=user).exists()


def test_the_list_runs_renames_changes_the_alert_and_deletes_after_confirmation():
    # given
    user = UserFactory()
    search = saved_search_create(
        owner=user, kind="opportunities", name="Print", filters={"tags": "print"}
    )
    match = opportunity_for(tags=["print"], title="Print residency")
    opportunity_for(tags=["clay"], title="Clay residency")
    client = client_of(user)
    detail = f"{LIST}{search.pk}/"
    # when / then: the list
    page = client.get(LIST).content.decode()
    assert "Print" in page and f'href="{detail}"' in page and "never run" in page
    # run
    page = client.get(detail).content.decode()
    assert "Print residency" in page and "Clay residency" not in page
    assert f"/connect/opportunities/{match.pk}/" in page
    search.refresh_from_db()
    assert search.last_run_at is not None
    # rename and change the alert
    response = client.post(f"{detail}edit/", {"name": "Prints", "alert": "immediate"})
    assert response.status_code == 302
    search.refresh_from_db()
    assert (search.name, search.alert) == ("Prints", "immediate")
    # an empty name is refused on the form
    response = client.post(f"{detail}edit/", {"name": "", "alert": "off"})
    assert response.status_code == 400
    assert SavedSearch.objects.get(pk=search.pk).name == "Prints"
    # delete: a confirmation page, then the deletion
    page = client.get(f"{detail}delete/").content.decode()
    assert "Delete the saved search “Prints”?" in page
    assert SavedSearch.objects.filter(pk=search.pk).exists()
    assert client.post(f"{detail}delete/").status_code == 302
    assert not SavedSearch.objects.filter(pk=search.pk).exists()


def test_running_a_people_search_shows_the_people():
    user = UserFactory()
    person = UserFactory(username="ada")
    profile_for(user=person, skills=["etching"])
    search = saved_search_create(
        owner=user, kind="people", name="Etchers", filters={"skills": "etching"}
    )
    page = client_of(user).get(f"{LIST}{search.pk}/").content.decode()
    assert "/profile/ada/" in page


def test_someone_elses_search_is_404_and_stays_untouched():
    owner, other = UserFactory(), UserFactory()
    search = saved_search_create(owner=owner, kind="people", name="Mine", filters={})
    client = client_of(other)
    detail = f"{LIST}{search.pk}/"
    assert client.get(detail).status_code == 404
    assert client.get(f"{detail}delete/").status_code == 404
    assert client.post(f"{detail}delete/").status_code == 404
    assert client.post(f"{detail}edit/", {"name": "Theirs", "alert": "off"}).status_code == 404
    assert "Mine" not in client.get(LIST).content.decode()
    search.refresh_from_db()
    assert search.name == "Mine" and search.last_run_at is None


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("fr", "Recherches enregistrées"),
        ("es", "Búsquedas guardadas"),
        ("ar", "عمليات البحث المحفوظة"),
    ],
)
def test_the_pages_speak_the_visitors_language(language, title):
    user = UserFactory()
    saved_search_create(owner=user, kind="people", name="Etchers", filters={"skills": "etching"})
    page = client_of(user, language).get(LIST).content.decode()
    assert title in page
    if language == "ar":
        assert 'dir="rtl"' in page
