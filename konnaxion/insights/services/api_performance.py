"""API latency and errors: accumulated per (endpoint, hour) in Redis by the request-timing
middleware (no database write per request), rolled into api_perf_fact hourly.

Redis keys (at INSIGHTS_REDIS_URL, by default derived from REDIS_URL, docs/deploy.md;
every key expires after PERF_KEY_TTL):
- `perf:hours`                      set of pending hours, "YYYYMMDDHH";
- `perf:<hour>:endpoints`           set of "<METHOD> <route>" seen during the hour;
- `perf:<hour>:lat:<METHOD> <route>` list of latencies in milliseconds (RPUSH);
- `perf:<hour>:err:<METHOD> <route>` count of 5xx responses (INCR).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import cache

import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from konnaxion.insights.models import ApiPerfFact, DimEndpoint
from konnaxion.insights.services.partitions import date_id_of, partition_ensure

PERF_KEY_TTL = 48 * 3600
HOURS_KEY = "perf:hours"


@cache
def perf_redis() -> redis.Redis:
    """The Redis client of the performance counters (one per process)."""
    return redis.Redis.from_url(settings.INSIGHTS_REDIS_URL)


def hour_bucket(moment: datetime) -> str:
    """The UTC hour of `moment` as "YYYYMMDDHH"."""
    return moment.astimezone(UTC).strftime("%Y%m%d%H")


def request_timing_record(
    *, method: str, route: str, status: int, duration_ms: float, at: datetime | None = None
) -> None:
    """Count one request in its hour: one pipelined round trip to Redis."""
    hour = hour_bucket(at or timezone.now())
    endpoint = f"{method} {route}"
    latencies, errors, endpoints = (
        f"perf:{hour}:lat:{endpoint}",
        f"perf:{hour}:err:{endpoint}",
        f"perf:{hour}:endpoints",
    )
    pipe = perf_redis().pipeline(transaction=False)
    pipe.rpush(latencies, round(duration_ms, 2))
    if status >= 500:
        pipe.incr(errors)
        pipe.expire(errors, PERF_KEY_TTL)
    pipe.sadd(endpoints, endpoint)
    pipe.sadd(HOURS_KEY, hour)
    for key in (latencies, endpoints, HOURS_KEY):
        pipe.expire(key, PERF_KEY_TTL)
    pipe.execute()


def p95(values: list[float]) -> float:
    """The 95th percentile by the nearest-rank method."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.95 * len(ordered)) - 1, 0)]


@transaction.atomic
def _hour_store(*, hour: str, measures: dict[str, tuple[list[float], int]]) -> int:
    day = date(int(hour[:4]), int(hour[4:6]), int(hour[6:8]))
    partition_ensure(table="api_perf_fact", day=day)
    for endpoint_key, (latencies, errors) in measures.items():
        method, _, route = endpoint_key.partition(" ")
        endpoint, _ = DimEndpoint.objects.get_or_create(method=method, path=route[:300])
        ApiPerfFact.objects.update_or_create(
            date_id=date_id_of(day),
            hour_of_day=int(hour[8:10]),
            endpoint=endpoint,
            defaults={
                "p95_latency_ms": Decimal(str(p95(latencies))).quantize(Decimal("0.01")),
                "error_rate_pct": (Decimal(errors) * 100 / len(latencies)).quantize(
                    Decimal("0.01")
                ),
                "request_count": len(latencies),
            },
        )
    return len(measures)


def _text(value: bytes | str) -> str:
    # The client answers bytes; redis-py's own hints also allow text (decode_responses=True).
    return value.decode() if isinstance(value, bytes) else value


def api_perf_rollup(*, now: datetime | None = None) -> int:
    """Store every finished hour's counters as api_perf_fact rows, then drop them from Redis.

    Idempotent: a row per (date, hour, endpoint) is written or overwritten with the same values,
    and the counters are deleted only after the rows are committed. Returns the rows written.
    """
    client = perf_redis()
    current = hour_bucket(now or timezone.now())
    written = 0
    for raw_hour in sorted(client.smembers(HOURS_KEY)):
        hour = _text(raw_hour)
        if hour >= current:
            continue
        endpoints = sorted(_text(key) for key in client.smembers(f"perf:{hour}:endpoints"))
        measures = {}
        for endpoint in endpoints:
            latencies = [float(v) for v in client.lrange(f"perf:{hour}:lat:{endpoint}", 0, -1)]
            if latencies:
                errors = int(client.get(f"perf:{hour}:err:{endpoint}") or 0)
                measures[endpoint] = (latencies, min(errors, len(latencies)))
        written += _hour_store(hour=hour, measures=measures)
        keys = [
            f"perf:{hour}:{kind}:{endpoint}" for endpoint in endpoints for kind in ("lat", "err")
        ]
        client.delete(f"perf:{hour}:endpoints", *keys)
        client.srem(HOURS_KEY, hour)
    return written
