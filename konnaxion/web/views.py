"""Pages of the web front: thin adapters between forms, services and templates. Sign-up, sign-in
and sign-out are django-allauth's (web/urls.py, docs/accounts.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html")
