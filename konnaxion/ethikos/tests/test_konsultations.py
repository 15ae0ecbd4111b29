from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from konnaxion.core.errors import Conflict, PermissionDenied
from konnaxion.ekoh.models import ExpertiseCategory
from konnaxion.ekoh.services.expertise import expertise_score_set, voter_weight
from konnaxion.ethikos.models import (
    CitizenSuggestion,
    Consultation,
    ConsultationResult,
    ConsultationVote,
)
from konnaxion.ethikos.services.konsultations import (
    consultation_create,
    consultation_vote_cast,
    suggestion_submit,
)
from konnaxion.ethikos.tasks import consultations_close_due_task
from konnaxion.ethikos.tests.factories import ConsultationFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_vote_is_weighted_by_ekoh_in_the_consultation_category():
    # given
    category = ExpertiseCategory.objects.order_by("code").first()
    consultation = ConsultationFactory(category=category)
    expert = UserFactory()
    expertise_score_set(user=expert, category=category, raw_score=100, reason="test")
    # when
    vote = consultation_vote_cast(consultation=consultation, user=expert, raw_value=-1)
    # then
    assert vote.weight == voter_weight(user=expert, category=category) == Decimal("2.500")
    assert vote.weighted_value == Decimal("-2.500")


def test_voting_again_replaces_the_vote():
    # given
    consultation, user = ConsultationFactory(), UserFactory()
    consultation_vote_cast(consultation=consultation, user=user, raw_value=1)
    # when
    consultation_vote_cast(consultation=consultation, user=user, raw_value=0)
    # then
    assert list(ConsultationVote.objects.values_list("raw_value", flat=True)) == [0]


@pytest.mark.parametrize(
    "changes",
    [
        {"status": "closed"},
        {
            "open_date": timezone.now() + timedelta(days=1),
            "close_date": timezone.now() + timedelta(days=2),
        },
        {
            "open_date": timezone.now() - timedelta(days=2),
            "close_date": timezone.now() - timedelta(days=1),
        },
    ],
    ids=["closed", "not-yet-open", "past-close-date"],
)
def test_suggestions_and_votes_only_while_open(changes):
    # given
    consultation = ConsultationFactory(**changes)
    user = UserFactory()
    # when / then
    with pytest.raises(Conflict):
        suggestion_submit(consultation=consultation, author=user, content="idea")
    with pytest.raises(Conflict):
        consultation_vote_cast(consultation=consultation, user=user, raw_value=1)
    assert not CitizenSuggestion.objects.exists() and not ConsultationVote.objects.exists()


def test_only_moderators_create_consultations():
    # given
    now = timezone.now()
    # when / then
    with pytest.raises(PermissionDenied):
        consultation_create(
            created_by=UserFactory(), title="x", open_date=now, close_date=now + timedelta(days=1)
        )
    assert not Consultation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_beat_task_closes_due_consultations_and_stores_the_result(celery_worker):
    # given
    due = ConsultationFactory()
    voters = UserFactory.create_batch(3)
    for voter, value in zip(voters, (1, 1, -1), strict=True):
        consultation_vote_cast(consultation=due, user=voter, raw_value=value)
    suggestion_submit(consultation=due, author=voters[0], content="Benches")
    Consultation.objects.filter(pk=due.pk).update(close_date=timezone.now())
    still_open = ConsultationFactory()
    # when
    closed = consultations_close_due_task.delay().get(timeout=60)
    # then
    assert closed == [due.pk]
    due.refresh_from_db()
    still_open.refresh_from_db()
    assert (due.status, still_open.status) == ("closed", "open")
    data = ConsultationResult.objects.get(consultation=due).results_data
    assert data["vote_count"] == 3
    assert data["counts"] == {"for": 2, "neutral": 0, "against": 1}
    assert data["sum_weighted_value"] == "1.000"
    assert data["weighted_support"] == "0.6667"
    assert data["suggestion_count"] == 1
    assert not ConsultationResult.objects.filter(consultation=still_open).exists()
