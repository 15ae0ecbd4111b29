"""Concurrent identical watches: one row, no error for anyone (transactions really commit)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from konnaxion.notifications.models import Watch
from konnaxion.notifications.services.watching import watch_add
from konnaxion.notifications.tests.helpers import members_project

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_watches_of_one_document_make_one_row():
    # given
    _project, users, document = members_project()
    mentor = users["mentor"]
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def watch() -> None:
        try:
            start.wait()
            with transaction.atomic():
                watch_add(user=mentor, target=document)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=watch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert errors == []
    assert Watch.objects.filter(user=mentor, target_id=document.pk).count() == 1
