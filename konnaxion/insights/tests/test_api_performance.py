"""Request timing: counted in Redis per resolved route and hour, rolled into api_perf_fact."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from konnaxion.insights.models import ApiPerfFact, DimEndpoint
from konnaxion.insights.services.api_performance import (
    HOURS_KEY,
    api_perf_rollup,
    hour_bucket,
    p95,
    perf_redis,
    request_timing_record,
)
from konnaxion.insights.tasks import api_perf_rollup_task


@pytest.fixture(autouse=True)
def _empty_counters():
    perf_redis().flushdb()
    yield
    perf_redis().flushdb()


def test_counters_live_in_their_own_redis_database():
    # given
    at = datetime.now(UTC)
    # when
    request_timing_record(method="GET", route="api/ping/", status=200, duration_ms=3.0, at=at)
    # then
    assert settings.INSIGHTS_REDIS_URL.endswith(("/3", "db=3"))
    counters = redis.Redis.from_url(settings.INSIGHTS_REDIS_URL)
    assert counters.smembers(HOURS_KEY) == {hour_bucket(at).encode()}


def test_p95_is_the_nearest_rank():
    assert p95([float(n) for n in range(1, 101)]) == 95.0
    assert p95([5.0]) == 5.0
    assert p95([1.0, 2.0]) == 2.0


@pytest.mark.django_db
def test_requests_are_counted_per_route_without_writing_the_database(user_client, user):
    # given
    from konnaxion.ethikos.tests.factories import EthikosTopicFactory

    topics = EthikosTopicFactory.create_batch(2)
    # when
    with CaptureQueriesContext(connection) as queries:
        for topic in topics:
            user_client.get(f"/api/ethikos/topics/{topic.pk}/")
        user_client.get("/api/ethikos/topics/999999/")
    # then
    route = "GET api/ethikos/topics/(?P<pk>[^/.]+)/$"
    hours = [value.decode() for value in perf_redis().smembers(HOURS_KEY)]
    endpoints = {
        value.decode()
        for hour in hours
        for value in perf_redis().smembers(f"perf:{hour}:endpoints")
    }
    assert endpoints == {route}
    assert sum(perf_redis().llen(f"perf:{hour}:lat:{route}") for hour in hours) == 3
    assert not any(
        "insights" in query["sql"] or "api_perf" in query["sql"]
        for query in queries.captured_queries
    )


@pytest.mark.django_db(transaction=True)
def test_rollup_writes_p95_error_rate_and_count_per_hour_on_a_real_worker(celery_worker):
    # given: twenty requests two hours ago, one of them a 500
    past = datetime.now(UTC) - timedelta(hours=2)
    for latency in range(1, 21):
        request_timing_record(
            method="GET",
            route="api/ethikos/^topics/$",
            status=500 if latency == 3 else 200,
            duration_ms=float(latency),
            at=past,
        )
    unfinished = datetime.now(UTC) + timedelta(hours=1)
    request_timing_record(method="POST", route="api/x/", status=201, duration_ms=4, at=unfinished)
    # when
    written = api_perf_rollup_task.delay().get(timeout=60)
    again = api_perf_rollup_task.delay().get(timeout=60)
    # then
    assert (written, again) == (1, 0)
    fact = ApiPerfFact.objects.select_related("endpoint", "date").get()
    assert (fact.endpoint.method, fact.endpoint.path) == ("GET", "api/ethikos/^topics/$")
    assert fact.date.calendar_date == past.date()
    assert fact.hour_of_day == past.hour
    assert fact.request_count == 20
    assert fact.p95_latency_ms == Decimal("19.00")
    assert fact.error_rate_pct == Decimal("5.00")
    # an hour that is not over stays in Redis
    assert perf_redis().smembers(HOURS_KEY) == {hour_bucket(unfinished).encode()}


@pytest.mark.django_db
def test_rolling_the_same_hour_again_overwrites_instead_of_duplicating():
    # given
    past = datetime.now(UTC) - timedelta(hours=3)
    request_timing_record(method="GET", route="api/a/", status=200, duration_ms=10, at=past)
    api_perf_rollup()
    request_timing_record(method="GET", route="api/a/", status=503, duration_ms=30, at=past)
    # when
    api_perf_rollup()
    # then
    fact = ApiPerfFact.objects.get()
    assert (fact.request_count, fact.error_rate_pct) == (1, Decimal("100.00"))
    assert DimEndpoint.objects.count() == 1
