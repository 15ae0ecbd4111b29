"""Reviewing applications: jurors, rounds, scores, blind review, shortlist, decisions, CSV,
and the endorsements an accepted application opens."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from konnaxion.kreative.models import Endorsement, OpportunityApplication
from konnaxion.kreative.services.opportunity_applications import (
    application_create,
    application_submit,
)
from konnaxion.kreative.services.opportunity_review import (
    application_decide,
    application_shortlist,
    juror_invite,
    round_create,
    scores_set,
)
from konnaxion.kreative.tests.applications import applicant_with_artworks, call_for, client_for
from konnaxion.notifications.models import Notification
from konnaxion.notifications.selectors import notifications_visible_to
from konnaxion.notifications.texts import notification_text
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.STORAGE_TMP_DIR = str(tmp_path / "upload-tmp")


def _reviewed_call(*, blind: bool, applicants: int = 2):
    """A call with `applicants` submitted applications, two jurors and an open round."""
    call = call_for()
    jurors = [UserFactory(), UserFactory()]
    for juror in jurors:
        juror_invite(opportunity=call, actor=call.posted_by, user=juror)
    applications = []
    for _ in range(applicants):
        person, artworks = applicant_with_artworks()
        draft = application_create(
            opportunity=call, applicant=person, artworks=[a.pk for a in artworks]
        )
        applications.append(application_submit(application=draft, actor=person))
    round_ = round_create(
        opportunity=call,
        actor=call.posted_by,
        name="First look",
        blind=blind,
        criteria=[{"label": "Craft", "weight": 3}, {"label": "Fit", "weight": 1}],
    )
    return call, jurors, applications, round_


def _score(application, juror, round_, craft, fit):
    craft_c, fit_c = round_.criteria.order_by("order")
    scores_set(
        application=application,
        juror=juror,
        scores=[
            {"criterion": craft_c.pk, "value": craft, "comment": "clean lines"},
            {"criterion": fit_c.pk, "value": fit},
        ],
    )


def _browser(user) -> Client:
    browser = Client()
    browser.login(username=user.username, password=DEFAULT_PASSWORD)
    return browser


def test_blind_review_never_leaks_names_to_jurors():
    # given
    call, (juror, _other), applications, round_ = _reviewed_call(blind=True)
    _score(applications[0], juror, round_, 4, 2)
    person = applications[0].applicant
    secrets = [person.username, person.name]
    artwork = applications[0].artworks.first().artwork
    client, browser = client_for(juror), _browser(juror)
    pk = applications[0].pk
    # when
    bodies = [
        client.get(f"/api/connect/opportunities/{call.pk}/applications/").content.decode(),
        client.get(f"/api/connect/applications/{pk}/").content.decode(),
        client.get(f"/api/connect/applications/{pk}/scores/").content.decode(),
        client.get(
            f"/api/connect/opportunities/{call.pk}/applications/scores.csv"
        ).content.decode(),
        browser.get(f"/connect/opportunities/{call.pk}/review/").content.decode(),
        browser.get(f"/connect/applications/{pk}/").content.decode(),
        *(notification_text(n) for n in notifications_visible_to(user=juror)),
    ]
    media = client.get(f"/api/connect/applications/{pk}/artworks/{artwork.pk}/media/")
    # then
    assert f"Applicant {pk}" in bodies[0]
    for body in bodies:
        for secret in secrets:
            assert secret not in body
        assert f"/profile/{person.username}" not in body
        assert "avatar" not in body
    assert media.status_code == 200
    assert person.username not in media["Content-Disposition"]
    assert artwork.media_name not in media["Content-Disposition"]


def test_the_poster_sees_names_weighted_averages_and_spread():
    # given
    call, (first, second), applications, round_ = _reviewed_call(blind=True)
    _score(applications[0], first, round_, 5, 1)  # weighted (15 + 1) / 4 = 4
    _score(applications[0], second, round_, 3, 3)  # 3
    poster = client_for(call.posted_by)
    # when
    listed = poster.get(f"/api/connect/opportunities/{call.pk}/applications/").json()["results"]
    export = poster.get(f"/api/connect/opportunities/{call.pk}/applications/scores.csv")
    # then
    row = next(r for r in listed if r["id"] == applications[0].pk)
    assert row["applicant"]["username"] == applications[0].applicant.username
    assert row["summary"] == {
        "average": 3.5,
        "minimum": 3.0,
        "maximum": 4.0,
        "std_dev": 0.5,
        "count": 4,
        "jurors": 2,
    }
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert len(rows) == 4  # application x juror x criterion
    assert {r["applicant"] for r in rows} == {applications[0].applicant.username}


def test_jurors_see_others_scores_only_after_scoring_and_export_their_own_blind():
    call, (first, second), applications, round_ = _reviewed_call(blind=True)
    _score(applications[0], first, round_, 5, 1)
    client = client_for(second)
    url = f"/api/connect/applications/{applications[0].pk}/scores/"
    assert client.get(url).json() == []
    craft, fit = round_.criteria.order_by("order")
    client.put(
        url,
        {"scores": [{"criterion": craft.pk, "value": 2}, {"criterion": fit.pk, "value": 2}]},
        format="json",
    )
    assert len(client.get(url).json()) == 4
    export = client.get(f"/api/connect/opportunities/{call.pk}/applications/scores.csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert {r["juror"] for r in rows} == {second.username}
    assert {r["applicant"] for r in rows} == {f"Applicant {applications[0].pk}"}


def test_a_juror_removed_mid_round_loses_access_at_once():
    # given
    call, (juror, _other), applications, round_ = _reviewed_call(blind=False)
    client = client_for(juror)
    pk = applications[0].pk
    assert client.get(f"/api/connect/applications/{pk}/").status_code == 200
    # when
    removed = client_for(call.posted_by).delete(
        f"/api/connect/opportunities/{call.pk}/jurors/{juror.username}/"
    )
    # then
    assert removed.status_code == 204
    assert client.get(f"/api/connect/applications/{pk}/").status_code == 404
    assert client.get(f"/api/connect/opportunities/{call.pk}/applications/").status_code == 404
    craft, _fit = round_.criteria.order_by("order")
    score = client.put(
        f"/api/connect/applications/{pk}/scores/",
        {"scores": [{"criterion": craft.pk, "value": 5}]},
        format="json",
    )
    assert score.status_code == 404
    assert _browser(juror).get(f"/connect/applications/{pk}/").status_code == 404
    assert not applications[0].scores.filter(juror=juror).exists()
    invitation = Notification.objects.get(recipient=juror, kind="juror_invited")
    assert invitation not in notifications_visible_to(user=juror)


def test_shortlisted_applications_advance_and_decisions_notify_applicants():
    # given
    call, _jurors, (kept, dropped), _round = _reviewed_call(blind=False)
    poster = call.posted_by
    # when
    application_shortlist(application=kept, actor=poster)
    second = round_create(
        opportunity=call, actor=poster, name="Final", criteria=[{"label": "Vision"}]
    )
    application_decide(application=kept, actor=poster, decision="accepted")
    application_decide(application=dropped, actor=poster, decision="declined")
    # then
    assert list(second.applications.all()) == [kept]
    texts = [notification_text(n) for n in notifications_visible_to(user=kept.applicant)]
    assert any("accepted" in text for text in texts)
    assert any("shortlisted" in text for text in texts)
    assert OpportunityApplication.objects.get(pk=dropped.pk).status == "declined"


def test_an_accepted_application_lets_applicant_and_poster_endorse_each_other():
    # given
    call, _jurors, (kept, dropped), _round = _reviewed_call(blind=False)
    application_decide(application=kept, actor=call.posted_by, decision="accepted")
    application_decide(application=dropped, actor=call.posted_by, decision="declined")
    applicant, poster = client_for(kept.applicant), client_for(call.posted_by)
    # when
    first = applicant.post(
        "/api/connect/endorsements/",
        {"subject": call.posted_by.username, "application": kept.pk, "rating": 5},
        format="json",
    )
    back = poster.post(
        "/api/connect/endorsements/",
        {"subject": kept.applicant.username, "application": kept.pk, "rating": 4},
        format="json",
    )
    declined = client_for(dropped.applicant).post(
        "/api/connect/endorsements/",
        {"subject": call.posted_by.username, "application": dropped.pk, "rating": 1},
        format="json",
    )
    # then
    assert first.status_code == 201, first.content
    assert back.status_code == 201
    assert back.json()["published"] is True
    assert declined.status_code == 403
    assert Endorsement.objects.filter(application=kept).count() == 2
