"""Every Smart Vote ballot appends an anonymised smart_vote_fact row in its transaction."""

from decimal import Decimal

import pytest
from django.utils import timezone

from konnaxion.core.errors import ValidationFailed
from konnaxion.insights.models import SmartVoteFact
from konnaxion.insights.services.facts import question_id_of, user_hash
from konnaxion.insights.services.partitions import date_id_of
from konnaxion.smart_vote.services.voting import vote_cast
from konnaxion.smart_vote.tests.factories import IntegrationMappingFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_vote_appends_a_fact_with_a_keyed_user_hash():
    # given
    IntegrationMappingFactory(
        module_name="ethikos",
        context_type="topic",
        mapping_details={"modality": "rating"},
    )
    user = UserFactory()
    # when
    vote_cast(user=user, target_type="ethikos.topic", target_id="7", raw_value=4)
    vote_cast(user=user, target_type="ethikos.topic", target_id="7", raw_value=5)
    # then
    facts = list(SmartVoteFact.objects.order_by("created_at"))
    assert [fact.vote_value for fact in facts] == [Decimal("4"), Decimal("5")]
    assert [fact.score_normalised for fact in facts] == [Decimal("0.75"), Decimal("1")]
    first = facts[0]
    assert first.domain.domain_code == "ethikos"
    assert first.date_id == date_id_of(timezone.now().date())
    assert first.question_id == question_id_of(target_type="ethikos.topic", target_id="7")
    assert first.user_hash == user_hash(user_id=user.pk)
    assert first.weighted_value == Decimal("4.000")


def test_user_hash_is_not_a_plain_hash_of_the_id():
    # given
    import hashlib
    import uuid

    # when
    hashed = user_hash(user_id=42)
    # then
    assert hashed == user_hash(user_id=42) != user_hash(user_id=43)
    for algorithm in ("md5", "sha1", "sha256"):
        digest = hashlib.new(algorithm, b"42").digest()
        assert hashed != uuid.UUID(bytes=digest[:16])


def test_a_refused_vote_appends_nothing():
    # given
    IntegrationMappingFactory(module_name="kreative", context_type="artwork")
    # when / then
    with pytest.raises(ValidationFailed):
        vote_cast(user=UserFactory(), target_type="kreative.artwork", target_id="1", raw_value=7)
    assert not SmartVoteFact.objects.exists()


def test_a_target_outside_the_known_domains_has_no_domain():
    # given
    IntegrationMappingFactory(module_name="elsewhere", context_type="thing")
    # when
    vote_cast(user=UserFactory(), target_type="elsewhere.thing", target_id="1", raw_value=1)
    # then
    assert SmartVoteFact.objects.get().domain is None
