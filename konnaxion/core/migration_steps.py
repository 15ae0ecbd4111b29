"""Migration steps that several apps' migrations share."""

from __future__ import annotations

from django.db import migrations
from django.db.migrations.state import StateApps


def _content_type_relabel(apps: StateApps, *, model: str, source: str, target: str) -> None:
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label=target, model=model).exists():
        content_types.filter(app_label=source, model=model).update(app_label=target)


def content_type_move(*, model: str, source: str, target: str) -> migrations.RunPython:
    """A step that gives a model moved from app `source` to app `target` its old content type
    (with the admin's history and the permissions attached to it), and takes it back when
    unapplied; a label that already has one is left alone. Needs contenttypes' migrations."""

    def forwards(apps: StateApps, schema_editor: object) -> None:
        _content_type_relabel(apps, model=model, source=source, target=target)

    def backwards(apps: StateApps, schema_editor: object) -> None:
        _content_type_relabel(apps, model=model, source=target, target=source)

    return migrations.RunPython(forwards, backwards)
