"""The platform search knows the kinds the apps registered, and only those."""

import pytest

from konnaxion.core import search
from konnaxion.core.api.search_views import SearchQuerySerializer, SearchResultSerializer


def test_the_apps_register_their_kinds_in_the_order_of_installed_apps():
    # then: kreative's two kinds, then keenkonnect's (documents and their comments)
    assert search.search_kinds() == ("profile", "opportunity", "document", "comment", "project")
    assert [p.kind for p in search.search_providers().values()] == list(search.search_kinds())


class _Provider:
    kind = "note"
    understands_document_filters = False


def test_a_registered_kind_is_searchable_and_named_by_the_api(monkeypatch):
    # given only one kind, registered by its app
    monkeypatch.setattr(search, "_providers", {})
    search.search_provider_register(_Provider())
    # then
    assert search.search_kinds() == ("note",)
    assert search.search_filters_from({"kind": ["note", "document"]}).kinds == ("note",)
    assert list(SearchQuerySerializer().fields["kind"].choices) == ["note"]
    assert list(SearchResultSerializer().fields["kind"].choices) == ["note"]


@pytest.mark.parametrize("kinds", [["document"], ["robots"]])
def test_the_api_refuses_kinds_nobody_registered(monkeypatch, kinds):
    # given
    monkeypatch.setattr(search, "_providers", {})
    search.search_provider_register(_Provider())
    # when
    params = SearchQuerySerializer(data={"q": "oak", "kind": kinds})
    # then
    assert not params.is_valid()
    assert set(params.errors) == {"kind"}
