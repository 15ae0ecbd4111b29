"""Reference data: each app registers its loader, and one call refills every app's rows."""

import pytest
from django.apps import apps

from konnaxion.core import reference_data


def test_the_apps_loaders_run_in_the_order_of_installed_apps(monkeypatch):
    # given the registered loaders, each replaced by one that notes its app
    ran = []
    recording = {
        label: (lambda registry, label=label: ran.append((label, registry)))
        for label in reference_data._loaders
    }
    monkeypatch.setattr(reference_data, "_loaders", recording)
    # when
    reference_data.reference_data_load()
    # then
    assert ran == [("ekoh", apps), ("smart_vote", apps), ("insights", apps)]


def test_a_loader_is_given_the_registry_it_is_called_with(monkeypatch):
    # given
    given = []
    monkeypatch.setattr(reference_data, "_loaders", {})
    reference_data.reference_data_register(app_label="smart_vote", loader=given.append)
    historical = object()
    # when
    reference_data.reference_data_load(historical)
    # then
    assert given == [historical]


@pytest.mark.django_db
def test_reference_data_load_refills_emptied_tables():
    # given
    VoteModality = apps.get_model("smart_vote", "VoteModality")
    DimDomain = apps.get_model("insights", "DimDomain")
    VoteModality.objects.all().delete()
    DimDomain.objects.all().delete()
    # when
    reference_data.reference_data_load()
    reference_data.reference_data_load()
    # then
    assert sorted(VoteModality.objects.values_list("name", flat=True)) == [
        "approval",
        "preferential",
        "ranking",
        "rating",
    ]
    assert DimDomain.objects.count() == 6
