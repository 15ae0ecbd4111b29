"""Alerts checked by several workers at once: each match told exactly once, none lost
(transactions really commit, notifications are delivered on commit)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from konnaxion.kreative.models import SavedSearchAlert
from konnaxion.kreative.services.saved_searches import saved_search_create, saved_searches_alert_all
from konnaxion.kreative.tasks import saved_searches_alert_task
from konnaxion.kreative.tests.factories import opportunity_for
from konnaxion.notifications import tasks as notification_tasks  # noqa: F401 - the email task
from konnaxion.notifications.models import Kind, Notification
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _searches_with_matches():
    owners = [UserFactory() for _ in range(3)]
    for owner in owners:
        saved_search_create(
            owner=owner,
            kind="opportunities",
            name="Print",
            filters={"tags": "print"},
            alert="immediate",
        )
    matches = [opportunity_for(tags=["print"]) for _ in range(4)]
    return owners, matches


def test_concurrent_runs_tell_each_match_once():
    # given: three alerting searches, four new matches each, six workers at once
    owners, matches = _searches_with_matches()
    start = threading.Barrier(6)
    errors: list[BaseException] = []
    told: list[int] = []

    def run() -> None:
        try:
            start.wait()
            told.append(saved_searches_alert_all())
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then: no duplicate, nothing lost
    assert errors == []
    assert sum(told) == 12
    expected = sorted(m.pk for m in matches)
    for owner in owners:
        notices = Notification.objects.filter(recipient=owner, kind=Kind.SAVED_SEARCH_MATCH)
        assert sorted(notices.values_list("target_id", flat=True)) == expected
    assert SavedSearchAlert.objects.count() == 12
    # when: one more run
    assert saved_searches_alert_all() == 0
    assert Notification.objects.count() == 12


def test_a_worker_runs_the_alert_task(celery_worker):
    # given
    owners, matches = _searches_with_matches()
    # when
    saved_searches_alert_task.delay()
    # then
    deadline = time.monotonic() + 60
    while Notification.objects.count() < len(owners) * len(matches):
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)
    time.sleep(0.5)
    assert Notification.objects.count() == 12
