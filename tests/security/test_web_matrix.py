"""The authorization matrix of the web front: every page x anonymous, outsider, each team role
and staff, on the team world (`matrix/team_world.py`).

Rows live in `matrix/web_pages.py`. A new page without a row fails `test_every_page_has_a_row`,
and a method a page serves without a row fails `test_every_method_a_page_serves_has_a_row`.
No cell may be a 500.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import resolve

from tests.security.matrix.team_world import team_world_fixture
from tests.security.matrix.web_pages import PAGES, SIGN_IN, Page
from tests.security.web_routes import web_routes


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    yield from team_world_fixture(django_db_blocker)


def _client(world, caller: str) -> Client:
    client = Client(raise_request_exception=False)
    if caller != "anonymous":
        client.force_login(world.users[caller])
    return client


def _request(client: Client, entry: Page, world):
    path = entry.concrete_path(world)
    headers = {f"HTTP_{name.upper().replace('-', '_')}": v for name, v in entry.headers.items()}
    if entry.method == "GET":
        return client.get(path, **headers)
    return client.post(path, entry.concrete_body(world), **headers)


def test_every_page_has_a_row():
    declared = {entry.route for entry in PAGES}
    assert web_routes() - declared == set(), "pages missing from the matrix"
    assert declared - web_routes() == set(), "rows for pages that do not exist"


def test_every_row_names_every_caller():
    callers = set(PAGES[0].expected)
    assert all(set(entry.expected) == callers for entry in PAGES)


@pytest.mark.django_db
def test_rows_resolve_to_their_route(world):
    for entry in PAGES:
        match = resolve(entry.concrete_path(world).split("?")[0])
        # Django drops the "^" of a regular expression included under a prefix
        # ("accounts/" + "^confirm-email/...") from the route it reports.
        assert match.route == entry.route.replace("/^", "/"), entry.label


@pytest.mark.django_db
def test_every_method_a_page_serves_has_a_row(world):
    """GET and POST without a row must be refused as not allowed (405)."""
    client = _client(world, "anonymous")
    declared = {(entry.route, entry.method) for entry in PAGES}
    for route in sorted(web_routes()):
        example = next(entry for entry in PAGES if entry.route == route)
        for method in ("GET", "POST"):
            if (route, method) in declared:
                continue
            path = example.concrete_path(world)
            response = client.get(path) if method == "GET" else client.post(path)
            assert response.status_code == 405, f"{method} {path} has no row"


def _cells():
    for entry in PAGES:
        for caller in entry.expected:
            marks = []
            if caller in entry.failing_today:
                marks = [pytest.mark.xfail(strict=True, reason=entry.failing_today[caller])]
            yield pytest.param(entry, caller, marks=marks, id=f"{entry.label} {caller}")


@pytest.mark.django_db
@pytest.mark.parametrize(("entry", "caller"), list(_cells()))
def test_web_matrix(world, entry: Page, caller: str):
    # given
    client = _client(world, caller)
    # when
    response = _request(client, entry, world)
    # then
    expected = entry.expected[caller]
    if expected == SIGN_IN:
        sign_in = resolve_url(settings.LOGIN_URL)
        assert response.status_code == 302, response.content[:300]
        assert response["Location"].startswith(f"{sign_in}?next="), response["Location"]
    elif isinstance(expected, tuple):
        assert response.status_code in expected, response.content[:300]
    else:
        assert response.status_code == expected, response.content[:300]
