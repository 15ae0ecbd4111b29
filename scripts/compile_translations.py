#!/usr/bin/env python3
"""Compile the gettext catalogs (`locale/*/LC_MESSAGES/*.po`) into the `.mo` files Django reads.

Run by `make install`; uses the `polib` package, so GNU gettext is not needed. Entries marked
fuzzy are left out, as msgfmt does. With file arguments, only those catalogs are compiled.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def compile_catalog(po_path: Path) -> Path:
    """Write `<name>.mo` beside `po_path`, without its fuzzy or untranslated entries."""
    catalog = polib.pofile(str(po_path))
    for entry in [e for e in catalog if e.fuzzy or e.obsolete]:
        catalog.remove(entry)
    mo_path = po_path.with_suffix(".mo")
    catalog.save_as_mofile(str(mo_path))
    return mo_path


def main(arguments: list[str]) -> int:
    catalogs = [Path(a) for a in arguments] or sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    for po_path in catalogs:
        print(f"compiled {compile_catalog(po_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
