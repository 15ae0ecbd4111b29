"""Reference rows that data migrations load (ISCED-F fields, score weights, vote modalities).

Each app that has some registers its loader in its `AppConfig.ready()`. A loader takes an app
registry (a migration's historical `apps`, or `django.apps.apps`) and is idempotent, so the same
code fills a fresh database (each app's data migration calls its own loader) and refills one a
transactional test emptied (`reference_data_load`, every app's loader).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Loader = Callable[[Any], None]

_loaders: dict[str, Loader] = {}


def reference_data_register(*, app_label: str, loader: Loader) -> None:
    """Declare `loader(apps)` as the filler of app `app_label`'s reference rows."""
    _loaders[app_label] = loader


def reference_data_load(apps: Any = None) -> None:
    """Run every registered loader against `apps` (the installed apps by default), in the
    order of INSTALLED_APPS."""
    from django.apps import apps as installed

    for config in installed.get_app_configs():
        loader = _loaders.get(config.label)
        if loader is not None:
            loader(apps if apps is not None else installed)
