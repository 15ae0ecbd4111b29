"""Watching a document or a project (which covers its documents): watchers are told of new
versions and comments. Domains declare what can be watched from their `AppConfig.ready()`."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model

from konnaxion.core.errors import NotFound, ValidationFailed
from konnaxion.core.visibility import visibility_declared, visible_to
from konnaxion.notifications.models import Watch
from konnaxion.notifications.selectors import target_type_of
from konnaxion.users.models import User

_watchable: dict[str, str] = {}


def watchable_register(*, name: str, model_label: str) -> None:
    """Let people watch rows of `model_label` ("app.model"), called `name` in the API. The
    model must have a visibility rule (`core.visibility`): people watch only what they see."""
    _watchable[name] = model_label.lower()


def watchable_names() -> list[str]:
    return sorted(_watchable)


def watchable_name_of(*, target_type: ContentType) -> str | None:
    label = f"{target_type.app_label}.{target_type.model}"
    return next((name for name, known in _watchable.items() if known == label), None)


def watch_target_get(*, user: User, name: str, target_id: int) -> Model:
    """The object `user` wants to watch: a declared kind they may see. Raises ValidationFailed
    (unknown kind), NotFound (missing or not visible to them: the same answer)."""
    label = _watchable.get(name)
    if label is None:
        raise ValidationFailed(
            details={"fields": {"target_type": f"one of {', '.join(watchable_names())}"}}
        )
    model = apps.get_model(label)
    if not visibility_declared(model=model):
        raise LookupError(f"{label} is watchable but declares no visibility rule")
    target = visible_to(model=model, user=user).filter(pk=target_id).first()
    if target is None:
        raise NotFound("No such object.")
    return target


def watch_add(*, user: User, target: Model) -> Watch:
    """`user` watches `target` (idempotent). Callers check that `user` may see it (the API
    through `watch_target_get`; domains watch for the uploader or commenter they just
    checked)."""
    target_type = target_type_of(target)
    try:
        # A savepoint: a concurrent identical watch does not break the caller's transaction.
        with transaction.atomic():
            watch, _ = Watch.objects.get_or_create(
                user=user, target_type=target_type, target_id=target.pk
            )
    except IntegrityError:
        watch = Watch.objects.get(user=user, target_type=target_type, target_id=target.pk)
    return watch


def watch_remove(*, user: User, target: Model) -> bool:
    """`user` stops watching `target`. Returns whether they were watching it."""
    deleted, _ = Watch.objects.filter(
        user=user, target_type=target_type_of(target), target_id=target.pk
    ).delete()
    return deleted > 0
