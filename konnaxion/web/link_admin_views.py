"""The owners' side of links: the Share section of a document page and the upload links of a
project page (make, list with counts, revoke). Thin adapters over keenKonnect's link services.

A new link's address holds its token, which is never stored: it is shown once, on the page
answering the form that made it, with a button that copies it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from konnaxion.core.errors import ApplicationError
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.services import sharing, upload_links
from konnaxion.web.blueprint_views import (
    _document_page,
    _refused,
    _signed_in_project,
    _visible_resource,
)
from konnaxion.web.link_forms import ShareLinkForm, UploadLinkForm
from konnaxion.web.page_tools import refusal_on_form
from konnaxion.web.project_views import _owner_request, _project_page


def _link_refusal(refusal: ApplicationError) -> str:
    if refusal.code == "links_not_allowed":
        return _(
            "This project does not allow links. Its owners may allow them in the project's "
            "settings."
        )
    return _("This could not be done: %(reason)s") % {"reason": refusal.message}


def _share_link_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(f"/s/{token}/")


@require_POST
def share_link_create(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    resource = _visible_resource(request, project, resource_id)
    numbers = list(selectors.versions_of(resource=resource).values_list("number", flat=True))
    form = ShareLinkForm.for_versions(numbers, data=request.POST)
    if form.is_valid():
        try:
            made = sharing.share_link_create(
                resource=resource, actor=request.user, **form.arguments()
            )
        except ApplicationError as refusal:
            if refusal.status in (403, 404):
                _refused(request, refusal)
            refusal_on_form(refusal, form, _link_refusal(refusal))
        else:
            url = _share_link_url(request, made.token)
            return _document_page(request, project, resource, status=201, new_link_url=url)
    return _document_page(request, project, resource, status=400, share_form=form)


@require_POST
def share_link_revoke(request: HttpRequest, slug: str, resource_id: int, link_id: int):
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    resource = _visible_resource(request, project, resource_id)
    try:
        sharing.share_link_revoke(resource=resource, link_id=link_id, actor=request.user)
    except ApplicationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The link is turned off."))
    return redirect(f"{reverse('web:blueprint', args=[slug, resource.pk])}#share-title")


@require_POST
def upload_link_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _owner_request(request, slug)
    if isinstance(project, HttpResponse):
        return project
    form = UploadLinkForm.empty(data=request.POST)
    if form.is_valid():
        try:
            made = upload_links.upload_link_create(
                project=project, actor=request.user, **form.arguments()
            )
        except ApplicationError as refusal:
            if refusal.status in (403, 404):
                _refused(request, refusal)
            refusal_on_form(refusal, form, _link_refusal(refusal))
        else:
            return _project_page(
                request,
                project,
                status=201,
                new_upload_link_url=request.build_absolute_uri(f"/u/{made.token}/"),
            )
    return _project_page(request, project, status=400, upload_link_form=form)


@require_POST
def upload_link_revoke(request: HttpRequest, slug: str, link_id: int) -> HttpResponse:
    project = _owner_request(request, slug)
    if isinstance(project, HttpResponse):
        return project
    try:
        upload_links.upload_link_revoke(project=project, link_id=link_id, actor=request.user)
    except ApplicationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, _("The link is turned off."))
    return redirect(f"{reverse('web:project', args=[slug])}#upload-links-title")
