"""tags_get_or_create: normalised names, case-insensitive reuse, safe under races."""

import threading

import pytest
from django.db import connection

from konnaxion.core.errors import ValidationFailed
from konnaxion.tags.models import Tag
from konnaxion.tags.services import tags_get_or_create

pytestmark = pytest.mark.django_db


def test_names_are_normalised_and_reused_ignoring_case():
    # given
    existing = Tag.objects.create(name="Oil Painting")
    # when
    tags = tags_get_or_create(names=["  oil   painting ", "Bronze", "BRONZE", "bronze "])
    # then
    assert [tag.name for tag in tags] == ["Oil Painting", "Bronze"]
    assert tags[0].pk == existing.pk
    assert Tag.objects.count() == 2


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_blank_or_long_names_are_refused_and_nothing_is_created(name):
    with pytest.raises(ValidationFailed):
        tags_get_or_create(names=["fine", name])
    assert not Tag.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_creators_of_one_name_share_one_row():
    # given
    results: list[int] = []
    barrier = threading.Barrier(8)

    def create(spelling: str) -> None:
        try:
            barrier.wait()
            results.append(tags_get_or_create(names=[spelling])[0].pk)
        finally:
            connection.close()

    # when
    threads = [
        threading.Thread(target=create, args=(spelling,))
        for spelling in ["Glaze", "glaze", "GLAZE", " glaze"] * 2
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert len(results) == 8
    assert len(set(results)) == 1
    assert Tag.objects.count() == 1
