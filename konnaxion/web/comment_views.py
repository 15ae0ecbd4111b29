"""Comments on the document page (/projects/<slug>/blueprints/<id>/): write, reply, edit,
resolve, reopen and delete with plain form posts, and the comments section alone for the page's
script to refresh when the project's socket says a comment changed.

Thin adapters over `services.document_comments`; the document is read through
`selectors.resource_get_visible` (404 for whoever may not read it), like the rest of the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from konnaxion.core.errors import ApplicationError, ValidationFailed
from konnaxion.keenkonnect.models import ProjectResource
from konnaxion.keenkonnect.models.comments import COMMENT_MAX_CHARS
from konnaxion.keenkonnect.services import document_comments
from konnaxion.web.blueprint_views import _refused, _visible_project, _visible_resource

PERCENT = {"min_value": 0, "max_value": 100, "required": False, "decimal_places": 2}
COORDINATE = {"required": False, "min_value": -1e9, "max_value": 1e9}


class CommentForm(forms.Form):
    """A comment or a reply; a thread's first comment may be pinned: a page (PDF), an area in
    percent of the page or image, or a point of a 3D model (its own units)."""

    body = forms.CharField(
        label=gettext_lazy("Comment"), max_length=COMMENT_MAX_CHARS, widget=forms.Textarea
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page = forms.IntegerField(label=gettext_lazy("Page"), required=False, min_value=1)
    left = forms.DecimalField(label=gettext_lazy("Left edge, in percent of the width"), **PERCENT)
    top = forms.DecimalField(label=gettext_lazy("Top edge, in percent of the height"), **PERCENT)
    width = forms.DecimalField(label=gettext_lazy("Width, in percent"), **PERCENT)
    height = forms.DecimalField(label=gettext_lazy("Height, in percent"), **PERCENT)
    x = forms.FloatField(label="x", **COORDINATE)
    y = forms.FloatField(label="y", **COORDINATE)
    z = forms.FloatField(label="z", **COORDINATE)

    def anchor(self) -> dict[str, Any] | None:
        """The anchor the filled fields describe, for the service to check against the
        version's type (None when none is filled)."""
        data = self.cleaned_data
        rect_fields = [data.get(name) for name in ("left", "top", "width", "height")]
        point = [data.get(name) for name in ("x", "y", "z")]
        anchor: dict[str, Any] = {}
        if data.get("page") is not None:
            anchor["page"] = data["page"]
        if any(value is not None for value in rect_fields):
            if any(value is None for value in rect_fields):
                raise ValidationFailed(details={"fields": {"anchor": "four values"}})
            left, top, width, height = (float(value) / 100 for value in rect_fields)
            anchor["rect"] = {"x": left, "y": top, "w": width, "h": height}
        if any(value is not None for value in point):
            if any(value is None for value in point):
                raise ValidationFailed(details={"fields": {"anchor": "three coordinates"}})
            anchor["point"] = point
        return anchor or None


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"), max_length=COMMENT_MAX_CHARS, widget=forms.Textarea
    )


def _document_url(resource: ProjectResource, comment_id: int | None = None) -> str:
    url = reverse("web:blueprint", args=[resource.project.slug, resource.pk])
    return f"{url}#comment-{comment_id}" if comment_id else f"{url}#comments-title"


def _form_refused(request: HttpRequest, form: forms.Form) -> None:
    reasons = "; ".join(str(error) for errors in form.errors.values() for error in errors)
    messages.error(request, _("The comment was not saved: %(reason)s") % {"reason": reasons})


def _comment_refused(request: HttpRequest, refusal: ApplicationError) -> None:
    """A refusal of the service: 404 or 403 pages, else what to change, in the reader's
    language."""
    if not isinstance(refusal, ValidationFailed):
        _refused(request, refusal)
        return
    fields = refusal.details.get("fields", {})
    if any(name.startswith("anchor") for name in fields):
        reason = _("the pin does not fit this document (check the page, the area or the point)")
    elif "body" in fields:
        reason = _("write a comment of at most %(count)s characters") % {"count": COMMENT_MAX_CHARS}
    else:
        reason = _("this thread or version cannot take it")
    messages.error(request, _("The comment was not saved: %(reason)s") % {"reason": reason})


def _signed_in_resource(
    request: HttpRequest, slug: str, resource_id: int
) -> ProjectResource | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("web:blueprint", args=[slug, resource_id]))
    return _visible_resource(request, _visible_project(request, slug), resource_id)


@require_GET
def blueprint_comments(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """The comments section alone, as the document page shows it."""
    resource = _visible_resource(request, _visible_project(request, slug), resource_id)
    return render(
        request,
        "web/projects/blueprints/_comments.html",
        {"document": resource, "project": resource.project},
    )


@require_POST
def blueprint_comment_create(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    resource = _signed_in_resource(request, slug, resource_id)
    if isinstance(resource, HttpResponse):
        return resource
    form = CommentForm(request.POST)
    if not form.is_valid():
        _form_refused(request, form)
        return redirect(_document_url(resource))
    try:
        written = document_comments.comment_create(
            resource=resource,
            actor=request.user,
            body=form.cleaned_data["body"],
            anchor=form.anchor(),
            parent_id=form.cleaned_data.get("parent"),
        )
    except ApplicationError as refusal:
        _comment_refused(request, refusal)
        return redirect(_document_url(resource))
    return redirect(_document_url(resource, written.comment.pk))


def _comment_change(
    request: HttpRequest, slug: str, resource_id: int, comment_id: int, change: Callable[..., Any]
) -> HttpResponse:
    """Apply `change` (a service taking the document, the comment's id and the actor) and go
    back to the comments, or say why not."""
    resource = _signed_in_resource(request, slug, resource_id)
    if isinstance(resource, HttpResponse):
        return resource
    try:
        change(resource=resource, comment_id=comment_id, actor=request.user)
    except ApplicationError as refusal:
        _comment_refused(request, refusal)
    return redirect(_document_url(resource, comment_id))


@require_POST
def blueprint_comment_resolve(request, slug: str, resource_id: int, comment_id: int):
    return _comment_change(
        request, slug, resource_id, comment_id, document_comments.comment_resolve
    )


@require_POST
def blueprint_comment_reopen(request, slug: str, resource_id: int, comment_id: int):
    return _comment_change(request, slug, resource_id, comment_id, document_comments.comment_reopen)


@require_POST
def blueprint_comment_delete(request, slug: str, resource_id: int, comment_id: int):
    return _comment_change(request, slug, resource_id, comment_id, document_comments.comment_delete)


@require_POST
def blueprint_comment_edit(request, slug: str, resource_id: int, comment_id: int):
    form = CommentEditForm(request.POST)
    if not form.is_valid():
        resource = _signed_in_resource(request, slug, resource_id)
        if isinstance(resource, ProjectResource):
            _form_refused(request, form)
            return redirect(_document_url(resource, comment_id))
        return resource

    def edit(**arguments: Any) -> Any:
        return document_comments.comment_update(body=form.cleaned_data["body"], **arguments)

    return _comment_change(request, slug, resource_id, comment_id, edit)
