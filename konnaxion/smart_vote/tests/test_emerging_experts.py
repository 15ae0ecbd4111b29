"""A score that rose by 15 % or more over 30 days flags an EmergingExpert, once a day."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from konnaxion.ekoh.models import ScoreHistory
from konnaxion.ekoh.services.expertise import expertise_score_set
from konnaxion.ekoh.tests.factories import category
from konnaxion.smart_vote.models import EmergingExpert
from konnaxion.smart_vote.services.emerging_experts import emerging_experts_detect
from konnaxion.smart_vote.tasks import emerging_experts_detect_task
from konnaxion.users.tests.factories import UserFactory


def score_with_past(*, before: int, now: int, days_ago: int = 40):
    """A user whose ICT raw score was `before` `days_ago` days ago and is `now` today."""
    user = UserFactory()
    expertise_score_set(user=user, category=category(), raw_score=before, reason="past")
    ScoreHistory.objects.filter(merit_score__user=user).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    expertise_score_set(user=user, category=category(), raw_score=now, reason="recent")
    return user


@pytest.mark.django_db
def test_a_rise_of_at_least_15_percent_is_flagged_with_its_delta():
    # given 40 -> 46 raw (+15 %), weighted 60 -> 69
    riser = score_with_past(before=40, now=46)
    score_with_past(before=40, now=45)  # +12.5 %
    # when
    flagged = emerging_experts_detect()
    # then
    assert [(e.user_id, e.score_delta) for e in flagged] == [(riser.pk, Decimal("9.000"))]
    assert EmergingExpert.objects.get().category == category()


@pytest.mark.django_db
def test_the_baseline_is_the_score_at_the_window_start():
    # given a score that was 40 long ago, 60 twenty days ago and 62 today: +3 % in the window
    user = score_with_past(before=40, now=60, days_ago=50)
    ScoreHistory.objects.filter(change_reason="recent").update(
        created_at=timezone.now() - timedelta(days=20)
    )
    expertise_score_set(user=user, category=category(), raw_score=62, reason="today")
    # when / then: 40 -> 62 over the window (from the value before it), +55 %
    assert len(emerging_experts_detect()) == 1


@pytest.mark.django_db
def test_detection_is_idempotent_for_a_day_and_ignores_rises_before_the_window():
    # given a recent rise, and a rise that happened 31 days ago
    riser = score_with_past(before=40, now=60)
    old_riser = score_with_past(before=40, now=60, days_ago=45)
    ScoreHistory.objects.filter(merit_score__user=old_riser, change_reason="recent").update(
        created_at=timezone.now() - timedelta(days=31)
    )
    # when
    emerging_experts_detect()
    emerging_experts_detect()
    # then
    assert list(EmergingExpert.objects.values_list("user_id", "detection_date")) == [
        (riser.pk, timezone.localdate())
    ]


@pytest.mark.django_db
def test_a_newcomer_starting_from_zero_is_not_judged():
    user = UserFactory()
    expertise_score_set(user=user, category=category(), raw_score=50, reason="first")
    assert emerging_experts_detect() == []


@pytest.mark.worker
def test_the_daily_task_runs_on_a_real_worker(celery_worker):
    # given
    riser = score_with_past(before=40, now=60)
    # when
    emerging_experts_detect_task.delay()
    # then
    deadline = time.monotonic() + 30
    while not EmergingExpert.objects.filter(user=riser).exists():
        assert time.monotonic() < deadline, "the worker never flagged the emerging expert"
        time.sleep(0.2)


def test_the_task_is_scheduled_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["emerging-experts-daily"]
    assert entry["task"] == "konnaxion.smart_vote.tasks.emerging_experts_detect_task"
    assert entry["schedule"].hour == {2}
