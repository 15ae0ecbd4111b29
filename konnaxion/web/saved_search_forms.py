"""Forms of the saved searches pages (/connect/saved-searches/): they validate; Kreative's
saved-search service writes."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from konnaxion.kreative.models import SavedSearch
from konnaxion.kreative.services.saved_searches import NAME_MAX_CHARS
from konnaxion.web.connect_forms import (
    OPPORTUNITY_STATUS_LABELS,
    OPPORTUNITY_TYPE_LABELS,
    PROFILE_ROLE_LABELS,
    OpportunitySearchForm,
    PeopleSearchForm,
)
from konnaxion.web.connect_views import _opportunity_query

ALERT_LABELS = {
    SavedSearch.Alert.OFF: _("No alert"),
    SavedSearch.Alert.IMMEDIATE: _("Tell me at once"),
    SavedSearch.Alert.DAILY: _("Tell me in the daily digest"),
}
KIND_LABELS = {
    SavedSearch.Kind.PEOPLE: _("People"),
    SavedSearch.Kind.OPPORTUNITIES: _("Opportunities"),
}
# The filters as the pages name them (some exist only in the API).
FILTER_LABELS = {
    "q": _("Search"),
    "skills": _("Skills"),
    "styles": _("Styles"),
    "region": _("Region"),
    "role": _("Role"),
    "open": _("Open to collaboration only"),
    "type": _("Type"),
    "tags": _("Tags"),
    "remote": _("Remote"),
    "deadline_after": _("Deadline after"),
    "deadline_before": _("Deadline before"),
    "starts_before": _("Starts before"),
    "ends_after": _("Ends after"),
    "status": _("Status"),
    "no_entry_fee": _("No entry fee"),
    "saved": _("Saved by me"),
    "ordering": _("Order"),
}
VALUE_LABELS = {
    "type": OPPORTUNITY_TYPE_LABELS,
    "status": OPPORTUNITY_STATUS_LABELS,
    "role": PROFILE_ROLE_LABELS,
    "remote": {"1": _("Remote only"), "0": _("On site only")},
    "ordering": {"deadline": _("Deadline soonest")},
}
FLAGS = ("open", "no_entry_fee", "saved")


def kind_of_tab(tab: str | None) -> str:
    """The kind of search a /connect tab holds (People unless it is Opportunities)."""
    return SavedSearch.Kind.OPPORTUNITIES if tab == "opportunities" else SavedSearch.Kind.PEOPLE


def filters_of_page(*, kind: str, data: QueryDict) -> dict[str, str] | None:
    """The API's filters for a /connect tab's query string, read by the tab's own search form;
    None when the form refuses it."""
    form_class = PeopleSearchForm if kind == SavedSearch.Kind.PEOPLE else OpportunitySearchForm
    search = form_class(data)
    if not search.is_valid():
        return None
    criteria = search.cleaned_data
    if kind == SavedSearch.Kind.OPPORTUNITIES:
        filters = _opportunity_query(criteria).dict()
    else:
        filters = {name: criteria.get(name) or "" for name in ("region", "role")}
        filters |= {name: ",".join(criteria.get(name) or []) for name in ("skills", "styles")}
        filters["open"] = "1" if criteria.get("open") else ""
    filters["q"] = criteria.get("q") or ""
    return {name: value for name, value in filters.items() if value}


def filters_described(filters: dict[str, str]) -> list[tuple[str, str]]:
    """(label, value) of each filter, in the reader's language."""
    described = []
    for name, value in filters.items():
        if name in FLAGS:
            shown = str(_("yes"))
        else:
            shown = str(VALUE_LABELS.get(name, {}).get(value, value))
        described.append((str(FILTER_LABELS.get(name, name)), shown))
    return described


def _alert_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Alert"),
        choices=list(ALERT_LABELS.items()),
        initial=SavedSearch.Alert.OFF,
        help_text=_("New matches are notified, and emailed as your notification settings say."),
    )


class SavedSearchForm(forms.Form):
    """Save the search of a /connect tab: its filters travel as the API's query string."""

    name = forms.CharField(label=_("Name of the search"), max_length=NAME_MAX_CHARS)
    alert = _alert_field()
    kind = forms.ChoiceField(choices=SavedSearch.Kind.choices, widget=forms.HiddenInput)
    filters = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def clean_filters(self) -> dict[str, str]:
        return QueryDict(self.cleaned_data["filters"]).dict()


class SavedSearchChangeForm(forms.Form):
    """Rename a saved search or change its alert."""

    name = forms.CharField(label=_("Name"), max_length=NAME_MAX_CHARS)
    alert = _alert_field()

    @classmethod
    def for_search(cls, search: SavedSearch) -> SavedSearchChangeForm:
        return cls(
            initial={"name": search.name, "alert": search.alert}, auto_id=f"search{search.pk}_%s"
        )
