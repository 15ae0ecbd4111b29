"""The account area's leaving and data pages: /accounts/leave/ (deactivate or delete, confirmed
by the password and the second factor) and /accounts/data/ (export one's data, its progress,
the download). Thin adapters over `konnaxion.users` (docs/accounts.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseGone,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konnaxion.core.errors import Conflict
from konnaxion.users import selectors
from konnaxion.users.api.downloads import export_zip_response
from konnaxion.users.models import AccountExport
from konnaxion.users.services import (
    account_delete,
    account_deletion_blockers,
    account_export_request,
    user_deactivate,
)
from konnaxion.web.leaving_forms import DeleteConfirmForm, LeaveConfirmForm


def _leave_page(
    request: HttpRequest,
    *,
    deactivate: LeaveConfirmForm | None = None,
    delete: DeleteConfirmForm | None = None,
    blockers: list | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "web/accounts/leave.html",
        {
            "deactivate_form": deactivate or LeaveConfirmForm(user=request.user, prefix="off"),
            "delete_form": delete or DeleteConfirmForm(user=request.user, prefix="del"),
            "blockers": account_deletion_blockers(user=request.user)
            if blockers is None
            else blockers,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def account_leave(request: HttpRequest) -> HttpResponse:
    """Deactivate (reversible by staff) or delete (irreversible) one's own account."""
    if request.method == "GET":
        return _leave_page(request)
    if request.POST.get("action") == "deactivate":
        deactivate = LeaveConfirmForm(request.POST, user=request.user, prefix="off")
        if not deactivate.is_valid():
            return _leave_page(request, deactivate=deactivate, status=400)
        user_deactivate(user=request.user)
        logout(request)
        messages.info(request, _("Your account is deactivated. Staff can reopen it for you."))
        return redirect("web:home")
    delete = DeleteConfirmForm(request.POST, user=request.user, prefix="del")
    if not delete.is_valid():
        return _leave_page(request, delete=delete, status=400)
    try:
        account_delete(user=request.user)
    except Conflict as refusal:
        return _leave_page(request, delete=delete, blockers=refusal.details["blockers"], status=409)
    logout(request)
    messages.info(request, _("Your account is deleted. Goodbye."))
    return redirect("web:home")


def export_state(request: HttpRequest, export: AccountExport | None) -> dict:
    """The export as the page and its poll show it: state, progress, link, expiry."""
    if export is None:
        return {"state": "none", "progress": 0, "download_url": None, "expires_at": None}
    downloadable = selectors.export_downloadable(export=export)
    return {
        "state": "expired" if export.state == "ready" and not downloadable else export.state,
        "progress": export.progress,
        "download_url": reverse("web:account_data_download", args=[export.pk])
        if downloadable
        else None,
        "expires_at": export.expires_at.isoformat() if export.expires_at else None,
        "size": export.size,
    }


@require_GET
@login_required
def account_data(request: HttpRequest) -> HttpResponse:
    """The data page: start an export, follow it, download it."""
    export = selectors.export_current(user=request.user)
    return render(
        request,
        "web/accounts/data.html",
        {"export": export, "state": export_state(request, export)},
    )


@require_POST
@login_required
def account_data_export(request: HttpRequest) -> HttpResponse:
    """Start an export (one at a time)."""
    try:
        account_export_request(user=request.user)
    except Conflict:
        messages.warning(request, _("An export of your data is already being made."))
    else:
        messages.info(request, _("Your export has started. You will be notified when it is ready."))
    return redirect("web:account_data")


@require_GET
@login_required
@never_cache
def account_data_status(request: HttpRequest) -> JsonResponse:
    """The current export's state, polled by the page's progress bar."""
    return JsonResponse(export_state(request, selectors.export_current(user=request.user)))


@require_GET
@login_required
def account_data_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The export's ZIP, to its owner only (404 for anyone else), while it has not expired
    (410 after)."""
    export = selectors.exports_of(user=request.user).select_related("blob").filter(pk=pk).first()
    if export is None:
        raise Http404
    if not selectors.export_downloadable(export=export) or export.blob is None:
        return HttpResponseGone(_("This export has expired. Start a new one."))
    return export_zip_response(export=export)
