"""The database itself refuses what the Smart Vote invariants forbid."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from konnaxion.smart_vote.models import IntegrationMapping, Vote, VoteModality, VoteResult
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def make_vote(user, target_id="1") -> Vote:
    return Vote.objects.create(
        user=user,
        target_type="ethikos.topic",
        target_id=target_id,
        modality=VoteModality.objects.get(name="approval"),
        raw_value=1,
        weight=Decimal("1"),
        weighted_value=Decimal("1"),
    )


def test_migrate_loads_the_four_modalities():
    assert sorted(VoteModality.objects.values_list("name", flat=True)) == [
        "approval",
        "preferential",
        "ranking",
        "rating",
    ]


def test_one_vote_per_user_and_target():
    user = UserFactory()
    make_vote(user)
    refused(lambda: make_vote(user))


def test_one_result_per_target():
    VoteResult.objects.create(target_type="ethikos.topic", target_id="1")
    refused(lambda: VoteResult.objects.create(target_type="ethikos.topic", target_id="1"))


def test_modality_name_is_unique_and_from_the_choices():
    refused(lambda: VoteModality.objects.create(name="approval"))
    refused(lambda: VoteModality.objects.create(name="quadratic"))


def test_integration_mapping_is_unique_per_module_and_context():
    IntegrationMapping.objects.create(module_name="kreative", context_type="artwork")
    refused(
        lambda: IntegrationMapping.objects.create(module_name="kreative", context_type="artwork")
    )


def test_an_emerging_expert_is_flagged_once_per_category_and_day():
    from django.utils import timezone

    from konnaxion.ekoh.tests.factories import category
    from konnaxion.smart_vote.models import EmergingExpert

    user = UserFactory()
    flag = {"user": user, "category": category(), "detection_date": timezone.localdate()}
    EmergingExpert.objects.create(**flag, score_delta=Decimal("5"))
    refused(lambda: EmergingExpert.objects.create(**flag, score_delta=Decimal("6")))
