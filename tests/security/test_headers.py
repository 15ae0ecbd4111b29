"""Security headers on pages and API answers."""

import subprocess
import sys

import pytest
from django.conf import settings

from conftest import process_env


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/livez", "/readyz", "/healthz", "/api/schema/", "/api/docs/", "/admin/login/"]
)
def test_security_headers(client, path):
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def in_production(code: str) -> list[str]:
    """The words `code` prints in a process of its own with the production settings."""
    env = process_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 10 + "x7!Qp2@vL9#rT4$wZ8^mN1&bC6*hJ3(kF5)dS0_gY-uE+iO=aR]",
        DJANGO_ALLOWED_HOSTS="konnaxion.example.org",
        KONNAXION_STORAGE_KEY="A" * 43 + "=",
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.split()


def test_hsts_is_set_in_production_settings():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE)"
    )
    out = in_production(code)
    assert out == ["31536000", "True", "True"]


def test_health_probes_are_exempt_from_the_https_redirect_in_production():
    code = (
        "from django.middleware.security import SecurityMiddleware;"
        "from django.test import RequestFactory;"
        "m = SecurityMiddleware(lambda r: None);"
        "f = RequestFactory(SERVER_NAME='konnaxion.example.org');"
        "paths = ['/livez', '/readyz', '/healthz', '/accounts/login/'];"
        "print(*[getattr(m.process_request(f.get(p)), 'status_code', 0) for p in paths])"
    )
    out = in_production(code)
    # the three probes are answered over plain HTTP; a page is sent to HTTPS
    assert out == ["0", "0", "0", "301"]
