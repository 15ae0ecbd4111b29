"""The saved searches pages: save the search of a /connect tab, list one's saved searches, run,
rename, change the alert, delete (after a confirmation page). Thin adapters over Kreative's
saved-search service; someone else's search is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from konnaxion.core.errors import ApplicationError
from konnaxion.kreative import selectors
from konnaxion.kreative.models import SavedSearch
from konnaxion.kreative.services import saved_searches
from konnaxion.kreative.services.saved_searches import NAME_MAX_CHARS
from konnaxion.web.connect_views import _followed_ids
from konnaxion.web.page_tools import attempt, page_of
from konnaxion.web.saved_search_forms import (
    KIND_LABELS,
    SavedSearchChangeForm,
    SavedSearchForm,
    filters_described,
    filters_of_page,
    kind_of_tab,
)

TEMPLATES = "web/connect/saved_searches/"


def _refusal_text(refusal: ApplicationError) -> str:
    if refusal.code == "too_many_saved_searches":
        return _("You already have as many saved searches as allowed: delete one first.")
    if "filters" in (refusal.details.get("fields") or {}):
        return _("These filters cannot be saved: search again from the Connect page.")
    return _("This could not be done. Please check the form.")


def _own_search(request: HttpRequest, pk: int) -> SavedSearch:
    search = selectors.saved_searches_of(user=request.user).filter(pk=pk).first()
    if search is None:
        raise Http404(_("No such saved search."))
    return search


def _described(search: SavedSearch) -> dict:
    return {
        "search": search,
        "kind_label": KIND_LABELS[SavedSearch.Kind(search.kind)],
        "filters": filters_described(search.filters),
    }


def _list_page(request: HttpRequest, *, invalid: tuple[int, SavedSearchChangeForm] | None = None):
    rows = []
    for search in selectors.saved_searches_of(user=request.user):
        form = SavedSearchChangeForm.for_search(search)
        if invalid and invalid[0] == search.pk:
            form = invalid[1]
        rows.append(_described(search) | {"form": form})
    status = 400 if invalid else 200
    return render(request, TEMPLATES + "list.html", {"rows": rows}, status=status)


@require_GET
@login_required
def saved_searches_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request)


@require_http_methods(["GET", "POST"])
@login_required
def saved_search_create(request: HttpRequest) -> HttpResponse:
    """GET (from a /connect tab's "Save this search"): the name prompt; POST: save."""
    if request.method == "POST":
        form = SavedSearchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            made = attempt(lambda: saved_searches.saved_search_create(owner=request.user, **data))
            if not isinstance(made, ApplicationError):
                messages.success(request, _("Search “%(name)s” saved.") % {"name": made.name})
                return redirect("web:saved_searches")
            form.add_error(None, _refusal_text(made))
        filters = form.cleaned_data.get("filters") or {}
        return _create_page(request, form, kind=form.data.get("kind"), filters=filters, status=400)
    kind = kind_of_tab(request.GET.get("tab"))
    filters = filters_of_page(kind=kind, data=request.GET)
    if filters is None:
        messages.error(request, _("These filters cannot be saved: please correct them first."))
        back = {key: value for key, value in request.GET.items() if key != "page"}
        return redirect(f"{reverse('web:connect')}?{urlencode(back)}")
    summary = ", ".join(value for _label, value in filters_described(filters))
    initial = {"kind": kind, "filters": urlencode(filters), "name": summary[:NAME_MAX_CHARS]}
    return _create_page(request, SavedSearchForm(initial=initial), kind=kind, filters=filters)


def _create_page(request, form, *, kind, filters: dict, status: int = 200) -> HttpResponse:
    kind = kind_of_tab(kind)
    context = {
        "form": form,
        "kind": kind,
        "kind_label": KIND_LABELS[SavedSearch.Kind(kind)],
        "filters": filters_described(filters),
        "back": f"{reverse('web:connect')}?{urlencode({'tab': kind, **filters})}",
    }
    return render(request, TEMPLATES + "new.html", context, status=status)


@require_GET
@login_required
def saved_search_run(request: HttpRequest, pk: int) -> HttpResponse:
    """The search's current results, as the /connect tab shows them."""
    search = _own_search(request, pk)
    found = saved_searches.saved_search_run(saved_search=search, actor=request.user)
    context = _described(search) | {
        "tab": "people" if search.kind == SavedSearch.Kind.PEOPLE else "opportunities",
        "page": page_of(request, found),
        "followed": _followed_ids(request.user),
    }
    return render(request, TEMPLATES + "run.html", context)


@require_POST
@login_required
def saved_search_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Rename the search or change its alert."""
    search = _own_search(request, pk)
    form = SavedSearchChangeForm(request.POST, auto_id=f"search{search.pk}_%s")
    if form.is_valid():
        changed = attempt(
            lambda: saved_searches.saved_search_update(
                saved_search=search, actor=request.user, **form.cleaned_data
            )
        )
        if not isinstance(changed, ApplicationError):
            messages.success(request, _("Search “%(name)s” saved.") % {"name": changed.name})
            return redirect("web:saved_searches")
        form.add_error(None, _refusal_text(changed))
    return _list_page(request, invalid=(search.pk, form))


@require_http_methods(["GET", "POST"])
@login_required
def saved_search_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page; POST: delete."""
    search = _own_search(request, pk)
    if request.method == "POST":
        saved_searches.saved_search_delete(saved_search=search, actor=request.user)
        messages.success(request, _("Search “%(name)s” deleted.") % {"name": search.name})
        return redirect("web:saved_searches")
    return render(request, TEMPLATES + "delete.html", _described(search))
