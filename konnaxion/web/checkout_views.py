"""Check-out locks from a document page: lock, unlock, break, and the panel alone for the
page's script to refresh when a lock event arrives. Thin adapters over
keenkonnect.services.document_checkout."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from konnaxion.core.errors import ApplicationError
from konnaxion.keenkonnect.models import ProjectResource
from konnaxion.keenkonnect.services import document_checkout
from konnaxion.web.blueprint_views import (
    _document_page,
    _document_url,
    _refused,
    _signed_in_project,
    _visible_project,
    _visible_resource,
)
from konnaxion.web.checkout_forms import CheckoutForm, checkout_panel


@require_GET
def blueprint_checkout(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """The check-out panel of a document, alone."""
    project = _visible_project(request, slug)
    document = _visible_resource(request, project, resource_id)
    context = {
        "project": project,
        "document": document,
        "checkout": checkout_panel(user=request.user, project=project, document=document),
    }
    return render(request, "web/projects/blueprints/_lock_body.html", context)


@require_POST
def blueprint_lock(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    document = _visible_resource(request, project, resource_id)
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, _("Choose a duration from the list; a note has at most 500 characters.")
        )
        return _document_page(request, project, document, status=400)
    try:
        document_checkout.checkout_acquire(
            resource=document,
            actor=request.user,
            note=form.cleaned_data["note"],
            hours=form.cleaned_data["hours"],
        )
    except ApplicationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("You have checked this document out."))
    return redirect(_document_url(project, document))


def _lock_end(
    request: HttpRequest,
    slug: str,
    resource_id: int,
    end: Callable[..., object],
    notice: str,
) -> HttpResponse:
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    document: ProjectResource = _visible_resource(request, project, resource_id)
    try:
        end(resource=document, actor=request.user)
    except ApplicationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, notice)
    return redirect(_document_url(project, document))


@require_POST
def blueprint_unlock(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    return _lock_end(
        request,
        slug,
        resource_id,
        document_checkout.checkout_release,
        _("The document is checked in."),
    )


@require_POST
def blueprint_lock_break(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    # The previous holder is in the audit log (`lock_break`), for whoever tells them.
    return _lock_end(
        request,
        slug,
        resource_id,
        document_checkout.checkout_break,
        _("The lock is broken; the document is no longer checked out."),
    )
