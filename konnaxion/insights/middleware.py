"""Request timing for /api/: latency and status per resolved route, counted in Redis."""

from __future__ import annotations

import logging
import time

import redis

from konnaxion.insights.services.api_performance import request_timing_record

logger = logging.getLogger(__name__)
UNRESOLVED_ROUTE = "<unresolved>"


class RequestTimingMiddleware:
    """Times every /api/ request and records it under its URL route (`api/x/<pk>/`, not the
    raw path, so ids never widen the endpoint dimension). Nothing is written to the database;
    a Redis outage costs the measurement, never the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            match = getattr(request, "resolver_match", None)
            try:
                request_timing_record(
                    method=request.method,
                    route=(match.route if match else "") or UNRESOLVED_ROUTE,
                    status=response.status_code,
                    duration_ms=(time.perf_counter() - started) * 1000,
                )
            except redis.RedisError:
                logger.warning("request timing not recorded: Redis unavailable", exc_info=True)
        return response
