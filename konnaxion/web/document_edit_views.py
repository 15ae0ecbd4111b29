"""Editing on the document page: the document's title and description, a version's label and
note. Thin adapters over the services the API uses (`resource_update`, `version_annotate`), so
the checks, the audit log and the project's events are the same."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konnaxion.core.errors import ApplicationError, Conflict, ValidationFailed
from konnaxion.keenkonnect.models import AccessLevel
from konnaxion.keenkonnect.models.documents import VERSION_LABEL_MAX_LENGTH
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.version_labels import version_annotate
from konnaxion.web.blueprint_forms import MAX_VERSION
from konnaxion.web.blueprint_views import (
    _document_page,
    _document_url,
    _refused,
    _signed_in_project,
    _visible_resource,
)
from konnaxion.web.document_forms import DocumentEditForm, VersionLabelForm


def _writable(request: HttpRequest, slug: str, resource_id: int):
    """The project and the document, for a writer (login page for a visitor, 404 for a document
    the user may not read, 403 for a reader)."""
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project, None
    resource = _visible_resource(request, project, resource_id)
    if resource.my_level < AccessLevel.WRITE:
        raise HttpPermissionDenied(_("Only the document's writers may change it."))
    return project, resource


@require_POST
def blueprint_edit(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """Rename a document, change its description or its tags."""
    project, resource = _writable(request, slug, resource_id)
    if resource is None:
        return project
    form = DocumentEditForm(request.POST)
    if not form.is_valid():
        return _document_page(request, project, resource, status=400, edit_form=form)
    # The form sends every field: only those that differ are changed (and audited).
    changes = {
        name: value for name, value in form.cleaned_data.items() if value != getattr(resource, name)
    }
    try:
        if changes:
            storage.resource_update(resource=resource, actor=request.user, **changes)
    except ApplicationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The document is saved."))
    return redirect(_document_url(project, resource))


def _field_errors(form: VersionLabelForm, refusal: ApplicationError) -> None:
    """Put a service's refusal of a label or note on the form's field."""
    if refusal.code == "label_taken":
        form.add_error("label", _("Another version of this document already has this label."))
        return
    fields = refusal.details.get("fields", {})
    if "label" in fields:
        form.add_error(
            "label",
            _("Use one line of at most %(count)s characters.")
            % {"count": VERSION_LABEL_MAX_LENGTH},
        )
    if "note" in fields or not fields:
        form.add_error("note", _("This note cannot be saved: %(reason)s") % {"reason": refusal})


@require_POST
def blueprint_version_label(
    request: HttpRequest, slug: str, resource_id: int, number: int
) -> HttpResponse:
    """Set the label and the note of one version."""
    project, resource = _writable(request, slug, resource_id)
    if resource is None:
        return project
    form = VersionLabelForm(request.POST, number=min(number, MAX_VERSION))
    if form.is_valid():
        try:
            version_annotate(
                resource=resource, number=form.number, actor=request.user, **form.cleaned_data
            )
        except (ValidationFailed, Conflict) as refusal:
            _field_errors(form, refusal)
        except ApplicationError as refusal:
            _refused(request, refusal)
            return redirect(_document_url(project, resource))
        else:
            messages.success(request, _("Version %(number)s is saved.") % {"number": form.number})
            return redirect(f"{_document_url(project, resource)}#version-{form.number}")
    return _document_page(request, project, resource, status=400, label_form=form)
