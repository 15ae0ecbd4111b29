"""The database itself refuses what ethiKos forbids."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from konnaxion.ethikos.models import EthikosArgument, EthikosStance
from konnaxion.ethikos.tests.factories import (
    ConsultationFactory,
    EthikosArgumentFactory,
    EthikosTopicFactory,
)
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [-4, 4, 100])
def test_stance_value_outside_minus_3_plus_3_is_refused(value):
    # given
    topic, user = EthikosTopicFactory(), UserFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        EthikosStance.objects.create(topic=topic, user=user, value=value)


def test_one_stance_per_user_and_topic():
    # given
    topic, user = EthikosTopicFactory(), UserFactory()
    EthikosStance.objects.create(topic=topic, user=user, value=3)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        EthikosStance.objects.create(topic=topic, user=user, value=-3)


def test_a_reply_parent_in_another_topic_is_refused_by_the_database():
    # given
    parent = EthikosArgumentFactory()
    other_topic = EthikosTopicFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        EthikosArgument.objects.create(
            topic=other_topic, author=UserFactory(), content="x", parent=parent
        )
    assert not EthikosArgument.objects.filter(topic=other_topic).exists()


def test_argument_side_and_topic_status_are_checked():
    # given
    topic = EthikosTopicFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        EthikosArgument.objects.create(topic=topic, author=UserFactory(), content="x", side="neu")
    with pytest.raises(IntegrityError), transaction.atomic():
        EthikosTopicFactory(status="pending")


def test_consultation_close_date_follows_open_date():
    # given
    consultation = ConsultationFactory.build()
    consultation.created_by.save()
    consultation.close_date = consultation.open_date - timedelta(minutes=1)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        consultation.save()
