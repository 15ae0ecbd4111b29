"""Pages of the web front: thin adapters between forms, services and templates. Sign-up, sign-in
and sign-out are django-allauth's (web/urls.py, docs/accounts.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from konnaxion.kreative.services import intelligent_matching
from konnaxion.notifications.texts import notification_text
from konnaxion.web import dashboard

SUGGESTIONS_SHOWN = 3


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What Konnaxion is, for visitors; one's dashboard once signed in."""
    if not request.user.is_authenticated:
        return render(request, "web/home.html")
    user = request.user
    projects, more_projects = dashboard.projects_of(user=user)
    unread = dashboard.unread_notifications(user=user)
    context = {
        "projects": projects,
        "more_projects": more_projects,
        "rooms": dashboard.rooms_shown(user=user),
        "notifications": [
            (notification, notification_text(notification))
            for notification in unread[: dashboard.NOTIFICATIONS_SHOWN]
        ],
        "unread_count": unread.count(),
        "suggestions": intelligent_matching.suggestions_list(
            viewer=user,
            top_n=SUGGESTIONS_SHOWN,
            purpose=intelligent_matching.DEFAULT_PURPOSE,
            signals=frozenset(),
        ),
        "opportunities": dashboard.opportunities_closing_soon(user=user),
        "closing_soon_days": dashboard.closing_soon_window().days,
    }
    return render(request, "web/dashboard.html", context)
