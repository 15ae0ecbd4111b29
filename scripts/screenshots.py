#!/usr/bin/env python3
"""Save a PNG of each main page, in English and in Arabic, into screenshots/ (`make screenshots`).

Starts its own ASGI server on a free loopback port with a separate data directory
(var/screenshots: its own embedded PostgreSQL and Redis, migrated and filled with the demo
data), drives Debian's Chromium headless, and stops everything when done.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# (file name, path) of every page that exists; later pages add themselves here.
PAGES = [
    ("home", "/"),
    ("sign-in", "/accounts/login/"),
    ("sign-up", "/accounts/signup/"),
    ("projects-browse", "/projects/?tab=browse"),
    ("connect-people", "/connect/?tab=people"),
    ("connect-opportunities", "/connect/?tab=opportunities"),
    ("search-anonymous", "/search/?q=printmaking"),
    ("profile-person", "/profile/noor/"),
]
# Pages seen signed in as the demo administrator (the owner of the demo projects).
SIGNED_IN_PAGES = [
    ("dashboard", "/"),
    ("projects-create", "/projects/?tab=create"),
    ("projects-mine", "/projects/?tab=mine"),
    ("project-overview", "/projects/community-workshop-bench/"),
    ("project-blueprints", "/projects/community-workshop-bench/?tab=blueprints"),
    ("connect-post-opportunity", "/connect/?tab=opportunities&post=1"),
    ("connect-people-signed-in", "/connect/?tab=people"),
    ("connect-people-collaborate", "/connect/?tab=people&purpose=collaborate"),
    ("search", "/search/?q=bench"),
    ("search-did-you-mean", "/search/?q=asembly"),
    ("search-profiles", "/search/?q=printmaking&kind=profile"),
    ("project-search", "/projects/community-workshop-bench/search/?q=bench"),
    ("connect-workspace", "/connect/?tab=workspace"),
    ("connect-saved-searches", "/connect/saved-searches/"),
    ("connect-applications", "/connect/applications/"),
    ("profile-portfolio", "/profile/admin/?tab=portfolio"),
    ("profile-reviews", "/profile/admin/?tab=reviews"),
    ("profile-edit", "/profile/admin/?tab=edit"),
    ("notifications", "/notifications/"),
    ("account", "/accounts/"),
    ("account-two-factors", "/accounts/2fa/"),
    ("account-sessions", "/accounts/sessions/"),
    ("account-tokens", "/accounts/tokens/"),
    ("account-data", "/accounts/data/"),
    ("account-leave", "/accounts/leave/"),
]
# (file name, path, CSS selector) of page parts worth a picture of their own, signed in.
SIGNED_IN_PARTS = [
    ("connect-suggestions", "/connect/?tab=people", "#suggestions"),
    ("connect-suggestions-collaborate", "/connect/?tab=people&purpose=collaborate", "#suggestions"),
]
# Pages also seen at a phone's width (390 px), signed in.
PHONE_PAGES = [
    ("dashboard", "/"),
    ("project-blueprints", "/projects/community-workshop-bench/?tab=blueprints"),
    ("notifications", "/notifications/"),
    ("account", "/accounts/"),
    ("account-tokens", "/accounts/tokens/"),
    ("search", "/search/?q=bench"),
    ("search-did-you-mean", "/search/?q=asembly"),
    ("project-search", "/projects/community-workshop-bench/search/?q=bench"),
]
DEMO_SIGN_IN = ("admin", "konnaxion-admin")
INDEX_DEMO = """
from konnaxion.keenkonnect.models import ProjectResource
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
for document in ProjectResource.objects.filter(current_version__isnull=False):
    resource_index(resource_id=document.pk, version_number=document.current_version.number)
"""
LANGUAGES = ["en", "ar"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our loopback URL
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit("screenshots: the server did not start")
            time.sleep(0.2)


def shoot(page, name: str, path: str, language: str) -> Path:
    page.goto(path)
    # Lazy images (avatars, artworks) are fetched after the load event: wait for them.
    page.wait_for_load_state("networkidle")
    target = OUT / f"{name}-{language}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


def shoot_part(page, name: str, path: str, selector: str, language: str) -> Path:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    target = OUT / f"{name}-{language}.png"
    page.locator(selector).screenshot(path=str(target))
    return target


def sign_in(page) -> None:
    username, password = DEMO_SIGN_IN
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("header .user-menu")


def room_path(page) -> str | None:
    """The first room of the demo administrator's Workspace tab, if the demo has one."""
    page.goto("/connect/?tab=workspace")
    link = page.locator("a.room-link").first
    return link.get_attribute("href") if link.count() else None


def link_from(page, path: str, selector: str) -> str | None:
    """The address of the first link `selector` finds on `path`, if there is one."""
    page.goto(path)
    link = page.locator(selector).first
    return link.get_attribute("href") if link.count() else None


def document_path(page, name: str = "") -> str | None:
    """A document of the demo project's Blueprints tab (the first, or the one titled `name`), if
    the demo has one."""
    row = f"#blueprint-list tbody tr:has-text('{name}')" if name else "#blueprint-list tbody"
    return link_from(
        page, "/projects/community-workshop-bench/?tab=blueprints", f"{row} a[href*='/blueprints/']"
    )


def diff_path(document: str) -> str:
    """The changes from the first version of `document` to its third (the demo has three)."""
    return f"{document.rstrip('/')}/diff/?old=1&new=3"


def extra_pages(page) -> list[tuple[str, str]]:
    """Pages reached through the demo's data: a room, documents of each kind with a diff,
    and the review of the demo call the administrator judges."""
    found = [("connect-room", room_path(page))]
    for kind, name in (("pdf", "Assembly notes"), ("glb", "Vice jaw"), ("stl", "Leg bracket")):
        document = document_path(page, name)
        found.append((f"blueprint-{kind}", document))
        found.append((f"blueprint-{kind}-diff", diff_path(document) if document else None))
    opportunity = link_from(page, "/connect/?tab=opportunities", "a:has-text('Small works salon')")
    if opportunity:
        found.append(("connect-review", link_from(page, opportunity, "a[href*='/review/']")))
    return [(name, path) for name, path in found if path]


def capture_phone(browser, base_url: str, language: str) -> list[Path]:
    """The pages that change most with the width, at a 390 px phone's, signed in."""
    context = browser.new_context(
        base_url=base_url, locale=language, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    sign_in(page)
    saved = [shoot(page, f"phone-{name}", path, language) for name, path in PHONE_PAGES]
    for name, path in extra_pages(page):
        saved.append(shoot(page, f"phone-{name}", path, language))
    context.close()
    return saved


def capture(base_url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    saved = []
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for language in LANGUAGES:
            context = browser.new_context(
                base_url=base_url, locale=language, viewport={"width": 1280, "height": 800}
            )
            page = context.new_page()
            for name, path in PAGES:
                saved.append(shoot(page, name, path, language))
            sign_in(page)
            for name, path in SIGNED_IN_PAGES:
                saved.append(shoot(page, name, path, language))
            for name, path, selector in SIGNED_IN_PARTS:
                saved.append(shoot_part(page, name, path, selector, language))
            for name, path in extra_pages(page):
                saved.append(shoot(page, name, path, language))
            context.close()
            saved.extend(capture_phone(browser, base_url, language))
        browser.close()
    return saved


def main() -> int:
    env = {
        **os.environ,
        "KONNAXION_DATA_DIR": str(ROOT / "var" / "screenshots"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "UVICORN_LOG_LEVEL": "warning",
    }
    konnaxion = [sys.executable, "-m", "konnaxion.cli"]
    subprocess.run([*konnaxion, "manage", "migrate", "--verbosity", "0"], env=env, check=True)
    subprocess.run([*konnaxion, "manage", "seed_demo"], env=env, check=True)
    # No worker runs here: the demo documents are indexed (previews, figures) in this process.
    subprocess.run([*konnaxion, "manage", "shell", "-c", INDEX_DEMO], env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [*konnaxion, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(f"{base_url}/healthz", server)
        for path in capture(base_url):
            print(f"saved {path.relative_to(ROOT)}")
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
