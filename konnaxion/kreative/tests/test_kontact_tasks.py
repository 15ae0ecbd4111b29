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


@pytest.mark.django_db(transaction=True)
def test_worker_precomputes_suggestions_after_a_follow(celery_worker):
    # given: two people sharing a skill, a third whom the viewer will follow
    from konnaxion.kreative.models import PrecomputedSuggestions
    from konnaxion.kreative.services.professional_profile import follow_create
    from konnaxion.kreative.tasks import suggestions_precompute_active_task
    from konnaxion.kreative.tests.factories import profile_for

    viewer, peer, star = UserFactory(), UserFactory(), UserFactory()
    for user in (viewer, peer, star):
        profile_for(user=user, skills=["etching"])
    # when: the beat task runs, then the viewer follows someone (refresh after commit)
    suggestions_precompute_active_task.delay()
    _wait_for(lambda: PrecomputedSuggestions.objects.filter(viewer=viewer).exists())
    follow_create(follower=viewer, followee=star)

    # then: the worker stored a list without the followed person
    def refreshed() -> bool:
        row = PrecomputedSuggestions.objects.get(viewer=viewer, purpose="follow")
        return [entry["username"] for entry in row.suggestions] == [peer.username]

    _wait_for(refreshed)
