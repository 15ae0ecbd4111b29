"""The Kontact beat tasks, run by a real Celery worker."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from konnaxion.kreative.models import Endorsement, Opportunity
from konnaxion.kreative.services.partner_recommendation import endorsement_create
from konnaxion.kreative.tasks import endorsements_publish_due_task, opportunities_close_expired_task
from konnaxion.kreative.tests.factories import ended_session, opportunity_for
from konnaxion.users.tests.factories import UserFactory


def _wait_for(condition) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, "the worker did not run the task"
        time.sleep(0.2)


@pytest.mark.django_db(transaction=True)
def test_worker_closes_expired_opportunities(celery_worker):
    # given: an opportunity whose deadline passed (the clock moved past it)
    expired = opportunity_for(deadline=timezone.now() + timedelta(days=1))
    Opportunity.objects.filter(pk=expired.pk).update(deadline=timezone.now() - timedelta(hours=1))
    current = opportunity_for(deadline=timezone.now() + timedelta(days=1))
    # when
    opportunities_close_expired_task.delay()
    # then
    _wait_for(lambda: Opportunity.objects.get(pk=expired.pk).status == "closed")
    assert Opportunity.objects.get(pk=current.pk).status == "open"


@pytest.mark.django_db(transaction=True)
def test_worker_publishes_endorsements_after_the_blind_period(celery_worker):
    # given: an engagement that ended 13 days ago, then 15 days ago
    author, subject = UserFactory(), UserFactory()
    session = ended_session(host=author, participants=[subject], ended_days_ago=13)
    endorsement = endorsement_create(author=author, subject=subject, session=session, rating=5)
    Endorsement.objects.filter(pk=endorsement.pk).update(
        engagement_ended_at=timezone.now() - timedelta(days=15)
    )
    # when
    endorsements_publish_due_task.delay()
    # then
    _wait_for(lambda: Endorsement.objects.get(pk=endorsement.pk).published_at is not None)
