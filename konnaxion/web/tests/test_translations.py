"""Every string of the web front (and of the suggestion reasons it shows) is translated in each
catalog, with every plural form, and the catalogs compile."""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

WEB = Path(__file__).resolve().parent.parent
# Python modules outside the web app whose strings the web front shows.
SHOWN_BY_THE_WEB = [
    WEB.parent / "kreative" / "matching" / "reason_text.py",
    WEB.parent / "notifications" / "texts.py",
    WEB.parent / "notifications" / "models" / "notifications.py",
    WEB.parent / "ekoh" / "models" / "categories.py",
]
CATALOGS = {
    code: settings.BASE_DIR / "locale" / code / "LC_MESSAGES" / "django.po"
    for code in ("fr", "es", "ar")
}
# templatize() turns a template into Python-like text with gettext(u'...') calls.
GETTEXT_CALL = re.compile(r"""\bgettext\((u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"))\)""")
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop"}
NGETTEXT_NAMES = {"ngettext", "ngettext_lazy"}
PGETTEXT_NAMES = {"pgettext", "pgettext_lazy"}


def strings_of_templates() -> set[str]:
    found = set()
    for path in WEB.glob("templates/**/*.html"):
        python_source = templatize(path.read_text(), origin=str(path))
        for literal in GETTEXT_CALL.findall(python_source):
            found.add(ast.literal_eval(literal))
    return found


def strings_of_python() -> set[str]:
    return {msgid for context, msgid, plural in messages_of_python() if not context and not plural}


def messages_of_python() -> set[tuple[str, str, str]]:
    """(context, msgid, msgid_plural) of every translation call, "" where there is none."""
    found = set()
    paths = [path for path in WEB.glob("**/*.py") if "tests" not in path.parts]
    for path in paths + SHOWN_BY_THE_WEB:
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            literals = [arg.value for arg in node.args if isinstance(arg, ast.Constant)]
            if node.func.id in GETTEXT_NAMES and node.args[:1] and literals[:1]:
                found.add(("", literals[0], ""))
            elif node.func.id in NGETTEXT_NAMES and len(literals) >= 2:
                found.add(("", literals[0], literals[1]))
            elif node.func.id in PGETTEXT_NAMES and len(literals) == 2:
                found.add((literals[0], literals[1], ""))
    return found


def test_the_scan_finds_the_strings_of_templates_and_code():
    strings = strings_of_templates() | strings_of_python()
    assert "Skip to main content" in strings
    assert "You are signed in as %(name)s." in strings
    assert "Email address" in strings
    assert "Username or email address" in strings
    assert ("", "follows you", "") in messages_of_python()
    assert (
        "",
        "followed by %(count)s person you follow",
        "followed by %(count)s people you follow",
    ) in messages_of_python()
    assert ("list separator", ", ", "") in messages_of_python()


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
def test_every_plural_and_context_message_has_all_its_forms(language):
    # given
    catalog = polib.pofile(str(CATALOGS[language]))
    forms = int(re.search(r"nplurals=(\d+)", catalog.metadata["Plural-Forms"]).group(1))
    translated = {
        (entry.msgctxt or "", entry.msgid, entry.msgid_plural): entry
        for entry in catalog.translated_entries()
    }
    # when
    wanted = {key for key in messages_of_python() if key[0] or key[2]}
    missing = wanted - set(translated)
    # then
    assert not missing, f"untranslated in {language}: {sorted(missing)}"
    for key in wanted:
        if key[2]:
            assert len(translated[key].msgstr_plural) == forms, key


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)s", text))


@pytest.mark.parametrize("language", sorted(CATALOGS))
def test_placeholders_survive_translation(language):
    for entry in polib.pofile(str(CATALOGS[language])):
        if not entry.msgid_plural:
            assert placeholders(entry.msgid) == placeholders(entry.msgstr), entry.msgid
            continue
        expected = placeholders(entry.msgid_plural)
        for form in entry.msgstr_plural.values():
            # A form for 0, 1 or 2 may say its number in words ("شخصان", two people).
            assert placeholders(form) <= expected, (entry.msgid, form)
            assert len(expected - placeholders(form)) <= 1, (entry.msgid, form)


def test_compiled_catalogs_are_installed():
    for po_path in CATALOGS.values():
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists(), "make install compiles the catalogs"
        assert mo_path.stat().st_mtime >= po_path.stat().st_mtime, f"{mo_path} is stale"
