from datetime import date

import pytest
from rest_framework.test import APIClient

from konnaxion.core.tests.querycount import assert_flat_query_count
from konnaxion.insights.models import ApiPerfFact, DimDomain, SmartVoteFact, UsageMauFact
from konnaxion.insights.services.partitions import fact_partitions_ensure
from konnaxion.insights.tests.factories import DimEndpointFactory
from konnaxion.users.tests.factories import UserFactory, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(UserFactory(is_staff=True))}")
    return client


def _rows(kind):
    fact_partitions_ensure(today=date(2024, 1, 1), months_ahead=11)
    domain = DimDomain.objects.first()
    counter = iter(range(10_000))

    def make(count):
        for _ in range(count):
            n = next(counter)
            if kind == "endpoints":
                DimEndpointFactory()
            elif kind == "smart-vote":
                SmartVoteFact.objects.create(
                    date_id=20240101 + n % 28,
                    domain=domain,
                    target_type="ethikos.topic",
                    question_id=f"00000000-0000-0000-0000-{n:012d}",
                    user_hash=f"00000000-0000-0000-0001-{n:012d}",
                    vote_value=1,
                    weighted_value=1,
                    score_normalised=1,
                )
            elif kind == "usage-mau":
                UsageMauFact.objects.create(
                    month_id=20200101 + (n // 12) * 10000 + (n % 12) * 100,
                    domain=domain,
                    mau=n,
                )
            elif kind == "api-perf":
                ApiPerfFact.objects.create(
                    date_id=20240101,
                    hour_of_day=n % 24,
                    endpoint=DimEndpointFactory(),
                    p95_latency_ms=1,
                    error_rate_pct=0,
                    request_count=1,
                )

    return make


@pytest.mark.parametrize("kind", ["endpoints", "smart-vote", "usage-mau", "api-perf"])
def test_list_query_count_is_flat(kind, staff_client, django_assert_max_num_queries):
    if kind == "usage-mau":
        for year in range(2020, 2025):
            fact_partitions_ensure(today=date(year, 1, 1), months_ahead=0)
    assert_flat_query_count(
        staff_client, f"/api/insights/{kind}/", _rows(kind), django_assert_max_num_queries
    )


@pytest.mark.parametrize("kind", ["domains", "endpoints", "smart-vote", "usage-mau", "api-perf"])
def test_reports_are_for_staff_only(kind, user_client, api_client):
    assert api_client.get(f"/api/insights/{kind}/").status_code == 401
    assert user_client.get(f"/api/insights/{kind}/").status_code == 403


def test_smart_vote_facts_filter_by_domain_and_dates(staff_client):
    # given
    _rows("smart-vote")(3)
    # when
    body = staff_client.get(
        "/api/insights/smart-vote/?since=2024-01-02&until=2024-01-02&domain="
        + DimDomain.objects.first().domain_code
    ).json()
    # then
    assert body["count"] == 1
    assert body["results"][0]["date"] == "2024-01-02"
    assert staff_client.get("/api/insights/smart-vote/?since=soon").status_code == 400
