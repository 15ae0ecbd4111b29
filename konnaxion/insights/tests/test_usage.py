from datetime import date, timedelta

import pytest
from django.utils import timezone

from konnaxion.ethikos.models import EthikosStance
from konnaxion.ethikos.tests.factories import EthikosTopicFactory
from konnaxion.insights.models import UsageMauFact
from konnaxion.insights.services.usage import usage_mau_compute
from konnaxion.konnected.tests.factories import CoCreationProjectFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_mau_counts_distinct_active_users_per_domain_and_month():
    # given
    today = timezone.now().date()
    alice, bob = UserFactory(), UserFactory()
    topic = EthikosTopicFactory(created_by=alice)
    EthikosStance.objects.create(topic=topic, user=alice, value=1)
    EthikosStance.objects.create(topic=EthikosTopicFactory(created_by=alice), user=bob, value=2)
    CoCreationProjectFactory(owner=bob)
    # when
    rows = usage_mau_compute(month=today)
    again = usage_mau_compute(month=today)
    # then
    by_domain = {row.domain.domain_code: row for row in rows}
    assert by_domain["ethikos"].mau == 2
    assert by_domain["konnected"].projects_created == 1
    assert by_domain["kreative"].mau == 0
    assert len(again) == len(rows) == UsageMauFact.objects.count()


def test_activity_of_another_month_is_not_counted():
    # given
    EthikosTopicFactory()
    last_month = timezone.now().date().replace(day=1) - timedelta(days=1)
    # when
    rows = usage_mau_compute(month=last_month)
    # then
    assert all(row.mau == 0 for row in rows)
    assert {row.month_id for row in rows} == {
        int(date(last_month.year, last_month.month, 1).strftime("%Y%m%d"))
    }
