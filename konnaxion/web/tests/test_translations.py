"""Every string of the web front is translated in each catalog, and the catalogs compile."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

WEB = Path(__file__).resolve().parent.parent
CATALOGS = {
    code: settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po"
    for code in ("fr", "es", "ar")
}
# templatize() turns a template into Python-like text with gettext(u'...') calls.
GETTEXT_CALL = re.compile(r"""\bgettext\((u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))\)""")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy"}


def strings_of_templates() -> set[str]:
    found = set()
    for path in WEB.glob("templates/**/*.html"):
        python_source = templatize(path.read_text(), origin=str(path))
        for literal in GETTEXT_CALL.findall(python_source):
            found.add(ast.literal_eval(literal))
    return found


def strings_of_python() -> set[str]:
    found = set()
    for path in WEB.glob("**/*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in GETTEXT_NAMES
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(node.args[0].value)
    return found


def test_the_scan_finds_the_strings_of_templates_and_code():
    strings = strings_of_templates() | strings_of_python()
    assert "Skip to main content" in strings
    assert "You are signed in as %(name)s." in strings
    assert "Email address" in strings
    assert "You are signed out." in strings


@pytest.mark.parametrize("language", sorted(CATALOGS))
def test_every_string_has_a_translation(language):
    # given
    catalog = polib.pofile(str(CATALOGS[language]))
    translated = {entry.msgid for entry in catalog.translated_entries()}
    # when
    missing = (strings_of_templates() | strings_of_python()) - translated
    # then
    assert not missing, f"untranslated in {language}: {sorted(missing)}"
    assert not catalog.fuzzy_entries()


@pytest.mark.parametrize("language", sorted(CATALOGS))
def test_placeholders_survive_translation(language):
    for entry in polib.pofile(str(CATALOGS[language])):
        assert set(re.findall(r"%\(\w+\)s", entry.msgid)) == set(
            re.findall(r"%\(\w+\)s", entry.msgstr)
        ), entry.msgid


def test_compiled_catalogs_are_installed():
    for po_path in CATALOGS.values():
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), "make install compiles the catalogs"
        assert mo_path.stat().st_mtime >= po_path.stat().st_mtime, f"{mo_path} is stale"
