"""Applying to an opportunity: drafts, eligibility, the deadline (and its race), withdrawal,
fees, who sees what."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from konnaxion.core.errors import ApplicationError
from konnaxion.kreative.models import Opportunity, OpportunityApplication
from konnaxion.kreative.services.opportunity_applications import (
    application_create,
    application_submit,
)
from konnaxion.kreative.services.opportunity_review import juror_invite, round_create
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.tests.applications import applicant_with_artworks, call_for, client_for
from konnaxion.kreative.tests.factories import KreativeArtworkFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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


def _apply(client, call, **body):
    return client.post(f"/api/connect/opportunities/{call.pk}/applications/", body, format="json")


def test_an_applicant_drafts_with_own_artworks_answers_and_submits():
    # given
    call = call_for(entry_fee=25, currency="EUR")
    put = client_for(call.posted_by).put(
        f"/api/connect/opportunities/{call.pk}/questions/",
        {"questions": [{"label": "Why now?", "required": True}]},
        format="json",
    )
    question = put.json()[0]["id"]
    person, (first, second) = applicant_with_artworks()
    client = client_for(person)
    # when
    draft = _apply(client, call, statement="Etchings", artworks=[second.pk, first.pk])
    data = draft.json()
    early = client.post(f"/api/connect/applications/{data['id']}/submit/")
    client.patch(
        f"/api/connect/applications/{data['id']}/",
        {"answers": [{"question": question, "text": "Because."}]},
        format="json",
    )
    submitted = client.post(f"/api/connect/applications/{data['id']}/submit/")
    # then
    assert draft.status_code == 201, draft.content
    assert [a["artwork"] for a in data["artworks"]] == [second.pk, first.pk]
    assert (data["status"], data["fee_status"], data["entry_fee"]) == ("draft", "unpaid", "25.00")
    assert early.status_code == 400
    assert early.json()["error"]["code"] == "answers_missing"
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"


def test_only_ones_own_artworks_are_sent():
    call = call_for()
    person, _ = applicant_with_artworks()
    stranger_work = KreativeArtworkFactory()
    response = _apply(client_for(person), call, artworks=[stranger_work.pk])
    assert response.status_code == 400
    assert not OpportunityApplication.objects.exists()


@pytest.mark.parametrize(
    ("rules", "profile", "rule"),
    [
        ({"eligible_regions": ["Wales", "Quebec"]}, {"region": "Brittany"}, "region"),
        ({"eligible_roles": ["diffuser"]}, {"role": "creator"}, "role"),
        ({"requires_open_to_collaboration": True}, {"open_to_collaboration": False}, None),
    ],
)
def test_an_ineligible_submission_is_refused_naming_the_rule(rules, profile, rule):
    # given
    call = call_for(**rules)
    person, _ = applicant_with_artworks(**profile)
    client = client_for(person)
    pk = _apply(client, call).json()["id"]
    # when
    response = client.post(f"/api/connect/applications/{pk}/submit/")
    # then
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "not_eligible"
    assert error["details"]["rule"] == (rule or "open_to_collaboration")
    assert OpportunityApplication.objects.get(pk=pk).status == "draft"


def test_eligibility_matches_regions_and_skills_of_the_profile():
    call = call_for(eligible_regions=["France"], eligible_roles=["etching"])
    person, _ = applicant_with_artworks(region="Brittany, France", skills=["Etching"])
    client = client_for(person)
    pk = _apply(client, call).json()["id"]
    assert client.post(f"/api/connect/applications/{pk}/submit/").status_code == 200


def test_after_the_deadline_nothing_is_drafted_or_submitted():
    # given
    call = call_for(deadline=timezone.now() + timedelta(days=1))
    person, _ = applicant_with_artworks()
    client = client_for(person)
    pk = _apply(client, call).json()["id"]
    Opportunity.objects.filter(pk=call.pk).update(deadline=timezone.now() - timedelta(seconds=1))
    late, _ = applicant_with_artworks()
    # when
    submit = client.post(f"/api/connect/applications/{pk}/submit/")
    draft = _apply(client_for(late), call)
    # then
    assert (submit.status_code, submit.json()["error"]["code"]) == (409, "applications_closed")
    assert (draft.status_code, draft.json()["error"]["code"]) == (409, "applications_closed")
    assert OpportunityApplication.objects.get(pk=pk).status == "draft"


def test_applying_across_a_block_or_to_oneself_is_refused():
    call = call_for()
    person, _ = applicant_with_artworks()
    block_create(blocker=call.posted_by, blocked=person)
    assert _apply(client_for(person), call).status_code in (403, 404)
    own = _apply(client_for(call.posted_by), call)
    assert (own.status_code, own.json()["error"]["details"]["rule"]) == (403, "poster")
    assert not OpportunityApplication.objects.exists()


def test_drafts_are_invisible_to_the_poster_and_outsiders_get_404_everywhere():
    # given
    call = call_for()
    person, _ = applicant_with_artworks()
    pk = _apply(client_for(person), call).json()["id"]
    poster, outsider = client_for(call.posted_by), client_for(UserFactory())
    base = f"/api/connect/applications/{pk}/"
    # then: the poster sees no draft
    assert poster.get(f"/api/connect/opportunities/{call.pk}/applications/").json()["count"] == 0
    assert poster.get(base).status_code == 404
    # and an outsider hears 404 everywhere
    opportunity = f"/api/connect/opportunities/{call.pk}/"
    for method, url in [
        ("get", base),
        ("patch", base),
        ("delete", base),
        ("post", f"{base}submit/"),
        ("post", f"{base}withdraw/"),
        ("post", f"{base}fee/"),
        ("post", f"{base}shortlist/"),
        ("post", f"{base}decide/"),
        ("get", f"{base}scores/"),
        ("put", f"{base}scores/"),
        ("post", f"{base}attachments/"),
        ("get", f"{base}attachments/1/"),
        ("get", f"{base}artworks/1/media/"),
        ("get", f"{opportunity}applications/"),
        ("get", f"{opportunity}applications/scores.csv"),
        ("get", f"{opportunity}jurors/"),
        ("post", f"{opportunity}jurors/"),
        ("delete", f"{opportunity}jurors/someone/"),
        ("get", f"{opportunity}rounds/"),
        ("post", f"{opportunity}rounds/"),
        ("put", f"{opportunity}questions/"),
    ]:
        response = getattr(outsider, method)(url, {}, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
    assert OpportunityApplication.objects.get(pk=pk).status == "draft"


def test_withdrawn_applications_are_invisible_to_jurors_and_the_applicant_is_told():
    # given
    call = call_for()
    juror = UserFactory()
    juror_invite(opportunity=call, actor=call.posted_by, user=juror)
    person, _ = applicant_with_artworks()
    client = client_for(person)
    pk = _apply(client, call).json()["id"]
    client.post(f"/api/connect/applications/{pk}/submit/")
    round_create(opportunity=call, actor=call.posted_by, name="One", criteria=[{"label": "Craft"}])
    jury = client_for(juror)
    before = jury.get(f"/api/connect/opportunities/{call.pk}/applications/").json()["count"]
    # when
    withdrawn = client.post(f"/api/connect/applications/{pk}/withdraw/")
    # then
    assert before == 1
    assert withdrawn.json()["status"] == "withdrawn"
    assert jury.get(f"/api/connect/opportunities/{call.pk}/applications/").json()["count"] == 0
    assert jury.get(f"/api/connect/applications/{pk}/").status_code == 404
    assert client.get("/api/connect/applications/").json()["results"][0]["status"] == "withdrawn"


def test_the_poster_records_the_fee_and_the_applicant_sees_it():
    call = call_for(entry_fee=10, currency="EUR")
    person, _ = applicant_with_artworks()
    client = client_for(person)
    pk = _apply(client, call).json()["id"]
    client.post(f"/api/connect/applications/{pk}/submit/")
    refused = client.post(f"/api/connect/applications/{pk}/fee/", {"fee_status": "waived"})
    paid = client_for(call.posted_by).post(
        f"/api/connect/applications/{pk}/fee/", {"fee_status": "paid"}
    )
    assert refused.status_code == 403
    assert paid.json()["fee_status"] == "paid"
    assert client.get(f"/api/connect/applications/{pk}/").json()["fee_status"] == "paid"


def _race(calls, trials: int) -> list[list[str]]:
    outcomes = []
    for trial in range(trials):
        barrier = threading.Barrier(len(calls))
        results: list[str] = []

        def one(call, trial=trial, barrier=barrier, results=results) -> None:
            barrier.wait()
            try:
                call(trial)
                results.append("ok")
            except ApplicationError as error:
                results.append(error.code)
            finally:
                connection.close()

        threads = [threading.Thread(target=one, args=(call,)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcomes.append(sorted(results))
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_a_submission_racing_the_close_is_either_in_or_refused():
    # given: per trial, a call and a draft; the poster closes it while the applicant submits
    trials = 6
    calls = [call_for() for _ in range(trials)]
    drafts = []
    for call in calls:
        person, _ = applicant_with_artworks()
        drafts.append(application_create(opportunity=call, applicant=person))
    from konnaxion.kreative.services.opportunity_announcement import opportunity_close

    # when
    outcomes = _race(
        [
            lambda t: application_submit(application=drafts[t], actor=drafts[t].applicant),
            lambda t: opportunity_close(opportunity=calls[t], actor=calls[t].posted_by),
        ],
        trials,
    )
    # then: the close always happens; a submission is in only if it came first
    for trial, outcome in enumerate(outcomes):
        application = OpportunityApplication.objects.get(pk=drafts[trial].pk)
        call = Opportunity.objects.get(pk=calls[trial].pk)
        assert call.status == "closed"
        if outcome == ["ok", "ok"]:
            assert application.status == "submitted"
            assert application.submitted_at <= call.updated_at
        else:
            assert outcome == ["applications_closed", "ok"]
            assert application.status == "draft"


@pytest.mark.django_db(transaction=True)
def test_submissions_racing_the_deadline_are_stamped_before_it_or_refused():
    # given: drafts on a call whose deadline falls while they are being submitted
    call = call_for(deadline=timezone.now() + timedelta(days=1))
    drafts = []
    for _ in range(8):
        person, _artworks = applicant_with_artworks()
        drafts.append(application_create(opportunity=call, applicant=person))
    deadline = timezone.now() + timedelta(milliseconds=300)
    Opportunity.objects.filter(pk=call.pk).update(deadline=deadline)
    # when: four pairs submit at once around the deadline
    outcomes = []
    for start in range(0, 8, 2):
        pair = drafts[start : start + 2]
        outcomes += _race(
            [
                lambda _t, d=pair[0]: application_submit(application=d, actor=d.applicant),
                lambda _t, d=pair[1]: application_submit(application=d, actor=d.applicant),
            ],
            1,
        )
        threading.Event().wait(0.1)
    # then: every submission is stamped before the deadline, every other one is refused
    for application in OpportunityApplication.objects.filter(pk__in=[d.pk for d in drafts]):
        if application.status == "submitted":
            assert application.submitted_at < deadline
        else:
            assert application.status == "draft"
    codes = {code for outcome in outcomes for code in outcome}
    assert codes <= {"ok", "applications_closed"}


@pytest.mark.parametrize("rows", [2, 20])
def test_list_query_counts_are_flat(rows, django_assert_max_num_queries):
    # given: `rows` submitted applications in a blind round with one juror's scores
    call = call_for()
    juror = UserFactory()
    juror_invite(opportunity=call, actor=call.posted_by, user=juror)
    for _ in range(rows):
        person, artworks = applicant_with_artworks(1)
        draft = application_create(opportunity=call, applicant=person, artworks=[artworks[0].pk])
        application_submit(application=draft, actor=person)
    round_create(
        opportunity=call,
        actor=call.posted_by,
        name="One",
        blind=True,
        criteria=[{"label": "Craft"}],
    )
    url = f"/api/connect/opportunities/{call.pk}/applications/"
    poster, jury = client_for(call.posted_by), client_for(juror)
    applicant = client_for(person)
    # then
    for client, path in ((poster, url), (jury, url), (applicant, "/api/connect/applications/")):
        with django_assert_max_num_queries(16):
            assert client.get(path).status_code == 200
