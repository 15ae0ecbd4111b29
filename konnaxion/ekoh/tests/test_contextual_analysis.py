"""The contextual adjustment logs its input and what it changed."""

from decimal import Decimal

import pytest

from konnaxion.core.errors import ValidationFailed
from konnaxion.ekoh.models import ContextAnalysisLog, ScoreHistory
from konnaxion.ekoh.services.contextual_analysis import context_adjustment_apply
from konnaxion.ekoh.services.expertise import expertise_score_set
from konnaxion.ekoh.tests.factories import category
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_signals_adjust_the_raw_score_by_their_configured_weights():
    # given raw 50 (weighted 75)
    score = expertise_score_set(user=UserFactory(), category=category(), raw_score=50, reason="r")
    # when quality +4 (x1.0) and frequency +4 (x0.75)
    log = context_adjustment_apply(
        score=score, signals={"quality": 4, "frequency": 4}, input_metadata={"debate": 7}
    )
    # then raw 57, weighted 85.5, and the log says so
    score.refresh_from_db()
    assert score.raw_score == Decimal("57.000")
    assert score.weighted_score == Decimal("85.500")
    assert log.entity_id == str(score.pk)
    assert log.field == "raw_score"
    assert log.input_metadata == {"debate": 7, "signals": {"quality": "4", "frequency": "4"}}
    assert log.adjustments_applied["raw_score"] == {"old": "50.000", "new": "57.000"}
    assert log.adjustments_applied["weighted_score"] == {"old": "75.000", "new": "85.500"}
    assert ScoreHistory.objects.filter(change_reason="contextual adjustment").count() == 1


def test_adjustment_keeps_the_raw_score_within_bounds():
    score = expertise_score_set(user=UserFactory(), category=category(), raw_score=99, reason="r")
    context_adjustment_apply(score=score, signals={"quality": 50})
    score.refresh_from_db()
    assert score.raw_score == Decimal("100.000")


@pytest.mark.parametrize("signals", [{"charisma": 1}, {"quality": "lots"}, {}])
def test_unknown_or_malformed_signals_are_refused_and_logged_nowhere(signals):
    score = expertise_score_set(user=UserFactory(), category=category(), raw_score=10, reason="r")
    with pytest.raises(ValidationFailed):
        context_adjustment_apply(score=score, signals=signals)
    assert not ContextAnalysisLog.objects.exists()
    score.refresh_from_db()
    assert score.raw_score == Decimal("10.000")
