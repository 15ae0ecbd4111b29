"""Partitions of the fact tables: monthly for smart_vote_fact and api_perf_fact, yearly for
usage_mau_fact, on the YYYYMMDD keys of dim_date. Creating them is idempotent."""

from __future__ import annotations

from datetime import date

from django.db import connection

MONTHLY = ("smart_vote_fact", "api_perf_fact")
YEARLY = ("usage_mau_fact",)
MONTHS_AHEAD = 3


def date_id_of(day: date) -> int:
    """The dim_date key of `day` (YYYYMMDD)."""
    return day.year * 10000 + day.month * 100 + day.day


def month_add(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def partition_name(table: str, day: date) -> str:
    """The partition holding `day`: smart_vote_fact_y2025m03, usage_mau_fact_y2025."""
    if table in YEARLY:
        return f"{table}_y{day.year}"
    return f"{table}_y{day.year}m{day.month:02d}"


def partition_ensure(*, table: str, day: date) -> str:
    """Create the partition of `table` holding `day` unless it exists; return its name."""
    if table not in MONTHLY + YEARLY:
        raise ValueError(f"{table} is not a partitioned fact table")
    if table in YEARLY:
        low, high = date(day.year, 1, 1), date(day.year + 1, 1, 1)
    else:
        low, high = date(day.year, day.month, 1), month_add(day, 1)
    name = partition_name(table, day)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {table} "
            f"FOR VALUES FROM ({date_id_of(low)}) TO ({date_id_of(high)})"
        )
    return name


def fact_partitions_ensure(*, today: date, months_ahead: int = MONTHS_AHEAD) -> list[str]:
    """Partitions for the month of `today` and the `months_ahead` following (and their years)."""
    names = []
    for offset in range(months_ahead + 1):
        month = month_add(today, offset)
        names += [partition_ensure(table=table, day=month) for table in MONTHLY + YEARLY]
    return sorted(set(names))
