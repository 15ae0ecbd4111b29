"""The application pages without a browser: every language renders, outsiders get 404."""

import pytest
from django.test import Client

from konnaxion.kreative.services.opportunity_applications import (
    application_create,
    application_submit,
)
from konnaxion.kreative.services.opportunity_review import juror_invite, round_create
from konnaxion.kreative.tests.applications import applicant_with_artworks, call_for
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _browser(user) -> Client:
    browser = Client()
    browser.login(username=user.username, password=DEFAULT_PASSWORD)
    return browser


@pytest.fixture
def reviewed():
    call = call_for()
    person, artworks = applicant_with_artworks()
    draft = application_create(
        opportunity=call, applicant=person, artworks=[a.pk for a in artworks]
    )
    application = application_submit(application=draft, actor=person)
    juror = UserFactory()
    juror_invite(opportunity=call, actor=call.posted_by, user=juror)
    round_create(opportunity=call, actor=call.posted_by, name="One", criteria=[{"label": "Craft"}])
    return call, application, juror


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Review applications"),
        ("fr", "Examiner les candidatures"),
        ("es", "Revisar candidaturas"),
        ("ar", "مراجعة الطلبات"),
    ],
)
def test_the_pages_speak_each_language(reviewed, language, words):
    call, application, juror = reviewed
    pages = [
        (call.posted_by, f"/connect/opportunities/{call.pk}/review/"),
        (call.posted_by, f"/connect/applications/{application.pk}/"),
        (juror, f"/connect/applications/{application.pk}/"),
        (application.applicant, f"/connect/applications/{application.pk}/"),
        (application.applicant, "/connect/applications/"),
        (application.applicant, f"/connect/opportunities/{call.pk}/"),
    ]
    for user, url in pages:
        response = _browser(user).get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert ('dir="rtl"' in html) == (language == "ar")
    review_page = _browser(call.posted_by).get(
        f"/connect/opportunities/{call.pk}/review/", HTTP_ACCEPT_LANGUAGE=language
    )
    assert words in review_page.content.decode()


def test_outsiders_get_the_404_page_and_change_nothing(reviewed):
    call, application, _juror = reviewed
    outsider = _browser(UserFactory())
    pk = application.pk
    for method, url in [
        ("get", f"/connect/applications/{pk}/"),
        ("post", f"/connect/applications/{pk}/edit/"),
        ("post", f"/connect/applications/{pk}/score/"),
        ("post", f"/connect/applications/{pk}/accept/"),
        ("post", f"/connect/applications/{pk}/withdraw/"),
        ("get", f"/connect/opportunities/{call.pk}/review/"),
        ("post", f"/connect/opportunities/{call.pk}/review/juror/"),
        ("post", f"/connect/opportunities/{call.pk}/review/round/"),
    ]:
        assert getattr(outsider, method)(url).status_code == 404, url
    application.refresh_from_db()
    assert application.status == "in_review"
