"""The search pages: /search/ over everything the visitor may read (blueprints, profiles,
opportunities) and /projects/<slug>/search/ over one project's documents.

Both call `search_run`, the service behind GET /api/search/, so what a visitor may find is
decided by the same SQL permission filter; these views only validate and render.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from konnaxion.core.errors import NotFound
from konnaxion.core.search import (
    page_slice,
    search_filters_from,
    search_run,
    search_suggestion,
)
from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import Project
from konnaxion.web.page_tools import PAGE_SIZE, page_of
from konnaxion.web.search_forms import KIND_LABELS, DocumentSearchForm, SearchForm


def _page_link(result: dict, *, query: str = "") -> str:
    """The web page of a search result (the API result names the API's address). A PDF opens
    in the document page's viewer at the hit's page (when the search knows it) with the query's
    words highlighted."""
    targets = {
        "document": ("web:blueprint", (result.get("project"), result["id"])),
        "profile": ("web:profile", (result["id"],)),
        "opportunity": ("web:opportunity", (result["id"],)),
        "project": ("web:project", (result["id"],)),
        "comment": ("web:blueprint", (result.get("project"), result.get("resource"))),
    }
    name, args = targets.get(result["kind"], (None, ()))
    try:
        link = reverse(name, args=args) if name else result["url"]
    except NoReverseMatch:
        return result["url"]
    if result["kind"] == "comment":
        return f"{link}#comment-{result['id']}"
    if result["kind"] == "document" and result.get("content_type") == "application/pdf":
        page = result.get("page")
        return f"{link}?{urlencode({'q': query})}" + (f"#page={page}" if page else "")
    return link


def _results_context(
    request: HttpRequest, form: DocumentSearchForm, *, project: Project | None
) -> tuple[dict, int]:
    """Run the search when the form was sent and is valid; the context and the status."""
    if not form.is_bound:
        return {"form": form, "page": None}, 200
    if not form.is_valid():
        return {"form": form, "page": None}, 400
    data = dict(form.cleaned_data)
    if project is not None:
        data |= {"project": project.slug, "kind": ["document"]}
    filters = search_filters_from(data)
    results = search_run(
        query=data["q"],
        user=request.user,
        filters=filters,
        expected_page=page_slice(request.GET.get("page"), PAGE_SIZE),
    )
    page = page_of(request, results)
    for result in page.object_list:
        result["link"] = _page_link(result, query=data["q"])
        result["kind_label"] = KIND_LABELS.get(result["kind"], result["kind"])
    matches, estimated = results.matches()
    context = {"form": form, "page": page, "matches": matches, "matches_estimated": estimated}
    if not matches:
        suggestion = search_suggestion(query=data["q"], user=request.user, filters=filters)
        if suggestion:
            context |= {
                "suggestion": suggestion,
                "suggestion_link": _suggestion_link(request, q=suggestion),
            }
    return context, 200


def _suggestion_link(request: HttpRequest, *, q: str) -> str:
    """This search again (same filters, first page) for the corrected query `q`."""
    params = request.GET.copy()
    params["q"] = q
    params.pop("page", None)
    return f"?{params.urlencode()}"


def _form_data(request: HttpRequest):
    """The query string when a search was asked for (a `q`), else nothing: an unbound form."""
    return request.GET if "q" in request.GET else None


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """/search/: everything the visitor may read that matches, best first, 20 a page."""
    context, status = _results_context(request, SearchForm(_form_data(request)), project=None)
    return render(request, "web/search/search.html", context, status=status)


@require_GET
def project_search(request: HttpRequest, slug: str) -> HttpResponse:
    """/projects/<slug>/search/: the project's documents the visitor may read that match."""
    try:
        project = selectors.project_get_visible(user=request.user, slug=slug)
    except NotFound as missing:
        raise Http404(missing.message) from missing
    form = DocumentSearchForm(_form_data(request), auto_id="project_search_%s")
    context, status = _results_context(request, form, project=project)
    context["project"] = project
    return render(request, "web/projects/blueprints/search.html", context, status=status)
