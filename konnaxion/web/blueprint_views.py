"""The Blueprints tab of /projects/<slug>: documents, versions, diffs, restore, permissions, trash.

Thin adapters over Stockage: the lists come from `selectors.resources_visible_to` (the one
permission path the API also uses), every change goes through a keenKonnect service. Uploads
are made by the page's script against the JSON API (multipart or tus, with progress).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from konnaxion.core.errors import (
    ApplicationError,
    Locked,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import AccessLevel, Project, ProjectResource
from konnaxion.keenkonnect.services import document_versioning, granular_permissions
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.document_diff import kind_of
from konnaxion.web.blueprint_forms import MAX_VERSION, DiffForm, PermissionsForm, RestoreForm
from konnaxion.web.diff_figures import mesh_figures, mesh_sources, pdf_summary
from konnaxion.web.document_forms import DocumentEditForm
from konnaxion.web.link_context import share_context
from konnaxion.web.page_tools import is_htmx

TUS_CHUNK_BYTES = 4 * 1024 * 1024
MAX_VERSIONS_SHOWN = 200
THUMBNAIL_SIZE = 256
PREVIEW_SIZE = 1024


def _visible_project(request: HttpRequest, slug: str) -> Project:
    try:
        return selectors.project_get_visible(user=request.user, slug=slug)
    except NotFound as missing:
        raise Http404(missing.message) from missing


def _visible_resource(
    request: HttpRequest, project: Project, resource_id: int, *, include_trashed: bool = False
) -> ProjectResource:
    if resource_id > MAX_VERSION:
        raise Http404("No such document.")
    try:
        return selectors.resource_get_visible(
            user=request.user,
            project=project,
            resource_id=resource_id,
            include_trashed=include_trashed,
        )
    except NotFound as missing:
        raise Http404(missing.message) from missing


def blueprints_context(request: HttpRequest, project: Project, *, whole_tab: bool = True) -> dict:
    """What the Blueprints tab shows: the visitor's documents (with whether a thumbnail exists),
    the trash they may empty, what the uploader needs (API addresses, limits), and the event
    sequence number the page starts from."""
    level = granular_permissions.project_level_of(user=request.user, project=project)
    # Read before the list: an event between the two is replayed to the page, never lost. The
    # list alone (refreshed by the page's script) needs no sequence number.
    event_seq = selectors.project_latest_event_seq(project=project) if whole_tab else None
    documents = selectors.with_preview_flag(
        resources=selectors.resources_visible_to(user=request.user, project=project).select_related(
            "received_by_link"
        ),
        size=THUMBNAIL_SIZE,
    ).order_by("title", "id")
    trash = (
        selectors.resources_visible_to(
            user=request.user, project=project, min_level="write", trashed_only=True
        ).order_by("-trashed_at", "-id")
        if request.user.is_authenticated
        else ProjectResource.objects.none()
    )
    return {
        "documents": documents,
        "trash": trash,
        "can_upload": level >= AccessLevel.WRITE,
        "max_upload_mb": settings.MAX_BLUEPRINT_UPLOAD_MB,
        "trash_days": settings.STOCKAGE_TRASH_DAYS,
        "tus_chunk": TUS_CHUNK_BYTES,
        "event_seq": event_seq,
    }


@require_GET
def blueprint_list(request: HttpRequest, slug: str) -> HttpResponse:
    """The document list alone, for the page's script to refresh after an upload or an event."""
    project = _visible_project(request, slug)
    context = {"project": project, **blueprints_context(request, project, whole_tab=False)}
    return render(request, "web/projects/blueprints/_list.html", context)


def _document_live_context(request: HttpRequest, resource: ProjectResource) -> dict:
    """What changes on a document page with each version and indexing: its preview and its
    version history (web/projects/blueprints/_document_live.html)."""
    versions = list(selectors.versions_of(resource=resource)[:MAX_VERSIONS_SHOWN])
    return {
        "document": resource,
        "has_preview": selectors.preview_of(resource=resource, size=PREVIEW_SIZE) is not None,
        "versions": versions,
        "kind": kind_of(resource.current_version.content_type) if resource.current_version else "",
        "can_write": resource.my_level >= AccessLevel.WRITE,
        "diff_form": DiffForm.for_versions(versions),
    }


def _document_page(
    request: HttpRequest, project: Project, resource: ProjectResource, *, status: int = 200, **extra
) -> HttpResponse:
    is_admin = resource.my_level >= AccessLevel.ADMIN
    context = {
        "project": project,
        # Read before the rest: an event between the two is replayed to the page, never lost.
        "event_seq": selectors.project_latest_event_seq(project=project),
        **_document_live_context(request, resource),
        "is_admin": is_admin,
        "permissions_form": PermissionsForm.for_resource(resource) if is_admin else None,
        "edit_form": DocumentEditForm.for_resource(resource),
        "versions_upload_url": f"/api/projects/{project.slug}/resources/{resource.pk}/versions/",
        "max_upload_mb": settings.MAX_BLUEPRINT_UPLOAD_MB,
        "tus_chunk": TUS_CHUNK_BYTES,
        **share_context(request, resource),
        **extra,
    }
    return render(request, "web/projects/blueprints/document.html", context, status=status)


@require_GET
def blueprint_live(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """A document's preview and version history alone, for the page's script to refresh after
    a new version, a restore or the indexing, instead of reloading the page."""
    project = _visible_project(request, slug)
    return _document_live_response(request, project, resource_id)


def _document_live_response(
    request: HttpRequest, project: Project, resource_id: int, *, notice: str = "", error: str = ""
) -> HttpResponse:
    """The preview and version history; with a `notice` or an `error` for the page's message
    area too (an htmx out-of-band swap, so that the message outlives the next live refresh)."""
    resource = _visible_resource(request, project, resource_id)
    context = {
        "project": project,
        **_document_live_context(request, resource),
        "notice": notice,
        "error": error,
    }
    return render(request, "web/projects/blueprints/_document_live_response.html", context)


@require_GET
def blueprint_detail(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """A document: its versions (download, restore, compare), its permissions for admins."""
    project = _visible_project(request, slug)
    return _document_page(request, project, _visible_resource(request, project, resource_id))


@require_GET
def blueprint_diff(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """What changed between two versions, drawn for the document's type."""
    project = _visible_project(request, slug)
    resource = _visible_resource(request, project, resource_id)
    versions = list(selectors.versions_of(resource=resource)[:MAX_VERSIONS_SHOWN])
    form = DiffForm.for_versions(versions, data=request.GET)
    if not form.is_valid():
        return _document_page(request, project, resource, status=400, diff_form=form)
    pair = {"from_number": form.cleaned_data["old"], "to_number": form.cleaned_data["new"]}
    try:
        diff = document_versioning.version_diff(resource=resource, **pair)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    api = f"/api/projects/{project.slug}/resources/{resource.pk}"
    section = diff.get(diff["kind"]) or {}
    context = {
        "section_error": section.get("error"),
        **{
            kind: (section if kind == diff["kind"] and "error" not in section else None)
            for kind in ("pdf", "image", "mesh")
        },
        "project": project,
        "document": resource,
        "diff": diff,
        "diff_form": form,
        "old_url": f"{api}/download/?version={pair['from_number']}",
        "new_url": f"{api}/download/?version={pair['to_number']}",
        "highlight_url": f"{api}/diff/highlight/?from={pair['from_number']}&to={pair['to_number']}",
    }
    context["dates"] = {side: _when(diff["dates"][side]) for side in ("old", "new")}
    if context["pdf"]:
        context["pdf_summary"] = pdf_summary(context["pdf"])
    if context["mesh"]:
        context["mesh_rows"], context["mesh_collections"] = mesh_figures(context["mesh"])
        context["mesh_sources"] = mesh_sources(context["mesh"])
    return render(request, "web/projects/blueprints/diff.html", context)


def _when(moment: str | None) -> str:
    """An ISO date of the diff, in the reader's time zone and language."""
    parsed = parse_datetime(moment or "")
    return date_format(localtime(parsed), "SHORT_DATETIME_FORMAT") if parsed else "—"


def _signed_in_project(request: HttpRequest, slug: str) -> Project | HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(f"{reverse('web:project', args=[slug])}?tab=blueprints")
    return _visible_project(request, slug)


def _refusal_text(error: ApplicationError) -> str:
    """A service's refusal of a form post: the 404 or 403 page, else the words to show."""
    if isinstance(error, NotFound):
        raise Http404(error.message) from error
    if isinstance(error, PermissionDenied):
        raise HttpPermissionDenied(error.message) from error
    if isinstance(error, Locked):
        return locked_message(error)
    return _("This could not be done: %(reason)s") % {"reason": error.message}


def _refused(request: HttpRequest, error: ApplicationError) -> None:
    messages.error(request, _refusal_text(error))


def locked_message(error: Locked) -> str:
    """A check-out refusal in the reader's language: who holds the lock, until when."""
    until = parse_datetime(error.details.get("until", ""))
    return _("Refused: %(holder)s has checked this document out until %(until)s.") % {
        "holder": error.details.get("holder", "?"),
        "until": date_format(localtime(until), "SHORT_DATETIME_FORMAT") if until else "?",
    }


def _document_url(project: Project, resource: ProjectResource) -> str:
    return reverse("web:blueprint", args=[project.slug, resource.pk])


def _tab_url(project: Project) -> str:
    return f"{reverse('web:project', args=[project.slug])}?tab=blueprints"


@require_POST
def blueprint_restore(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    """Make an old version current again. From the page's script (htmx) the answer is the
    updated history with its message, in place; without JavaScript a redirect to the page."""
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    resource = _visible_resource(request, project, resource_id)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        if is_htmx(request):
            error = _("Choose a version of this document to restore.")
            return _document_live_response(request, project, resource.pk, error=error)
        return _document_page(request, project, resource, status=400, restore_form=form)
    try:
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.WRITE)
        version = document_versioning.version_restore(
            resource=resource,
            number=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
            actor=request.user,
        )
    except ApplicationError as refusal:
        error = _refusal_text(refusal)
        if is_htmx(request):
            return _document_live_response(request, project, resource.pk, error=error)
        messages.error(request, error)
        return redirect(_document_url(project, resource))
    notice = _("Version %(old)s is current again, as version %(new)s.") % {
        "old": form.cleaned_data["version"],
        "new": version.number,
    }
    if is_htmx(request):
        return _document_live_response(request, project, resource.pk, notice=notice)
    messages.success(request, notice)
    return redirect(_document_url(project, resource))


@require_POST
def blueprint_permissions(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    resource = _visible_resource(request, project, resource_id)
    if resource.my_level < AccessLevel.ADMIN:
        raise HttpPermissionDenied(_("Only the document's admins may change its permissions."))
    form = PermissionsForm.for_resource(resource, data=request.POST)
    if not form.is_valid():
        return _document_page(request, project, resource, status=400, permissions_form=form)
    try:
        granular_permissions.access_entries_replace(
            resource=resource, entries=form.entries(), actor=request.user
        )
    except ApplicationError as refusal:
        _refused(request, refusal)
        return redirect(_document_url(project, resource))
    messages.success(request, _("The permissions are saved."))
    return redirect(_document_url(project, resource))


def _document_change(
    request: HttpRequest,
    slug: str,
    resource_id: int,
    change: Callable[..., object],
    notice: Callable[[ProjectResource], str],
    *,
    trashed: bool,
) -> HttpResponse:
    """Trash, bring back or purge a document (`change`, a service of `storage`), then back to
    the tab with the `notice` about it, or with the refusal."""
    project = _signed_in_project(request, slug)
    if isinstance(project, HttpResponse):
        return project
    resource = _visible_resource(request, project, resource_id, include_trashed=trashed)
    try:
        change(resource=resource, actor=request.user)
    except ApplicationError as refusal:
        _refused(request, refusal)
    else:
        messages.success(request, notice(resource))
    return redirect(_tab_url(project))


@require_POST
def blueprint_trash(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    def notice(resource: ProjectResource) -> str:
        return _("“%(title)s” is in the trash for %(days)s days.") % {
            "title": resource.title,
            "days": settings.STOCKAGE_TRASH_DAYS,
        }

    return _document_change(
        request, slug, resource_id, storage.resource_trash, notice, trashed=False
    )


@require_POST
def blueprint_untrash(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    def notice(resource: ProjectResource) -> str:
        return _("“%(title)s” is back.") % {"title": resource.title}

    return _document_change(
        request, slug, resource_id, storage.resource_restore_from_trash, notice, trashed=True
    )


@require_POST
def blueprint_purge(request: HttpRequest, slug: str, resource_id: int) -> HttpResponse:
    def purge(*, resource: ProjectResource, actor) -> None:
        # Purging cannot be undone: the form's checkbox says so, with or without JavaScript.
        granular_permissions.ensure_level(resource=resource, needed=AccessLevel.ADMIN)
        if request.POST.get("confirm") != "yes":
            raise ValidationFailed(_("tick “I understand this cannot be undone” first."))
        storage.resource_purge(resource=resource, actor=actor)

    def notice(resource: ProjectResource) -> str:
        return _("“%(title)s” is deleted for good.") % {"title": resource.title}

    return _document_change(request, slug, resource_id, purge, notice, trashed=True)
