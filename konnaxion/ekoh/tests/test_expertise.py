"""weighted_score = raw x configured weight x clamped ethical multiplier, with history."""

from decimal import Decimal

import pytest

from konnaxion.core.errors import ValidationFailed
from konnaxion.ekoh.models import ScoreConfiguration, ScoreHistory, UserExpertiseScore
from konnaxion.ekoh.services.expertise import (
    ethical_multiplier,
    ethics_score_set,
    expertise_score_set,
    voter_weight,
)
from konnaxion.ekoh.tests.factories import category
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_weighted_score_uses_the_global_expertise_weight_and_multiplier():
    # given a user with ethics 1.2 and the default expertise weight 1.5
    user = UserFactory()
    ethics_score_set(user=user, ethical_score="1.2")
    # when
    score = expertise_score_set(user=user, category=category(), raw_score=40, reason="review")
    # then 40 x 1.5 x 1.2
    assert score.weighted_score == Decimal("72.000")
    assert UserExpertiseScore.objects.get(pk=score.pk).weighted_score == Decimal("72.000")


def test_a_field_specific_weight_wins_over_the_global_one():
    # given
    law = category("042")
    ScoreConfiguration.objects.create(
        weight_name="raw_weight_expertise", field=law.name, weight_value=Decimal("0.500")
    )
    # when
    score = expertise_score_set(user=UserFactory(), category=law, raw_score=40, reason="r")
    # then 40 x 0.5 x 1
    assert score.weighted_score == Decimal("20.000")


@pytest.mark.parametrize(
    ("stored", "multiplier"),
    [("0.05", Decimal("0.200")), ("3", Decimal("1.500")), ("0.9", Decimal("0.900"))],
)
def test_ethical_multiplier_is_clamped_to_the_parameters(stored, multiplier):
    # given
    user = UserFactory()
    # when
    ethics = ethics_score_set(user=user, ethical_score=stored)
    # then
    assert ethics.ethical_score == multiplier
    assert ethical_multiplier(user=user) == multiplier


def test_multiplier_bounds_follow_the_settings(settings):
    # given
    settings.EKOH_MAX_MULTIPLIER = 1.1
    user = UserFactory()
    # when
    ethics_score_set(user=user, ethical_score="1.4")
    # then
    assert ethical_multiplier(user=user) == Decimal("1.100")


def test_every_change_writes_a_history_row_with_old_new_and_reason():
    # given
    user = UserFactory()
    first = expertise_score_set(user=user, category=category(), raw_score=10, reason="first")
    # when
    expertise_score_set(user=user, category=category(), raw_score=20, reason="peer review")
    ethics_score_set(user=user, ethical_score="0.5")
    # then
    history = list(
        ScoreHistory.objects.filter(merit_score=first)
        .order_by("id")
        .values_list("old_value", "new_value", "change_reason")
    )
    assert history == [
        (Decimal("0"), Decimal("15.000"), "first"),
        (Decimal("15.000"), Decimal("30.000"), "peer review"),
        (Decimal("30.000"), Decimal("15.000"), "ethical multiplier changed"),
    ]


def test_setting_the_same_score_writes_no_history():
    user = UserFactory()
    expertise_score_set(user=user, category=category(), raw_score=10, reason="a")
    expertise_score_set(user=user, category=category(), raw_score=10, reason="b")
    assert ScoreHistory.objects.count() == 1


@pytest.mark.parametrize("raw", [-1, 101, "abc", "NaN"])
def test_out_of_range_raw_scores_are_refused_and_leave_nothing(raw):
    with pytest.raises(ValidationFailed):
        expertise_score_set(user=UserFactory(), category=category(), raw_score=raw, reason="x")
    assert not UserExpertiseScore.objects.exists()
    assert not ScoreHistory.objects.exists()


def test_voter_weight_is_the_multiplier_without_expertise():
    # given
    user = UserFactory()
    ethics_score_set(user=user, ethical_score="0.8")
    # then
    assert voter_weight(user=user, category=category()) == Decimal("0.800")
    assert voter_weight(user=user, category=None) == Decimal("0.800")
    assert voter_weight(user=UserFactory(), category=category()) == Decimal("1.000")


def test_voter_weight_grows_with_expertise_in_the_domain():
    # given weighted 80 x 1.5 x 1 = 120 in ICT, nothing in law
    user = UserFactory()
    expertise_score_set(user=user, category=category("061"), raw_score=80, reason="r")
    # then m + weighted / 100
    assert voter_weight(user=user, category=category("061")) == Decimal("2.200")
    assert voter_weight(user=user, category=category("042")) == Decimal("1.000")
