"""Trying a document's indexing again from its page (admin level): a thin adapter over
keenkonnect.services.index_retry."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konnaxion.core.errors import ApplicationError
from konnaxion.keenkonnect.services.index_retry import resource_index_retry
from konnaxion.web.blueprint_views import (
    _document_url,
    _refused,
    _signed_in_project,
    _visible_resource,
)


@require_POST
def blueprint_reindex(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    document = _visible_resource(request, project, resource_id)
    try:
        resource_index_retry(resource=document, actor=request.user)
    except ApplicationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The document will be read again in a moment."))
    return redirect(_document_url(project, document))
