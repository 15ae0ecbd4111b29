"""The layout: landmarks, navigation that grows with the routes, languages and error pages."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def signed_in_client(user) -> Client:
    client = Client()
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def test_home_says_what_konnaxion_is_with_landmarks_and_a_skip_link(client):
    # when
    response = client.get("/")
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert '<html lang="en" dir="ltr">' in html
    assert html.index('class="skip-link" href="#main"') < html.index("<header")
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert "Kontact" in html and "Stockage" in html
    assert f'href="{reverse("web:login")}"' in html
    assert f'href="{reverse("web:signup")}"' in html


def test_navigation_links_the_main_pages(client):
    html = client.get("/").content.decode()
    nav = html[html.index("<nav") : html.index("</nav>")]
    assert ">Home<" in nav
    assert '<a href="/search/">Search</a>' in nav
    assert '<a href="/connect/">Connect</a>' in nav
    assert '<a href="/projects/">Projects</a>' in nav


@pytest.mark.urls("konnaxion.web.tests.urls_future_pages")
def test_navigation_links_each_page_once_its_route_exists():
    # given the routes of the later pages, and a signed-in user
    client = signed_in_client(UserFactory(username="ada"))
    # when
    html = client.get("/").content.decode()
    # then
    nav = html[html.index("<nav") : html.index("</nav>")]
    assert '<a href="/connect/">Connect</a>' in nav
    assert '<a href="/projects/">Projects</a>' in nav
    assert '<a href="/search/">Search</a>' in nav
    assert '<a href="/" aria-current="page">Home</a>' in nav
    assert 'href="/profile/ada/"' in html


def test_a_signed_in_user_sees_the_user_menu_with_a_sign_out_form():
    # given
    client = signed_in_client(UserFactory(username="grace"))
    # when
    html = client.get("/").content.decode()
    # then
    assert '<bdi class="user-menu__name">grace</bdi>' in html
    assert re.search(
        r'<form action="/accounts/logout/" method="post">\s*<input type="hidden"', html
    )
    assert 'href="/accounts/login/"' not in html


@pytest.mark.parametrize(
    ("language", "direction", "home", "sign_in"),
    [
        ("en", "ltr", "Home", "Sign in"),
        ("fr", "ltr", "Accueil", "Se connecter"),
        ("es", "ltr", "Inicio", "Iniciar sesión"),
        ("ar", "rtl", "الرئيسية", "تسجيل الدخول"),
    ],
)
def test_the_language_switcher_translates_the_layout(client, language, direction, home, sign_in):
    # when the visitor picks a language with Django's set_language view
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    # then
    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    assert f">{home}</a>" in html
    assert f">{sign_in}</a>" in html
    assert f'<option value="{language}" lang="{language}" selected>' in html


def test_the_browser_language_is_used_until_one_is_picked(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ar,en;q=0.5").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_an_unsupported_language_is_ignored(client):
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_404_outside_the_api_is_the_layout_in_the_visitor_language(client):
    # when
    response = client.get("/no/such/page/", HTTP_ACCEPT_LANGUAGE="fr")
    # then
    html = response.content.decode()
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "Page introuvable" in html
    assert '<main id="main"' in html


@pytest.mark.urls("konnaxion.web.tests.urls_future_pages")
def test_500_outside_the_api_is_the_layout_and_says_nothing_internal():
    # when
    response = Client(raise_request_exception=False).get("/test-crash/")
    # then
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in html
    assert '<main id="main"' in html
    assert "boom" not in html


def test_the_api_keeps_json_errors(client):
    response = client.get("/api/no/such/thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_import_map_points_at_vendored_files_only(client):
    # when
    html = client.get("/").content.decode()
    # then every module the map names is served by this site
    importmap = re.search(
        r'<script type="importmap" nonce="[^"]+">(.*?)</script>', html, re.S
    ).group(1)
    urls = re.findall(r'"(/static/[^"]+)"', importmap)
    assert '"yjs": "/static/web/vendor/yjs/yjs.mjs"' in importmap
    assert '"three": "/static/web/vendor/three/three.module.js"' in importmap
    # a prefix (three's addons) maps a folder: its modules are what must be served
    assert '"three/addons/": "/static/web/vendor/three/addons/"' in importmap
    files = [url for url in urls if not url.endswith("/")]
    assert len(files) > 10
    others = [
        "/static/web/vendor/three/addons/controls/OrbitControls.js",
        "/static/web/vendor/three/addons/loaders/GLTFLoader.js",
        "/static/web/vendor/three/addons/loaders/STLLoader.js",
        "/static/web/vendor/htmx/htmx.min.js",
        "/static/web/konnaxion.css",
    ]
    for url in [*files, *others]:
        assert client.get(url).status_code == 200, url
    assert "http" not in importmap


def test_the_inline_import_map_is_allowed_by_its_nonce_only(client):
    # when
    response = client.get("/")
    # then the policy allows this response's nonce and no inline script in general
    nonce = re.search(r'type="importmap" nonce="([^"]+)"', response.content.decode()).group(1)
    script_src = response["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert script_src.split() == ["'self'", f"'nonce-{nonce}'"]
    assert client.get("/")["Content-Security-Policy"] != response["Content-Security-Policy"]
