"""Queue Celery tasks by their name.

Services sit below the `tasks` modules that call them, so they never import a task: they name
it here. A wrong name fails at the call (`celery.exceptions.NotRegistered`), not later in a
worker, because the name is resolved against the registry of every installed app's tasks.
"""

from __future__ import annotations

from functools import cache

from celery import Task, current_app
from django.db import transaction


@cache
def _task(name: str) -> Task:
    app = current_app
    # Imports every installed app's `tasks` module once, as a worker does when it starts.
    app.loader.import_default_modules()
    return app.tasks[name]


def task_enqueue(name: str, *args: object, expires: float | None = None) -> None:
    """Send task `name` with `args` to the broker now; it is dropped unstarted once `expires`
    seconds have passed (never, by default)."""
    task = _task(name)
    if expires is None:
        task.apply_async(args=args)
    else:
        task.apply_async(args=args, expires=expires)


def task_enqueue_on_commit(name: str, *args: object) -> None:
    """Send task `name` with `args` once the current transaction commits (at once outside
    one); a rolled-back transaction sends nothing."""
    task = _task(name)
    transaction.on_commit(lambda: task.apply_async(args=args))
