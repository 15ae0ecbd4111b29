"""Health endpoints and the error handlers that keep every /api/ error JSON."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from konnaxion.core.errors import error_body
from konnaxion.core.health import health_report, readiness_report


@never_cache
@require_GET
def livez(request: HttpRequest) -> JsonResponse:
    """200 while the process answers; touches no database, Redis or storage."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when the database, Redis and the storage answer, 503 naming the one that did not.
    Workers are not asked: a load balancer keeps serving while they are down."""
    ready, checks = readiness_report()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For monitoring: readiness plus the workers and beat, from their heartbeats. 200 when all
    are alive, 503 otherwise (`checks` says which part failed); never writes, never queues."""
    healthy, report = health_report()
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", **report},
        status=200 if healthy else 503,
    )


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig) and _is_api(request):
        return JsonResponse(
            error_body("request_too_large", "The request body is too large."), status=413
        )
    if _is_api(request):
        return JsonResponse(error_body("bad_request", "The request is malformed."), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            error_body("permission_denied", "You do not have permission to do this."), status=403
        )
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body("not_found", "Not found."), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(
            error_body("server_error", "An unexpected error occurred; it has been logged."),
            status=500,
        )
    return defaults.server_error(request)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's rate limits (ACCOUNT_RATE_LIMITS): a 429 page, or the JSON error under /api/."""
    if _is_api(request):
        return JsonResponse(
            error_body("throttled", "Too many requests; try again later."), status=429
        )
    return render(request, "429.html", status=429)
