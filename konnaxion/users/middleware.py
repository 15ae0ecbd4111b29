"""The sessions page's "last seen" (allauth.usersessions), recorded at most once a minute.

allauth's own middleware (USERSESSIONS_TRACK_ACTIVITY) reads and writes a session's row on
every request of a signed-in person. This one does the same at most once per
SESSION_ACTIVITY_SECONDS per session, remembered in the cache: a page costs no database write
in between. While Redis is unreachable the cache forgets (konnaxion/core/cache.py) and every
request records activity, as allauth's would.
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.usersessions.internal.usersessionkit import track_activity
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse


class SessionActivityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is not None and user.is_authenticated and session and session.session_key:
            key = f"session-activity:{session.session_key}"
            if cache.get(key) is None:
                track_activity(request, user=user, session=session)
                cache.set(key, 1, settings.SESSION_ACTIVITY_SECONDS)
        return self.get_response(request)
