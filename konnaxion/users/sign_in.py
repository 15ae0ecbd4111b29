"""Sign-in lockout: how django-axes records failures and what a locked-out caller is told.

Axes (configured in `config/settings/base.py`, "Sign-in lockout") counts failed sign-ins per
username and per client address in PostgreSQL. Its backend refuses a locked username or
address before the password is checked, and its middleware then asks `lockout_response` for the
answer: a 429 with `Retry-After`, the JSON error body under `/api/`, a page elsewhere.
"""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from konnaxion.core.errors import error_body
from konnaxion.users.models import User

TOO_MANY_ATTEMPTS = "too_many_attempts"


class SignInLockoutBackend(AxesStandaloneBackend):
    """Axes' backend, refusing locked usernames and addresses. A sign-in without a request
    (server-side code such as the test client's `login`) has no address and no caller to
    lock out: it is left to the next backends instead of being refused."""

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


class SignInAttemptsHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful sign-in forgets only the failures
    against that username: forgetting those of the address too would let someone with an
    account of their own reset their address's count between guesses at other accounts."""

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def sign_in_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The account an attempt is counted against (AXES_USERNAME_CALLABLE), so that failures
    count per account whichever way it was named: the web form's `login` field (a username or
    an email address, allauth), `username` (the API token) or `email`. A name that
    matches an account, in any case, is that account's username; others count as typed."""
    given = credentials or {}
    data = getattr(request, "data", None) or request.POST
    login = (
        given.get("username")
        or given.get("email")
        or given.get("login")
        or data.get("login")
        or data.get("username")
    )
    if not login or not isinstance(login, str):
        return None
    by_name = Q(email__iexact=login) if "@" in login else Q(username__iexact=login)
    usernames = list(User.objects.filter(by_name).values_list("username", flat=True)[:2])
    return usernames[0] if len(usernames) == 1 else login


def retry_after_seconds(request: HttpRequest) -> int:
    """Seconds until a locked caller may try again. Every refused attempt is recorded as a new
    failure, so the lock lasts at most one cool-off from now."""
    cool_off = get_cool_off(request)
    return max(1, math.ceil(cool_off.total_seconds())) if cool_off else 0


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The answer to a sign-in refused by the lockout (AXES_LOCKOUT_CALLABLE)."""
    retry_after = retry_after_seconds(request)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            error_body(
                TOO_MANY_ATTEMPTS,
                "Too many failed sign-in attempts for this account or from this address; "
                "try again later.",
                {"retry_after": retry_after},
            ),
            status=429,
        )
    else:
        response = render(
            request,
            "web/sign_in_locked.html",
            {"retry_after_minutes": max(1, math.ceil(retry_after / 60))},
            status=429,
        )
    response["Retry-After"] = str(retry_after)
    return response
