"""The query-count contract of list endpoints: the same number of queries for 2 and 50 rows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def list_query_count(client, url: str) -> int:
    """Queries made by one GET of `url` (all rows on one page); the response must be 200."""
    separator = "&" if "?" in url else "?"
    with CaptureQueriesContext(connection) as context:
        response = client.get(f"{url}{separator}page_size=100")
    assert response.status_code == 200, response.content
    return len(context.captured_queries)


def assert_flat_query_count(
    client, url: str, make_rows: Callable[[int], None], django_assert_max_num_queries
) -> None:
    """List `url` with 2 rows, then with 50: the second may not need more queries."""
    make_rows(2)
    with_two = list_query_count(client, url)
    make_rows(48)
    response = None
    with django_assert_max_num_queries(with_two):
        response = client.get(f"{url}{'&' if '?' in url else '?'}page_size=100")
    body = response.json()
    assert body["count"] >= 50, body["count"]
    assert len(body["results"]) >= 50
