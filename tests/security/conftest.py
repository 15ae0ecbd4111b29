"""One id per operation of the API fuzz (`test_api_fuzz.py`).

schemathesis names each operation's test `test_api_conforms_to_its_schema[GET /api/...]` but
builds it the way pytest 9 takes the id from the function's name alone, so that every operation
had the same id: reports could not tell them apart, and pytest-xdist, which schedules tests by
id, ran only one of them.
"""

from __future__ import annotations

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        label = getattr(item, "operation_label", None)
        if label and item.parent is not None and item.id.params is None:
            item._id = item.parent.id.child(item.originalname).with_params(label)
