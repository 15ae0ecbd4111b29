"""Every HTTP endpoint under /api/ and every WebSocket route, read from the URL configuration."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from config.websocket_urls import websocket_urlpatterns

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Endpoint:
    route: str  # e.g. "api/users/me/"
    method: str  # upper case


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.callback


def _methods(callback) -> list[str]:
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    actions = getattr(callback, "actions", None)
    if actions:  # a DRF viewset route: the methods its router bound and the view allows
        # DRF adds "head" (GET's own handler) to this dict on the first request a route
        # serves, so it is left out: it would appear or not depending on which tests ran first.
        allowed = getattr(view_class, "http_method_names", HTTP_METHODS)
        return sorted(
            method.upper() for method in actions if method in allowed and method in HTTP_METHODS
        )
    if view_class is not None:
        return sorted(method.upper() for method in HTTP_METHODS if hasattr(view_class, method))
    return ["GET"]


def api_endpoints() -> set[Endpoint]:
    """(route, method) for every API view, as the URL configuration declares them."""
    found = set()
    for route, callback in _walk(get_resolver().url_patterns):
        if not route.startswith("api/") or "<drf_format_suffix:" in route:
            continue
        for method in _methods(callback):
            found.add(Endpoint(route, method))
    return found


def websocket_routes() -> set[str]:
    return {str(pattern.pattern) for pattern in websocket_urlpatterns}
