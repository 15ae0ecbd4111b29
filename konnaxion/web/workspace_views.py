"""The Workspace tab of /connect (my rooms, create and invite) and the live room page, with what
the room gives back: end it (host), leave it (anyone invited), keep its canvas as an artwork,
export everything as a ZIP.

Thin adapters: the form validates, Kontact's collaboration-session services write, the room's
life (chat, notes, canvas, presence) goes through its WebSocket (docs/rooms.md) from
`static/web/room.js`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from konnaxion.core.errors import ApplicationError
from konnaxion.kreative import selectors as kreative_selectors
from konnaxion.kreative.api.workspace_downloads import workspace_archive_response
from konnaxion.kreative.models import CollabSession
from konnaxion.kreative.services import collaboration_workspace as workspaces
from konnaxion.kreative.services import workspace_outputs
from konnaxion.web.page_tools import page_of
from konnaxion.web.workspace_forms import (
    SESSION_TYPE_LABELS,
    CanvasSaveForm,
    EndForm,
    InviteForm,
    RoomForm,
)
from konnaxion.web.workspace_selectors import room_participant_names, room_visible_to, rooms_of


def workspace_context(request: HttpRequest, form: RoomForm | None = None) -> dict:
    """What the Workspace tab shows: my rooms (active first) and the create form."""
    if not request.user.is_authenticated:
        return {}
    return {
        "page": page_of(request, rooms_of(user=request.user)),
        "room_form": form or RoomForm(host=request.user),
        "session_types": SESSION_TYPE_LABELS,
    }


@require_POST
def workspace_create(request: HttpRequest) -> HttpResponse:
    """Start a room hosted by the visitor and invite the people the form names (the API's
    service: the same checks on who may be invited, the same caps)."""
    if not request.user.is_authenticated:
        return redirect_to_login(f"{reverse('web:connect')}?tab=workspace")
    form = RoomForm(request.POST, host=request.user)
    status = 400
    if form.is_valid():
        try:
            session = workspaces.workspace_create(host=request.user, **form.cleaned_data)
        except ApplicationError as refusal:
            form.refusal_to_form(refusal)
            status = refusal.status
        else:
            status = 0
    if status:
        context = {"tab": "workspace"} | workspace_context(request, form)
        return render(request, "web/connect/workspace.html", context, status=status)
    messages.success(request, _("Room “%(name)s” created.") % {"name": session.name})
    return redirect("web:workspace", pk=session.pk)


def _room(request: HttpRequest, pk: int) -> CollabSession:
    session = room_visible_to(user=request.user, session_id=pk)
    if session is None:
        raise Http404(_("No such room."))
    return session


def _room_page(
    request: HttpRequest, session: CollabSession, *, invite_form=None, status: int = 200
) -> HttpResponse:
    history, has_more = kreative_selectors.collab_chat_history(session_id=session.pk)
    context = {
        "tab": "workspace",
        "room": session,
        "ended": session.ended_at is not None,
        "is_host": session.host_id == request.user.pk,
        "participants": room_participant_names(session=session),
        "chat_history": history,
        "chat_has_more": has_more,
        "as_viewer": request.GET.get("role") == "viewer",
        "max_editors": settings.COLLAB_CANVAS_MAX_USERS,
        "socket_path": f"/ws/connect/workspaces/{session.pk}/",
        "invite_form": invite_form or InviteForm(host=request.user),
        "end_form": EndForm(),
        "canvas_form": CanvasSaveForm(),
        "session_types": SESSION_TYPE_LABELS,
    }
    return render(request, "web/connect/room.html", context, status=status)


@require_GET
def workspace(request: HttpRequest, pk: int) -> HttpResponse:
    """The live room: chat, shared notes, shared canvas, who is here."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:workspace", args=[pk]))
    return _room_page(request, _room(request, pk))


@require_POST
def workspace_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The host invites more people into a room that has not ended."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:workspace", args=[pk]))
    session = _room(request, pk)
    if session.host_id != request.user.pk:
        raise HttpPermissionDenied(_("Only the host may invite people."))
    form = InviteForm(request.POST, host=request.user)
    if not form.is_valid():
        return _room_page(request, session, invite_form=form, status=400)
    try:
        workspaces.workspace_invite(
            session=session, actor=request.user, participants=form.cleaned_data["participants"]
        )
    except ApplicationError as refusal:
        form.refusal_to_form(refusal)
        return _room_page(request, session, invite_form=form, status=refusal.status)
    messages.success(request, _("Invitations sent."))
    return redirect("web:workspace", pk=pk)


def _refusal_notice(refusal: ApplicationError) -> str:
    """A service's refusal of a room action, in the visitor's language."""
    notices = {
        "canvas_empty": _("The canvas is empty: there is nothing to save."),
        "session_ended": _("This room has already ended."),
        "host_cannot_leave": _("The host cannot leave the room: end it instead."),
        "file_too_large": _("The canvas is too large to be saved as an artwork."),
    }
    return str(notices.get(refusal.code, _("This could not be done.")))


def _room_action(request: HttpRequest, pk: int, act, done: str, *, host_only: bool = False):
    """Run `act(session)` (one service call) on a room the visitor takes part in; tell them
    `done`, or the service's refusal, back on the room page."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:workspace", args=[pk]))
    session = _room(request, pk)
    if host_only and session.host_id != request.user.pk:
        raise HttpPermissionDenied(_("Only the host may do this."))
    try:
        act(session)
    except ApplicationError as refusal:
        messages.error(request, _refusal_notice(refusal))
    else:
        messages.success(request, done)
    return redirect("web:workspace", pk=pk)


@require_POST
def workspace_end(request: HttpRequest, pk: int) -> HttpResponse:
    """The host ends the room for everyone (read-only from then on), keeping the canvas as
    their artwork if they ticked it."""
    form = EndForm(request.POST)
    form.is_valid()  # both fields are optional: what is unusable is left at its default
    options = {"save_canvas": bool(form.cleaned_data.get("save_canvas"))}
    options["title"] = form.cleaned_data.get("title") or ""

    def end(session: CollabSession) -> None:
        workspaces.workspace_end(session=session, actor=request.user, **options)

    done = _("The room has ended. Everything in it stays readable here.")
    return _room_action(request, pk, end, done, host_only=True)


@require_POST
def workspace_canvas_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the canvas as an artwork of the visitor's own, in their portfolio's artworks."""
    form = CanvasSaveForm(request.POST)
    form.is_valid()
    title = form.cleaned_data.get("title") or ""

    def save(session: CollabSession) -> None:
        workspace_outputs.workspace_canvas_save(session=session, actor=request.user, title=title)

    return _room_action(request, pk, save, _("The canvas is saved as your artwork."))


@require_POST
def workspace_leave(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone invited leaves the room: it leaves their list, back to the Workspace tab."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:workspace", args=[pk]))
    session = _room(request, pk)
    try:
        workspaces.workspace_leave(session=session, actor=request.user)
    except ApplicationError as refusal:
        messages.error(request, _refusal_notice(refusal))
        return redirect("web:workspace", pk=pk)
    messages.success(request, _("You left the room “%(name)s”.") % {"name": session.name})
    return redirect(f"{reverse('web:connect')}?tab=workspace")


@require_GET
def workspace_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything the room holds as one ZIP: chat transcript, notes, canvas (PNG, SVG, JSON)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:workspace", args=[pk]))
    return workspace_archive_response(session=_room(request, pk))
