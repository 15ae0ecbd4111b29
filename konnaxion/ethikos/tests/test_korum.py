from datetime import timedelta

import pytest
from django.utils import timezone

from konnaxion.core.errors import Conflict, ValidationFailed
from konnaxion.ethikos.models import EthikosArgumentReport, EthikosStance
from konnaxion.ethikos.selectors import arguments_visible_to
from konnaxion.ethikos.services.korum import argument_post, argument_report, stance_set
from konnaxion.ethikos.tests.factories import EthikosArgumentFactory, EthikosTopicFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_stance_is_replaced_when_set_again():
    # given
    topic, user = EthikosTopicFactory(), UserFactory()
    stance_set(topic=topic, user=user, value=2)
    # when
    stance_set(topic=topic, user=user, value=-1)
    # then
    assert list(EthikosStance.objects.values_list("value", flat=True)) == [-1]


@pytest.mark.parametrize("status", ["closed", "archived"])
def test_no_stance_on_a_topic_that_is_not_open(status):
    # given
    topic = EthikosTopicFactory(status=status)
    # when / then
    with pytest.raises(Conflict):
        stance_set(topic=topic, user=UserFactory(), value=1)
    assert not EthikosStance.objects.exists()


def test_no_argument_after_the_end_date():
    # given
    topic = EthikosTopicFactory(end_date=timezone.now() - timedelta(minutes=1))
    # when / then
    with pytest.raises(Conflict):
        argument_post(topic=topic, author=UserFactory(), content="late")


def test_a_reply_to_an_argument_of_another_topic_is_refused():
    # given
    parent = EthikosArgumentFactory()
    # when / then
    with pytest.raises(ValidationFailed):
        argument_post(topic=EthikosTopicFactory(), author=UserFactory(), content="x", parent=parent)


def test_argument_is_hidden_once_three_distinct_users_reported_it():
    # given
    argument = EthikosArgumentFactory()
    reporters = UserFactory.create_batch(3)
    # when
    argument_report(argument=argument, reporter=reporters[0])
    argument_report(argument=argument, reporter=reporters[1])
    with pytest.raises(Conflict):
        argument_report(argument=argument, reporter=reporters[1])
    argument.refresh_from_db()
    hidden_after_two = argument.is_hidden
    argument_report(argument=argument, reporter=reporters[2])
    # then
    argument.refresh_from_db()
    assert hidden_after_two is False
    assert argument.is_hidden is True
    assert EthikosArgumentReport.objects.filter(argument=argument).count() == 3
    assert not arguments_visible_to(user=UserFactory()).filter(pk=argument.pk).exists()
    assert arguments_visible_to(user=argument.author).filter(pk=argument.pk).exists()


def test_authors_cannot_report_their_own_argument():
    # given
    argument = EthikosArgumentFactory()
    # when / then
    with pytest.raises(ValidationFailed):
        argument_report(argument=argument, reporter=argument.author)
    assert not EthikosArgumentReport.objects.exists()
