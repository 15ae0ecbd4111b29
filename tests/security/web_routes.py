"""Every page of the web front, read from the URL configuration: every route outside /api/,
/admin/ (and /ws/ and /static/, which are not Django URL patterns)."""

from __future__ import annotations

from django.urls import get_resolver

from tests.security.routes import _walk

NOT_WEB = ("api/", "admin/", "ws/", "static/")


def web_routes() -> set[str]:
    """The route of every web page, e.g. "projects/<slug:slug>/search/"."""
    return {
        route
        for route, _callback in _walk(get_resolver().url_patterns)
        if not route.startswith(NOT_WEB)
    }
