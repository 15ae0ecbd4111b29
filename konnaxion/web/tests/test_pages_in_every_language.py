"""Every page, rendered in French, Spanish and Arabic, shows no English left untranslated.

The catalogs' own test (test_translations.py) checks that each string it finds is translated;
it cannot see a string that was never marked for translation, or one shown from a module it does
not scan (a model's choice label, a form's error). This test looks at what a reader sees: each
page of the demo data is rendered in English and in the other language, and any text that reads
the same in both is a leak, unless it is:
- user content: inside a `<bdi>` or an element marked `dir="auto"` (which is where user text
  belongs anyway, so that an English title keeps its punctuation in an Arabic page) or
  `translate="no"`;
- text that declares its own language (`lang="..."`, such as the language switcher's names);
- a translation that reads the same on purpose (a catalog entry whose msgstr equals its msgid:
  "Notes", "Description" in French);
- not words: numbers, dates, codes and names in capitals ("PDF", "2FA", "v2"), addresses.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import django
import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from konnaxion.users.models import User
from konnaxion.web.tests.pages import Page, demo_pages

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "es", "ar")
# Elements whose text is not prose shown to the reader.
SKIPPED_ELEMENTS = {
    "script", "style", "template", "code", "pre", "kbd", "samp", "textarea", "svg",
    # user text isolated for bidirectional text; the window's title (not in the page)
    "bdi", "title",
}  # fmt: skip
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# A word a reader would read: three or more letters, at least one of them lower case.
WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]*")
ADDRESS = re.compile(r"\S+(://|@)\S+")
# The product's name and other proper names that no language translates.
PROPER_NAMES = {"Konnaxion", "Kontact", "Stockage", "Markdown", "Token", "glTF"}


class ReadableText(HTMLParser):
    """Collects the text a reader sees, and the attributes read aloud, outside user content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.found: set[str] = set()

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        skip = (
            self.skipping
            or tag in SKIPPED_ELEMENTS
            or named.get("dir") == "auto"
            or named.get("translate") == "no"
            or ("lang" in named and tag != "html")
        )
        if not skip:
            for attribute in READ_ATTRIBUTES:
                self._add(named.get(attribute) or "")
            if tag == "input" and named.get("type") in ("submit", "button"):
                self._add(named.get("value") or "")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skip))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        # Browsers close what is left open (a <p> before a <div>): so does this.
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self._add(data)

    def _add(self, text: str) -> None:
        text = " ".join(text.split())
        if text:
            self.found.add(text)


def readable_text(html: str) -> set[str]:
    parser = ReadableText()
    parser.feed(html)
    parser.close()
    return parser.found


def is_words(text: str) -> bool:
    if ADDRESS.fullmatch(text):
        return False
    words = [word for word in WORD.findall(text) if len(word) >= 3]
    return any(word not in PROPER_NAMES for word in words)


def same_on_purpose(language: str) -> re.Pattern[str]:
    """The messages translated by themselves in this project's catalog and in Django's own (a
    size in "bytes" in Spanish), placeholders matching anything; a label may end with a colon."""
    paths = [
        settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po",
        Path(django.__file__).parent / "conf" / "locale" / language / "LC_MESSAGES" / "django.po",
    ]
    same = set()
    for path in paths:
        for entry in polib.pofile(str(path)):
            forms = {entry.msgid, entry.msgid_plural} - {""}
            translations = {entry.msgstr, *entry.msgstr_plural.values()} - {""}
            same |= forms & translations
    patterns = [re.escape(" ".join(msgid.split())) for msgid in same]
    anything = (re.sub(r"%\\\(\w+\\\)[sd]", ".+", pattern) for pattern in patterns)
    return re.compile(f"(?:{'|'.join(anything)}):?")


def rendered(client: Client, page: Page, language: str) -> str:
    response = client.get(page.path, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code in (200, 404), (page, language, response.status_code)
    return response.content.decode()


def leaks_of(client: Client, page: Page, language: str, allowed: re.Pattern[str]) -> list[str]:
    english = readable_text(rendered(client, page, "en"))
    translated = readable_text(rendered(client, page, language))
    return sorted(
        text for text in english & translated if is_words(text) and not allowed.fullmatch(text)
    )


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_reader_sees_text_outside_user_content_only():
    # given a page with interface text, user text, a language name and a script
    html = """<title>Bench · Konnaxion</title><main><h1>Projects</h1><p dir="auto">My <b>bench</b>
    plans</p><p>By <bdi>Noor Haddad</bdi></p>
    <option lang="fr">Français</option><script>const hidden = "text";</script>
    <button aria-label="Close" title="Close the dialog">x</button><input type="submit" value="Save">
    <p>Unclosed paragraph<div>Block</div></main>"""
    # when
    found = readable_text(html)
    # then
    assert found == {
        "Projects", "By", "Close", "Close the dialog", "x", "Save", "Unclosed paragraph", "Block",
    }  # fmt: skip
    assert [text for text in sorted(found) if is_words(text)] == [
        "Block", "Close", "Close the dialog", "Projects", "Save", "Unclosed paragraph",
    ]  # fmt: skip
    assert not is_words("PDF 2FA v2 12/06/2026 Konnaxion")
    assert not is_words("https://example.org/call") and not is_words("noor@example.org")


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_shows_english_in_another_language(demo, language):
    # given the demo data, a visitor and the demo administrator
    visitor, admin = Client(), Client()
    admin.force_login(User.objects.get(username="admin"))
    allowed = same_on_purpose(language)
    # when every page is rendered in English and in the language
    leaks = {}
    for page in demo_pages():
        client = admin if page.username else visitor
        found = leaks_of(client, page, language, allowed)
        if found:
            leaks[page.name] = found
    # then nothing reads the same in both
    assert not leaks, f"English left in {language}: {leaks}"
