"""The fact tables are real PostgreSQL declarative partitions, created ahead idempotently."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from konnaxion.insights.models import ApiPerfFact, DimDate, DimDomain, SmartVoteFact
from konnaxion.insights.reference_data import DOMAIN_CODES
from konnaxion.insights.services.partitions import date_id_of, fact_partitions_ensure
from konnaxion.insights.tasks import fact_partitions_ensure_task
from konnaxion.insights.tests.factories import DimEndpointFactory

pytestmark = pytest.mark.django_db


def _query(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _partitions_of(table: str) -> set[str]:
    return {
        name
        for (name,) in _query(
            "SELECT child.relname FROM pg_inherits "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE parent.relname = %s AND child.relkind = 'r'",
            [table],
        )
    }


def test_fact_tables_are_range_partitioned():
    # when
    strategies = dict(
        _query(
            "SELECT c.relname, p.partstrat FROM pg_partitioned_table p "
            "JOIN pg_class c ON c.oid = p.partrelid"
        )
    )
    # then
    for table in ("smart_vote_fact", "usage_mau_fact", "api_perf_fact"):
        assert strategies[table] == "r"


def test_primary_keys_include_the_partition_key_and_named_indexes_exist():
    # when
    keys = dict(
        _query(
            "SELECT tc.table_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) "
            "FROM information_schema.table_constraints tc "
            "JOIN information_schema.key_column_usage kcu USING (constraint_name, table_name) "
            "WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_name IN "
            "('smart_vote_fact', 'usage_mau_fact', 'api_perf_fact') GROUP BY tc.table_name"
        )
    )
    indexes = {name for (name,) in _query("SELECT indexname FROM pg_indexes")}
    # then
    assert keys == {
        "smart_vote_fact": "id,date_id",
        "usage_mau_fact": "id,month_id",
        "api_perf_fact": "id,date_id",
    }
    assert {
        "smart_vote_fact_domain_date",
        "usage_mau_fact_month_domain",
        "api_perf_fact_endpoint_hour",
    } <= indexes


def test_partitions_are_monthly_and_yearly_and_rows_land_in_them():
    # given
    fact_partitions_ensure(today=date(2024, 2, 10), months_ahead=0)
    endpoint = DimEndpointFactory()
    # when
    ApiPerfFact.objects.create(
        date_id=date_id_of(date(2024, 2, 29)),
        hour_of_day=23,
        endpoint=endpoint,
        p95_latency_ms=12,
        error_rate_pct=0,
        request_count=3,
    )
    # then
    assert "smart_vote_fact_y2024m02" in _partitions_of("smart_vote_fact")
    assert "usage_mau_fact_y2024" in _partitions_of("usage_mau_fact")
    assert _query("SELECT count(*) FROM api_perf_fact_y2024m02") == [(1,)]


def test_a_row_without_a_partition_is_refused():
    # given: no partition for 2031
    assert "api_perf_fact_y2031m05" not in _partitions_of("api_perf_fact")
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiPerfFact.objects.create(
            date_id=20310501,
            hour_of_day=1,
            endpoint=DimEndpointFactory(),
            p95_latency_ms=1,
            error_rate_pct=0,
            request_count=1,
        )


def test_check_constraints_hold_on_the_partitions():
    # given
    fact_partitions_ensure(today=date(2024, 3, 1), months_ahead=0)
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        ApiPerfFact.objects.create(
            date_id=20240301,
            hour_of_day=24,
            endpoint=DimEndpointFactory(),
            p95_latency_ms=1,
            error_rate_pct=0,
            request_count=1,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SmartVoteFact.objects.create(
            date_id=20240301,
            target_type="ethikos.topic",
            question_id="00000000-0000-0000-0000-000000000001",
            user_hash="00000000-0000-0000-0000-000000000002",
            vote_value=1,
            weighted_value=1,
            score_normalised=2,
        )


def test_dimensions_are_filled():
    # then
    assert DimDate.objects.count() == (date(2035, 12, 31) - date(2020, 1, 1)).days + 1
    day = DimDate.objects.get(date_id=20210103)
    assert (day.calendar_date, day.iso_year, day.iso_week, day.day_of_week, day.quarter) == (
        date(2021, 1, 3),
        2020,
        53,
        7,
        1,
    )
    assert day.week == int(date(2021, 1, 3).strftime("%W"))
    assert set(DimDomain.objects.values_list("domain_code", flat=True)) == set(DOMAIN_CODES)


@pytest.mark.django_db(transaction=True)
def test_the_beat_task_creates_partitions_ahead_idempotently(celery_worker):
    # given
    before = _partitions_of("smart_vote_fact")
    # when
    first = fact_partitions_ensure_task.delay().get(timeout=60)
    second = fact_partitions_ensure_task.delay().get(timeout=60)
    # then
    assert first == second
    assert len([name for name in first if name.startswith("smart_vote_fact_")]) == 4
    assert set(first) - {"x"} <= (
        _partitions_of("smart_vote_fact")
        | _partitions_of("api_perf_fact")
        | _partitions_of("usage_mau_fact")
    )
    assert before <= _partitions_of("smart_vote_fact")
