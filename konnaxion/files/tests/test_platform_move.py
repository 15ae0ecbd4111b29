"""The blob store and the tag vocabulary moved from the domains into the platform apps: rows
made before the move are the same rows after it, seen through `files.Blob` and `tags.Tag`."""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from konnaxion.files.models import Blob, storage_name_for
from konnaxion.keenkonnect.models import Project
from konnaxion.tags.models import Tag

BEFORE_THE_MOVE = [
    ("keenkonnect", "0006_resource_current_content_type"),
    ("kreative", "0007_profiles_for_existing_artists"),
]
PLATFORM_APPS_UNMADE = [("files", None), ("tags", None)]


def _migrate(targets: list[tuple[str, str]] | None = None) -> MigrationExecutor:
    """Migrate to `targets` (the latest migrations when None); the executor of the new state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_rows_made_before_the_move_are_read_through_the_platform_apps() -> None:
    sha256 = hashlib.sha256(b"made before the move").hexdigest()
    try:
        executor = _migrate([*BEFORE_THE_MOVE, *PLATFORM_APPS_UNMADE])
        old = executor.loader.project_state(BEFORE_THE_MOVE).apps
        content_types = old.get_model("contenttypes", "ContentType").objects
        blob_type, _ = content_types.get_or_create(app_label="keenkonnect", model="blob")
        tag_type, _ = content_types.get_or_create(app_label="kreative", model="tag")
        creator = old.get_model("users", "User").objects.create(username="before-the-move")
        tag = old.get_model("kreative", "Tag").objects.create(name="Isometric")
        project = old.get_model("keenkonnect", "Project").objects.create(
            title="Old project", slug="old-project", creator=creator
        )
        project.tags.add(tag)
        blob = old.get_model("keenkonnect", "Blob").objects.create(
            sha256=sha256,
            size=20,
            content_type="application/pdf",
            storage_name=storage_name_for(sha256),
            wrapped_key=b"k" * 40,
            key_id="old-key",
        )

        _migrate()

        assert Blob.objects.get(pk=blob.pk).sha256 == sha256
        assert list(Project.objects.get(pk=project.pk).tags.all()) == [Tag.objects.get(pk=tag.pk)]
        assert Tag.objects.get(pk=tag.pk).name == "Isometric"
        # The admin's history and permissions stay attached: the content types moved, not new.
        ContentType.objects.clear_cache()
        assert ContentType.objects.get_for_model(Blob).pk == blob_type.pk
        assert ContentType.objects.get_for_model(Tag).pk == tag_type.pk
        assert not ContentType.objects.filter(app_label="keenkonnect", model="blob").exists()
        assert not ContentType.objects.filter(app_label="kreative", model="tag").exists()
    finally:
        _migrate()
        ContentType.objects.clear_cache()
