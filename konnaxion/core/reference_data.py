"""Reference rows that data migrations load (ISCED-F fields, score weights, vote modalities).

Each loader takes an app registry (a migration's historical `apps`, or `django.apps.apps`) and is
idempotent, so the same code fills a fresh database and refills one a transactional test emptied.
"""

from __future__ import annotations

from importlib import import_module

LOADERS = (
    "konnaxion.ekoh.reference_data.load",
    "konnaxion.smart_vote.reference_data.load",
    "konnaxion.insights.reference_data.load",
)


def reference_data_load(apps=None) -> None:
    """Run every loader against `apps` (the installed apps by default)."""
    if apps is None:
        from django.apps import apps
    for dotted in LOADERS:
        module_name, _, function = dotted.rpartition(".")
        getattr(import_module(module_name), function)(apps)
