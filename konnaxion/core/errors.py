"""The one error hierarchy: every domain error has a stable code and an HTTP status."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A refusal the caller can act on, rendered as `{"error": {"code", "message", "details"}}`."""

    code = "error"
    status = 400
    message = "The request could not be processed."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message or self.message
        self.code = code or self.code
        self.status = status or self.status
        self.details = details or {}
        super().__init__(self.message)


class ValidationFailed(ApplicationError):
    code = "invalid"
    status = 400
    message = "The request is not valid."


class NotFound(ApplicationError):
    """Also what the caller hears about objects it may not know exist."""

    code = "not_found"
    status = 404
    message = "Not found."


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403
    message = "You do not have permission to do this."


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    message = "The request conflicts with the current state."


class Gone(ApplicationError):
    """What existed here is gone for good (an expired download link)."""

    code = "gone"
    status = 410
    message = "This is no longer available."


class Locked(ApplicationError):
    """The object is checked out by someone else (WebDAV's 423): `details` says by whom and
    until when."""

    code = "locked"
    status = 423
    message = "This is locked by someone else."


class PayloadTooLarge(ApplicationError):
    code = "request_too_large"
    status = 413
    message = "The request body is too large."


class UnsupportedMediaType(ApplicationError):
    code = "unsupported_media_type"
    status = 415
    message = "This media type is not accepted here."


class ServiceUnavailable(ApplicationError):
    code = "service_unavailable"
    status = 503
    message = "A service this request needs is unavailable; try again shortly."


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON body of every error, everywhere."""
    return {"error": {"code": code, "message": message, "details": details or {}}}
