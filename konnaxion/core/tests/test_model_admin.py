"""Every model of the canonical data model has an admin whose list, search and filters work."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APPS = ("kreative", "keenkonnect", "ekoh", "smart_vote", "ethikos", "konnected", "insights")


def models_of_the_data_model():
    return [model for label in APPS for model in apps.get_app_config(label).get_models()]


@pytest.mark.parametrize("model", models_of_the_data_model(), ids=lambda m: m.__name__)
def test_model_admin_lists_searches_and_filters(model):
    # given
    model_admin = admin.site._registry.get(model)
    assert model_admin is not None, f"{model.__name__} has no admin"
    assert model_admin.list_display != ("__str__",)
    assert model_admin.search_fields and model_admin.list_filter
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    # when / then
    assert client.get(url).status_code == 200
    assert client.get(f"{url}?q=anything").status_code == 200
