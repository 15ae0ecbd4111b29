"""The database itself refuses what the EkoH invariants forbid; the fixture is loaded."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from konnaxion.ekoh.models import (
    ConfidentialitySetting,
    ExpertiseCategory,
    ScoreConfiguration,
    UserExpertiseScore,
)
from konnaxion.ekoh.tests.factories import UserExpertiseScoreFactory, category
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_migrate_loads_the_26_isced_f_2013_fields():
    # then
    assert ExpertiseCategory.objects.count() == settings.EXPERTISE_CATEGORY_COUNT == 26
    assert ExpertiseCategory.objects.get(code="061").name == (
        "Information and Communication Technologies"
    )
    assert ExpertiseCategory.objects.get(code="104").name == "Transport services"


def test_migrate_loads_the_default_score_weights():
    weights = dict(
        ScoreConfiguration.objects.filter(field=None).values_list("weight_name", "weight_value")
    )
    assert weights == settings.SCORE_CONFIGURATION_DEFAULTS
    assert weights == {
        "raw_weight_quality": Decimal("1.000"),
        "raw_weight_expertise": Decimal("1.500"),
        "raw_weight_frequency": Decimal("0.750"),
    }


def test_expertise_score_is_unique_per_user_and_category():
    score = UserExpertiseScoreFactory()
    refused(lambda: UserExpertiseScore.objects.create(user=score.user, category=score.category))


def test_category_name_is_unique():
    refused(lambda: ExpertiseCategory.objects.create(name="Law", code="999"))


@pytest.mark.parametrize("raw", [Decimal("-1"), Decimal("100.001")])
def test_raw_score_stays_within_0_and_100(raw):
    refused(lambda: UserExpertiseScoreFactory(raw_score=raw))


def test_global_weight_name_is_unique():
    refused(
        lambda: ScoreConfiguration.objects.create(
            weight_name="raw_weight_quality", weight_value=Decimal("2")
        )
    )


def test_confidentiality_level_is_one_of_the_enum():
    refused(lambda: ConfidentialitySetting.objects.create(user=UserFactory(), level="secret"))


def test_category_helper_reads_the_fixture():
    assert category("042").name == "Law"
