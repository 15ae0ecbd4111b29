"""The People tab's suggestions panel: explained people suggestions, followed or dismissed in
place.

Thin adapters over the services behind /api/connect/suggestions/ (intelligent_matching) and
/api/connect/follows/ (professional_profile). After a follow or a dismissal the whole panel is
rendered again, so the person leaves it and the next suggestion takes the free place; after a
follow, the person's Follow button elsewhere on the page (their card in the People list) comes
along as an htmx out-of-band swap, so it says "Unfollow" without a reload.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from konnaxion.core.errors import ApplicationError, NotFound
from konnaxion.kreative import selectors
from konnaxion.kreative.models import Follow
from konnaxion.kreative.services import intelligent_matching, professional_profile
from konnaxion.kreative.services.intelligent_matching import PURPOSES
from konnaxion.users.models import User
from konnaxion.web.page_tools import is_htmx

PURPOSE_LABELS = {
    "follow": gettext_lazy("To follow"),
    "collaborate": gettext_lazy("To work with"),
}


def _purpose(value: str | None) -> str:
    return value if value in PURPOSES else intelligent_matching.DEFAULT_PURPOSE


def suggestions_context(
    request: HttpRequest, *, purpose: str | None = None, notice: str = "", error: str = ""
) -> dict:
    """What the panel shows: the visitor's suggestions for `purpose`, each with its reasons."""
    purpose = _purpose(purpose if purpose is not None else request.GET.get("purpose"))
    context = {"suggestion_purpose": purpose, "suggestion_purposes": PURPOSE_LABELS}
    if not request.user.is_authenticated:
        return context
    people = intelligent_matching.suggestions_list(
        viewer=request.user,
        top_n=settings.AI_SUGGESTION_TOP_N,
        purpose=purpose,
        signals=frozenset(),
    )
    return context | {
        "suggestions": people,
        "suggestion_notice": notice,
        "suggestion_error": error,
    }


def _panel(request: HttpRequest, **context: object) -> HttpResponse:
    return render(request, "web/connect/_suggestions.html", suggestions_context(request, **context))


def _people_tab(purpose: str) -> str:
    return f"{reverse('web:connect')}?tab=people&purpose={purpose}"


@require_GET
def suggestions(request: HttpRequest) -> HttpResponse:
    """The panel alone (htmx: the purpose switch); the People tab for a plain request."""
    purpose = _purpose(request.GET.get("purpose"))
    if not is_htmx(request):
        return redirect(_people_tab(purpose))
    return _panel(request, purpose=purpose)


def _suggested_person(request: HttpRequest, username: str) -> User:
    try:
        return selectors.user_get_visible(viewer=request.user, username=username)
    except NotFound as missing:
        raise Http404(_("No such person.")) from missing


def _follow_button_out_of_band(request: HttpRequest, person: User) -> str:
    """The person's Follow button (`#follow-<id>`, web/connect/_follow.html) as it now stands,
    for htmx to put in place of the one on the page, if any."""
    context = {
        "person": person,
        "following": Follow.objects.filter(follower=request.user, followee=person).exists(),
        "out_of_band": True,
        # The page the button is on, not this answer's address (a POST-only one).
        "follow_next": _people_tab(_purpose(request.POST.get("purpose"))),
    }
    return render_to_string("web/connect/_follow.html", context, request=request)


def _answer(
    request: HttpRequest, purpose: str, *, notice: str, error: str, person: User | None = None
) -> HttpResponse:
    if is_htmx(request):
        panel = _panel(request, purpose=purpose, notice=notice, error=error)
        if person is not None:
            panel.content += _follow_button_out_of_band(request, person).encode()
        return panel
    (messages.error if error else messages.success)(request, error or notice)
    return redirect(_people_tab(purpose))


@require_POST
def suggestion_follow(request: HttpRequest, username: str) -> HttpResponse:
    """Follow a suggested person; the panel comes back without them."""
    purpose = _purpose(request.POST.get("purpose"))
    if not request.user.is_authenticated:
        return redirect_to_login(_people_tab(purpose))
    other = _suggested_person(request, username)
    notice = error = ""
    try:
        professional_profile.follow_create(follower=request.user, followee=other)
    except NotFound as missing:
        raise Http404(_("No such person.")) from missing
    except ApplicationError:
        error = _("You cannot follow yourself.")
    else:
        notice = _("You follow %(name)s.") % {"name": username}
    return _answer(request, purpose, notice=notice, error=error, person=None if error else other)


@require_POST
def suggestion_dismiss(request: HttpRequest, username: str) -> HttpResponse:
    """Stop suggesting a person (for SUGGESTION_DISMISSAL_DAYS); the next one takes the place."""
    purpose = _purpose(request.POST.get("purpose"))
    if not request.user.is_authenticated:
        return redirect_to_login(_people_tab(purpose))
    _suggested_person(request, username)
    notice = error = ""
    try:
        intelligent_matching.suggestion_dismiss(viewer=request.user, username=username)
    except NotFound as missing:
        raise Http404(_("No such person.")) from missing
    except ApplicationError:
        error = _("You are never suggested to yourself.")
    else:
        notice = _("%(name)s will not be suggested to you for %(days)s days.") % {
            "name": username,
            "days": settings.SUGGESTION_DISMISSAL_DAYS,
        }
    return _answer(request, purpose, notice=notice, error=error)
