"""Refusals of the web pages that are a page of their own, whichever view met them."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from konnaxion.keenkonnect.selectors import TwoFactorRequired


class ProjectRefusalMiddleware:
    """A member of a project that requires two factors, without one, asking for any of its
    pages (the project, its documents, its search) gets a page that says so and links to the
    two-factor page, instead of the content (403; an outsider still gets the 404 page)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TwoFactorRequired):
            return render(request, "web/projects/two_factor_required.html", status=403)
        return None
