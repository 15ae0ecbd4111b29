"""Every page, in a real browser, at a phone's width and a laptop's: nothing scrolls sideways,
and axe-core (the accessibility rules most audits use) finds nothing serious or critical.

The pages are the demo data's (konnaxion/web/tests/pages.py), seen by a visitor and by the demo
administrator. axe-core is vendored for the tests only (konnaxion/web/tests/vendor/) and injected
into each page; the page's Content-Security-Policy is bypassed for that script alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from konnaxion.web.tests.pages import Page, demo_pages

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
DEMO_ADMIN = ("admin", "konnaxion-admin")

# The elements wider than the window, named so that a failure says where to look.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const names = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || (box.right <= width + 1 && box.left >= -1)) continue;
    const parent = element.parentElement.getBoundingClientRect();
    if (parent.right > width + 1 || parent.left < -1) continue;  // only the outermost
    let scrolled = false;  // inside a box that scrolls or clips: the page does not move
    for (let up = element.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") { scrolled = true; break; }
    }
    if (scrolled) continue;
    names.push(element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
      + (element.className && typeof element.className === "string"
         ? "." + element.className.trim().split(/\\s+/).join(".") : ""));
  }
  return names.length ? names : ["(the document)"];
}"""
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((violation) => ["serious", "critical"].includes(violation.impact))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      nodes: violation.nodes.slice(0, 3).map((node) => node.target.join(" ")),
    }));
}"""


def _contexts(browser, base_url: str, viewport: dict) -> dict[str, object]:
    pages = {}
    for who in ("", "admin"):
        context = browser.new_context(base_url=base_url, viewport=viewport, bypass_csp=True)
        context.set_default_timeout(30_000)
        page = context.new_page()
        if who:
            page.goto("/accounts/login/")
            page.locator("#id_login").fill(DEMO_ADMIN[0])
            page.locator("#id_password").fill(DEMO_ADMIN[1])
            page.locator("main form button[type=submit]").first.click()
            expect(page.locator("header .user-menu summary")).to_have_text(DEMO_ADMIN[0])
        pages[who] = page
    return pages


def _look_at(browser_page, page: Page) -> tuple[list[str], list[dict]]:
    browser_page.goto(page.path)
    browser_page.wait_for_load_state("load")
    overflowing = browser_page.evaluate(OVERFLOWING)
    browser_page.add_script_tag(content=AXE.read_text())
    return overflowing, browser_page.evaluate(AXE_RUN)


def test_no_page_scrolls_sideways_and_axe_finds_nothing_serious(browser, live_server_url):
    # given the demo data
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    pages = demo_pages()
    overflows, violations = {}, {}
    # when every page is opened at each width, by a visitor or the demo administrator
    for width, viewport in WIDTHS.items():
        tabs = _contexts(browser, live_server_url, viewport)
        for page in pages:
            overflowing, found = _look_at(tabs[page.username], page)
            if overflowing:
                overflows[f"{page.name} at {width}"] = overflowing
            if found:
                violations[f"{page.name} at {width}"] = found
        for tab in tabs.values():
            tab.context.close()
    # then
    report = {"wider than the window": overflows, "axe-core violations": violations}
    assert not overflows and not violations, json.dumps(report, indent=1)
