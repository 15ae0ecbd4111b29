"""The DRF exception handler: every API error becomes the uniform JSON error body."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import Http404
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from konnaxion.core.errors import ApplicationError, ServiceUnavailable, error_body

logger = logging.getLogger(__name__)

# A store the request needs went away (a dropped PostgreSQL connection, an unreachable Redis):
# the caller may retry; the transaction was rolled back, so nothing was half written.
SERVICE_UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render `exc` as `{"error": {...}}` in JSON, whatever the view's renderers (the schema
    view's YAML, a download's bytes) or the `Accept` header; unknown exceptions propagate and
    become a JSON 500."""
    response = _error_response(exc)
    request = context.get("request")
    if response is not None and request is not None:
        # DRF renders the response with the renderer it negotiated for the view's success.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    return response


def _error_response(exc: Exception) -> Response | None:
    if isinstance(exc, SERVICE_UNAVAILABLE):
        logger.error("a service this request needs failed: %r", exc)
        exc = ServiceUnavailable()
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            error_body("request_too_large", "The request body is too large."),
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    if isinstance(exc, exceptions.ValidationError):
        code, message, details = "invalid", "The request is not valid.", {"fields": exc.detail}
        if isinstance(exc.detail, list):
            details = {"non_field_errors": exc.detail}
    else:
        code = exc.default_code
        message = str(exc.detail)
        details = {"retry_after": int(exc.wait)} if getattr(exc, "wait", None) else {}
    return Response(error_body(code, message, details), status=exc.status_code, headers=headers)
