"""Real English text for the search benchmark: Debian's package descriptions.

Source, in order of preference:

1. the long descriptions of apt's `*_i18n_Translation-en*` lists (about 64,000 texts of a few
   lines to a few paragraphs, written by Debian maintainers). When they are missing and we run
   as root, `apt-get update -o Acquire::Languages=en` fetches them first;
2. otherwise (no translation lists and no way to fetch them), the one-line descriptions of
   `apt-cache dumpavail`: the same packages, shorter texts.

Each text comes with its package's Debian section (`web`, `python`, `games`...), used as the
document's tag. Nothing is written to the repository: the lists live under apt's own folder.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

APT_LISTS = Path("/var/lib/apt/lists")
APT_HELPER = "/usr/lib/apt/apt-helper"


@dataclass(frozen=True)
class Description:
    package: str
    section: str
    title: str
    text: str


def _stanzas(text: str) -> Iterator[dict[str, str]]:
    """The fields of each deb822 stanza (continuation lines joined with newlines)."""
    fields: dict[str, str] = {}
    name = ""
    for line in text.splitlines():
        if not line:
            if fields:
                yield fields
            fields, name = {}, ""
        elif line[0] in " \t" and name:
            fields[name] += "\n" + line[1:]
        elif ":" in line:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    if fields:
        yield fields


def _read_list(path: Path) -> str:
    """An apt list as text, whatever its compression (apt-helper reads every format apt does)."""
    result = subprocess.run(
        [APT_HELPER, "cat-file", str(path)], capture_output=True, text=True, check=True
    )
    return result.stdout


def _long_description(body: str) -> str:
    # Paragraphs are separated by a line holding only "." in deb822 descriptions.
    lines = [line.strip() for line in body.splitlines()]
    return "\n".join("" if line == "." else line for line in lines).strip()


def _translation_lists() -> list[Path]:
    lists = sorted(APT_LISTS.glob("*_i18n_Translation-en*"))
    if not lists and os.geteuid() == 0:
        subprocess.run(
            ["apt-get", "update", "-qq", "-o", "Acquire::Languages=en"],
            check=False,
            capture_output=True,
        )
        lists = sorted(APT_LISTS.glob("*_i18n_Translation-en*"))
    return lists


def _sections() -> tuple[dict[str, str], dict[str, str]]:
    """Each package's section and one-line description, from `apt-cache dumpavail`."""
    dump = subprocess.run(
        ["apt-cache", "dumpavail"], capture_output=True, text=True, check=True
    ).stdout
    sections, summaries = {}, {}
    for stanza in _stanzas(dump):
        package = stanza.get("Package")
        if package:
            sections[package] = stanza.get("Section", "misc").split("/")[-1]
            summaries[package] = stanza.get("Description", "").split("\n")[0]
    return sections, summaries


def descriptions() -> list[Description]:
    """Every distinct package description found on this machine, ordered by package name.

    Raises RuntimeError when apt has no lists at all (run `apt-get update` first)."""
    sections, summaries = _sections()
    found: dict[str, Description] = {}
    for path in _translation_lists():
        for stanza in _stanzas(_read_list(path)):
            package, body = stanza.get("Package"), stanza.get("Description-en")
            if not package or not body or package in found:
                continue
            title, _, rest = body.partition("\n")
            found[package] = Description(
                package=package,
                section=sections.get(package, "misc"),
                title=title.strip(),
                text=_long_description(rest) or title.strip(),
            )
    if not found:
        # Fallback: the one-line descriptions that every apt installation has.
        for package, summary in summaries.items():
            if summary:
                found[package] = Description(package, sections[package], summary, summary)
    if not found:
        raise RuntimeError("no package descriptions: run `apt-get update` first")
    return [found[package] for package in sorted(found)]
