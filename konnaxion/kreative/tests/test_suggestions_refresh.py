"""Refreshing people suggestions after a change: queued by task name once the change commits,
never failing the change when the broker is out."""

import logging

import pytest
from celery.app.task import Task
from django.db import transaction
from kombu.exceptions import OperationalError

from konnaxion.kreative.models import Follow
from konnaxion.kreative.services import intelligent_matching
from konnaxion.kreative.services.professional_profile import follow_create
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, tuple]]:
    """The tasks sent to the broker (name, args) instead of sending them."""
    calls: list[tuple[str, tuple]] = []

    def apply_async(task, args=None, **options):
        calls.append((task.name, tuple(args or ())))

    monkeypatch.setattr(Task, "apply_async", apply_async)
    return calls


def test_a_follow_queues_a_refresh_of_both_people_after_commit(sent):
    # given
    follower, followee = UserFactory(), UserFactory()
    # when
    with transaction.atomic():
        follow_create(follower=follower, followee=followee)
        queued_inside = list(sent)
    # then
    assert queued_inside == []
    assert sent == [
        (intelligent_matching.REFRESH_TASK, (follower.pk,)),
        (intelligent_matching.REFRESH_TASK, (followee.pk,)),
    ]


def test_a_rolled_back_follow_queues_nothing(sent):
    # given
    follower, followee = UserFactory(), UserFactory()
    # when
    with pytest.raises(RuntimeError), transaction.atomic():
        follow_create(follower=follower, followee=followee)
        raise RuntimeError("rolled back")
    # then
    assert sent == []
    assert not Follow.objects.filter(follower=follower).exists()


def test_a_broker_outage_is_logged_and_the_follow_stays(monkeypatch, caplog):
    # given a broker that refuses every message
    def apply_async(task, args=None, **options):
        raise OperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", apply_async)
    follower, followee = UserFactory(), UserFactory()
    # when
    with caplog.at_level(logging.WARNING, logger=intelligent_matching.logger.name):
        follow_create(follower=follower, followee=followee)
    # then
    assert Follow.objects.filter(follower=follower, followee=followee).exists()
    warnings = [
        record.getMessage()
        for record in caplog.records
        if record.name == intelligent_matching.logger.name
    ]
    assert warnings == [
        f"suggestions refresh for {follower.pk} not queued: "
        "Error 111 connecting to the broker. Connection refused.",
        f"suggestions refresh for {followee.pk} not queued: "
        "Error 111 connecting to the broker. Connection refused.",
    ]
