"""Saved searches: their filters, their alerts (once per new match, only what the owner may
see, at once or in the daily digest) and the closing-soon reminders of saved opportunities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.kreative.models import Opportunity, SavedSearch, SavedSearchAlert
from konnaxion.kreative.services.leaving import account_kreative_delete, account_kreative_export
from konnaxion.kreative.services.opportunity_announcement import (
    opportunity_close,
    opportunity_delete,
    opportunity_save,
)
from konnaxion.kreative.services.opportunity_applications import (
    application_create,
    application_submit,
)
from konnaxion.kreative.services.professional_profile import block_create
from konnaxion.kreative.services.saved_searches import (
    opportunities_closing_soon_remind,
    saved_search_create,
    saved_search_run,
    saved_search_update,
    saved_searches_alert_all,
)
from konnaxion.kreative.tests.applications import applicant_with_artworks, call_for
from konnaxion.kreative.tests.factories import opportunity_for, profile_for
from konnaxion.notifications.models import Kind, Notification
from konnaxion.notifications.services.email import digest_send, notification_email_send
from konnaxion.notifications.tests.conftest import body_of, mail_server  # noqa: F401
from konnaxion.notifications.texts import notification_text
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _told(user, kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(recipient=user).order_by("id")
    return list(rows.filter(kind=kind) if kind else rows)


def _alert(capture) -> int:
    with capture(execute=True):
        return saved_searches_alert_all()


def _print_search(owner, alert: str = "immediate") -> SavedSearch:
    return saved_search_create(
        owner=owner,
        kind="opportunities",
        name="Print calls",
        filters={"tags": "print", "type": "residency"},
        alert=alert,
    )


def test_filters_are_kept_normalized():
    # when
    search = saved_search_create(
        owner=UserFactory(),
        kind="opportunities",
        name="  Print  ",
        filters={"tags": " print , etching ", "type": "residency", "q": "", "remote": "1"},
    )
    # then
    assert search.name == "Print"
    assert search.filters == {"remote": "1", "tags": "print,etching", "type": "residency"}
    assert search.alert == "off"


@pytest.mark.parametrize(
    ("kind", "filters", "field"),
    [
        ("opportunities", {"type": "boat"}, "type"),
        ("opportunities", {"colour": "red"}, "colour"),
        ("opportunities", {"deadline_after": "soon"}, "deadline_after"),
        ("opportunities", {"ordering": "price"}, "ordering"),
        ("opportunities", {"skills": "print"}, "skills"),
        ("people", {"role": "king"}, "role"),
        ("people", {"q": "a\x00b"}, "q"),
        ("people", {"region": ["a", "b"]}, "region"),
    ],
)
def test_invalid_filters_are_refused_naming_the_field(kind, filters, field):
    # given
    owner = UserFactory()
    # when
    with pytest.raises(ValidationFailed) as refusal:
        saved_search_create(owner=owner, kind=kind, name="Mine", filters=filters)
    # then
    assert list(refusal.value.details["fields"]["filters"]) == [field]
    assert not SavedSearch.objects.filter(owner=owner).exists()


def test_run_answers_current_results_and_records_the_run():
    # given
    owner = UserFactory()
    match = opportunity_for(tags=["print"])
    opportunity_for(tags=["clay"])
    search = _print_search(owner)
    # when
    results = list(saved_search_run(saved_search=search, actor=owner))
    # then
    assert results == [match]
    search.refresh_from_db()
    assert search.last_run_at is not None
    with pytest.raises(NotFound):
        saved_search_run(saved_search=search, actor=UserFactory())


def test_an_alert_tells_each_new_match_once(django_capture_on_commit_callbacks):
    # given: a match older than the search, then the search, then a match and a non-match
    owner = UserFactory()
    opportunity_for(tags=["print"])
    search = _print_search(owner)
    match = opportunity_for(tags=["print"], title="Etching residency")
    opportunity_for(tags=["clay"])
    # when
    told = _alert(django_capture_on_commit_callbacks)
    # then
    assert told == 1
    [notice] = _told(owner)
    assert notice.kind == Kind.SAVED_SEARCH_MATCH
    assert notice.target_id == match.pk
    assert notice.url == f"/connect/opportunities/{match.pk}/"
    assert notification_text(notice) == (
        "New opportunity “Etching residency” matches your saved search “Print calls”."
    )
    assert list(SavedSearchAlert.objects.values_list("saved_search", "object_id")) == [
        (search.pk, match.pk)
    ]
    # when: the task runs again
    assert _alert(django_capture_on_commit_callbacks) == 0
    # then: nothing new
    assert len(_told(owner)) == 1


def test_alerts_off_tell_nothing_and_turning_them_on_starts_from_then(
    django_capture_on_commit_callbacks,
):
    # given
    owner = UserFactory()
    search = _print_search(owner, alert="off")
    opportunity_for(tags=["print"])
    assert _alert(django_capture_on_commit_callbacks) == 0
    # when: alerts turned on, then a new match
    saved_search_update(saved_search=search, actor=owner, alert="immediate")
    newer = opportunity_for(tags=["print"])
    # then: only the match posted after alerts were turned on
    assert _alert(django_capture_on_commit_callbacks) == 1
    assert [n.target_id for n in _told(owner)] == [newer.pk]


def test_alerts_never_tell_of_what_the_owner_may_not_see(django_capture_on_commit_callbacks):
    # given: a People search and an Opportunities search
    owner = UserFactory()
    profile_for(user=owner, skills=["etching"])
    people = saved_search_create(
        owner=owner, kind="people", name="Etchers", filters={"skills": "etching"}, alert="daily"
    )
    _print_search(owner)
    blocker, blocked, hidden, visible = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    for person in (blocker, blocked, visible):
        profile_for(user=person, skills=["etching"])
    profile_for(user=hidden, skills=["etching"], visibility="hidden")
    block_create(blocker=blocker, blocked=owner)
    block_create(blocker=owner, blocked=blocked)
    closed = opportunity_for(tags=["print"])
    opportunity_close(opportunity=closed, actor=closed.posted_by)
    deleted = opportunity_for(tags=["print"])
    opportunity_delete(opportunity=deleted, actor=deleted.posted_by)
    opportunity_for(posted_by=blocker, tags=["print"])
    opportunity_for(posted_by=blocked, tags=["print"])
    opportunity_for(posted_by=owner, tags=["print"])
    shown = opportunity_for(tags=["print"])
    # when
    _alert(django_capture_on_commit_callbacks)
    # then: the visible person and the open opportunity of someone who exists for the owner
    told = {(n.kind, n.target_id) for n in _told(owner)}
    assert told == {(Kind.SAVED_SEARCH_DAILY, visible.pk), (Kind.SAVED_SEARCH_MATCH, shown.pk)}
    person_notice = _told(owner, Kind.SAVED_SEARCH_DAILY)[0]
    assert notification_text(person_notice) == (
        f"{visible.name or visible.username} matches your saved search “Etchers”."
    )
    assert set(SavedSearchAlert.objects.filter(saved_search=people).values_list("object_id")) == {
        (visible.pk,)
    }


def test_a_person_who_becomes_a_match_is_told_once(django_capture_on_commit_callbacks):
    # given: someone without the skill, then the search
    owner = UserFactory()
    person = UserFactory()
    profile_for(user=person, skills=["clay"])
    saved_search_create(
        owner=owner, kind="people", name="Etchers", filters={"skills": "etching"}, alert="immediate"
    )
    assert _alert(django_capture_on_commit_callbacks) == 0
    # when: they add the skill, then change their profile again
    profile_for(user=person, skills=["clay", "etching"])
    assert _alert(django_capture_on_commit_callbacks) == 1
    profile_for(user=person, skills=["etching"], headline="Etcher")
    # then
    assert _alert(django_capture_on_commit_callbacks) == 0
    assert [n.target_id for n in _told(owner)] == [person.pk]


def test_the_daily_digest_holds_daily_alerts(mail_server, django_capture_on_commit_callbacks):  # noqa: F811
    # given
    owner = UserFactory()
    _print_search(owner, alert="daily")
    match = opportunity_for(tags=["print"], title="Etching residency")
    _alert(django_capture_on_commit_callbacks)
    [notice] = _told(owner)
    # when: the email task of an immediate kind would not send it; the digest does
    assert notification_email_send(notification_id=notice.pk) is False
    assert digest_send(user_id=owner.pk) == 1
    # then
    [mail] = mail_server.received
    body = body_of(mail)
    assert "New opportunity “Etching residency” matches your saved search “Print calls”." in body
    assert f"https://konnaxion.example/connect/opportunities/{match.pk}/" in body


def test_an_immediate_alert_is_emailed_at_once(mail_server, django_capture_on_commit_callbacks):  # noqa: F811
    # given
    owner = UserFactory()
    _print_search(owner)
    opportunity_for(tags=["print"], title="Etching residency")
    _alert(django_capture_on_commit_callbacks)
    [notice] = _told(owner)
    # when
    sent = notification_email_send(notification_id=notice.pk)
    # then
    assert sent is True
    [mail] = mail_server.received
    assert "Etching residency" in body_of(mail)


def test_closing_soon_reminds_savers_once(django_capture_on_commit_callbacks):
    # given
    saver, other, blocked_saver = UserFactory(), UserFactory(), UserFactory()
    soon = opportunity_for(deadline=timezone.now() + timedelta(hours=24), title="Soon")
    later = opportunity_for(deadline=timezone.now() + timedelta(hours=100))
    for user in (saver, blocked_saver):
        opportunity_save(opportunity=soon, user=user)
        opportunity_save(opportunity=later, user=user)
    block_create(blocker=soon.posted_by, blocked=blocked_saver)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sent = opportunities_closing_soon_remind()
    # then
    assert sent == 1
    [notice] = _told(saver)
    assert notice.kind == Kind.OPPORTUNITY_CLOSING_SOON
    assert notice.target_id == soon.pk
    assert notification_text(notice).startswith(
        "“Soon”, which you saved or started applying to, closes soon (deadline: "
    )
    assert _told(other) == [] and _told(blocked_saver) == []
    # when: the task runs again
    with django_capture_on_commit_callbacks(execute=True):
        assert opportunities_closing_soon_remind() == 0
    assert len(_told(saver)) == 1


def test_a_draft_applicant_is_reminded_once_and_a_submitted_one_not(
    django_capture_on_commit_callbacks,
):
    # given two applicants to a call closing tomorrow: one still drafting, one submitted
    call = call_for(deadline=timezone.now() + timedelta(hours=24), title="Print call")
    drafting, _ = applicant_with_artworks()
    submitted, _ = applicant_with_artworks()
    application_create(opportunity=call, applicant=drafting)
    application_submit(
        application=application_create(opportunity=call, applicant=submitted), actor=submitted
    )
    # when the task runs twice
    with django_capture_on_commit_callbacks(execute=True):
        sent = opportunities_closing_soon_remind()
        again = opportunities_closing_soon_remind()
    # then only the draft's author is told, once
    assert (sent, again) == (1, 0)
    [notice] = _told(drafting)
    assert notice.kind == Kind.OPPORTUNITY_CLOSING_SOON and notice.target_id == call.pk
    assert Kind.OPPORTUNITY_CLOSING_SOON not in [told.kind for told in _told(submitted)]


def test_closed_opportunities_are_not_reminded(django_capture_on_commit_callbacks):
    # given
    saver = UserFactory()
    soon = opportunity_for(deadline=timezone.now() + timedelta(hours=2))
    opportunity_save(opportunity=soon, user=saver)
    Opportunity.objects.filter(pk=soon.pk).update(status="closed")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        sent = opportunities_closing_soon_remind()
    # then
    assert sent == 0
    assert _told(saver) == []


class _Archive:
    def __init__(self) -> None:
        self.files: dict = {}

    def add_json(self, name, data) -> None:
        self.files[name] = data

    def add_bytes(self, name, chunks) -> None:
        self.files[name] = b"".join(chunks)


def test_saved_searches_are_exported_and_deleted_with_the_account():
    # given
    owner = UserFactory()
    _print_search(owner)
    archive = _Archive()
    # when
    account_kreative_export(owner, archive)
    # then
    [exported] = archive.files["searches/saved_searches.json"]
    assert exported["name"] == "Print calls"
    assert exported["filters"] == {"tags": "print", "type": "residency"}
    # when
    account_kreative_delete(owner)
    # then
    assert not SavedSearch.objects.filter(owner=owner).exists()
