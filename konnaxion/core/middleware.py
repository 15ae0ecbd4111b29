"""Response headers every page and API answer carries, and addresses no view may see."""

import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    """Content-Security-Policy (no framing; scripts from this site, plus inline ones carrying
    the request's nonce) and a strict Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY.replace(
            "script-src 'self'", f"script-src 'self' 'nonce-{request.csp_nonce}'", 1
        )
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RejectNulBytesMiddleware:
    """A 400 for a path holding U+0000 (`%00`), and under /api/ for a query string holding one.

    PostgreSQL stores no NUL in text, so such a value reaching a query (a username from the
    path, a search term, a filter) fails there as a 500; no address of the platform has a use
    for one. Raised as BadRequest, so the answer is Django's 400: the JSON error body under
    /api/, the 400 page elsewhere. The web pages' query strings go through forms, which refuse
    NUL themselves and show the form again with its error.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or (
            request.path.startswith("/api/")
            and any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            raise BadRequest("The address holds a NUL character.")
        return self.get_response(request)
