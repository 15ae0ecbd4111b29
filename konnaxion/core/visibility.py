"""Which rows of a model a user may see, as the module owning the model declares it.

Code of one module that reaches another module's objects (a Smart Vote target, a search result)
asks here instead of querying the other app's table directly, so each visibility rule stays in
its own module's selector.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Model, QuerySet

_selectors: dict[str, Callable[..., QuerySet]] = {}


def visibility_register(*, model_label: str, selector: Callable[..., QuerySet]) -> None:
    """Declare `selector(user=...)` as the rows of `model_label` ("app.model") a user may see."""
    _selectors[model_label.lower()] = selector


def visible_to(*, model: type[Model], user: Any) -> QuerySet:
    """The rows of `model` that `user` may see: all of them unless the owner declared a rule."""
    selector = _selectors.get(model._meta.label_lower)
    return selector(user=user) if selector is not None else model._default_manager.all()


def visibility_declared(*, model: type[Model]) -> bool:
    """Whether the module owning `model` declared who may see its rows (for callers that must
    fail closed rather than fall back to "everyone")."""
    return model._meta.label_lower in _selectors
