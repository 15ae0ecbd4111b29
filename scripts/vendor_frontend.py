#!/usr/bin/env python3
"""Fetch the web front's JavaScript libraries from the npm registry into the static folder.

Run by `make vendor` when a version below changes; the resulting files are committed, so that
running and testing the project never needs npm. Each package is fetched with `npm pack` (the
published tarball, nothing built here) and only the browser files we load are kept.

yjs ships an ES module (`dist/yjs.mjs`) that imports its dependency lib0 by bare specifiers
(`lib0/array`, ...). Without a bundler those are resolved in the browser by an import map: we
copy the lib0 modules that yjs reaches (following their relative imports) and write
`importmap.json`, which the layout renders with the static URLs.

three.js is done the same way: `build/three.module.js` (and the `three.core.js` it imports) is
`three`, and the addons the 3D viewer loads (THREE_ADDONS, with the files they reach by relative
imports) are kept under `three/addons/`, mapped as the `three/addons/` prefix the addons' own
documentation uses.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

WEB = Path(__file__).resolve().parent.parent / "konnaxion" / "web"
VENDOR = WEB / "static" / "web" / "vendor"
# Libraries the tests load into pages and the server never serves.
TEST_VENDOR = WEB / "tests" / "vendor"

# package -> (version, licence, {file in the package: file under vendor/})
PACKAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    "htmx.org": (
        "2.0.11",
        "0BSD",
        {"dist/htmx.min.js": "htmx/htmx.min.js", "LICENSE": "htmx/LICENSE"},
    ),
    "htmx-ext-ws": (
        "2.0.4",
        "0BSD",
        {"dist/ws.min.js": "htmx/ext/ws.min.js", "LICENSE": "htmx/ext/LICENSE"},
    ),
    "yjs": ("13.6.33", "MIT", {"dist/yjs.mjs": "yjs/yjs.mjs", "LICENSE": "yjs/LICENSE"}),
    "lib0": ("0.2.120", "MIT", {"LICENSE": "lib0/LICENSE"}),
    # The document page's PDF viewer (blueprints/viewer_pdf.js): the library and its worker,
    # not the viewer application (the few text-layer styles are in viewer_pdf.css); and the
    # JavaScript builds of the JPEG 2000 and JBIG2 decoders (scanned drawings), which the worker
    # imports from `wasmUrl` since the Content-Security-Policy allows no WebAssembly.
    "pdfjs-dist": (
        "6.5.438",
        "Apache-2.0",
        {
            "build/pdf.min.mjs": "pdfjs/pdf.min.mjs",
            "build/pdf.worker.min.mjs": "pdfjs/pdf.worker.min.mjs",
            "LICENSE": "pdfjs/LICENSE",
            "wasm/openjpeg_nowasm_fallback.js": "pdfjs/wasm/openjpeg_nowasm_fallback.js",
            "wasm/LICENSE_OPENJPEG": "pdfjs/wasm/LICENSE_OPENJPEG",
            "wasm/LICENSE_PDFJS_OPENJPEG": "pdfjs/wasm/LICENSE_PDFJS_OPENJPEG",
            "wasm/jbig2_nowasm_fallback.js": "pdfjs/wasm/jbig2_nowasm_fallback.js",
            "wasm/LICENSE_JBIG2": "pdfjs/wasm/LICENSE_JBIG2",
            "wasm/LICENSE_PDFJS_JBIG2": "pdfjs/wasm/LICENSE_PDFJS_JBIG2",
        },
    ),
    "three": ("0.187.0", "MIT", {"LICENSE": "three/LICENSE"}),
}
TEST_PACKAGES: dict[str, tuple[str, str, dict[str, str]]] = {
    # The accessibility rules the browser tests run on every page (test_browser_every_page.py).
    "axe-core": (
        "4.14.1",
        "MPL-2.0",
        {"axe.min.js": "axe-core/axe.min.js", "LICENSE": "axe-core/LICENSE"},
    ),
}
# Bare specifiers resolved per the package's "exports" for browsers.
LIB0_BROWSER_EXPORTS = {"lib0/webcrypto": "webcrypto.js"}
# The three.js addons the 3D viewer imports (web/blueprints/viewer3d.js), under examples/jsm/.
THREE_ADDONS = ("controls/OrbitControls.js", "loaders/GLTFLoader.js", "loaders/STLLoader.js")
IMPORT_PATTERN = re.compile(r"""(?:\bfrom|\bimport)\s*\(?\s*['"]([^'"]+)['"]""")
# Static import and export statements only, at the start of a line: three.js's code has strings
# and comments that look like imports to IMPORT_PATTERN, and no dynamic imports.
STATEMENT_IMPORT_PATTERN = re.compile(r"""^(?:import|export)\b[^;'"]*?['"]([^'"]+)['"]""", re.M)


def npm_pack(package: str, version: str, into: Path) -> Path:
    """Download `package@version` with `npm pack` and unpack it; returns the package folder."""
    result = subprocess.run(
        ["npm", "pack", "--silent", f"{package}@{version}"],
        cwd=into,
        check=True,
        capture_output=True,
        text=True,
    )
    tarball = into / result.stdout.strip().splitlines()[-1]
    target = into / package
    with tarfile.open(tarball) as archive:
        archive.extractall(target, filter="data")
    return target / "package"


def lib0_modules_used_by(yjs_module: Path, lib0: Path) -> tuple[dict[str, str], set[str]]:
    """Import-map entries for the bare `lib0/...` imports of yjs, and every lib0 file needed."""
    imports: dict[str, str] = {}
    pending: list[str] = []

    def bare(specifier: str) -> None:
        if specifier in imports:
            return
        name = LIB0_BROWSER_EXPORTS.get(specifier, specifier.removeprefix("lib0/") + ".js")
        imports[specifier] = f"lib0/{name}"
        pending.append(name)

    for specifier in IMPORT_PATTERN.findall(yjs_module.read_text()):
        if specifier.startswith("lib0/"):
            bare(specifier)
    files: set[str] = set()
    while pending:
        name = pending.pop()
        if name in files:
            continue
        files.add(name)
        for specifier in IMPORT_PATTERN.findall((lib0 / name).read_text()):
            if specifier.startswith("."):
                pending.append(
                    posixpath.normpath(posixpath.join(posixpath.dirname(name), specifier))
                )
            elif specifier.startswith("lib0/"):
                bare(specifier)
            else:
                sys.exit(f"lib0/{name} imports {specifier!r}, which is not vendored")
    return imports, files


def relative_closure(root: Path, entries: tuple[str, ...], bare: set[str]) -> set[str]:
    """The files under `root` that `entries` reach by relative imports; bare imports must be
    in `bare` (resolved by the import map)."""
    files: set[str] = set()
    pending = list(entries)
    while pending:
        name = pending.pop()
        if name in files:
            continue
        files.add(name)
        for specifier in STATEMENT_IMPORT_PATTERN.findall((root / name).read_text()):
            if specifier.startswith("."):
                pending.append(
                    posixpath.normpath(posixpath.join(posixpath.dirname(name), specifier))
                )
            elif specifier not in bare:
                sys.exit(f"{root / name} imports {specifier!r}, which is not vendored")
    return files


def three_files(three: Path) -> dict[Path, str]:
    """three.js's module build and the viewer's addons: {file in the package: file under
    vendor/}."""
    copies = {
        three / "build" / name: f"three/{name}"
        for name in relative_closure(three / "build", ("three.module.js",), set())
    }
    addons = three / "examples" / "jsm"
    for name in relative_closure(addons, THREE_ADDONS, {"three"}):
        copies[addons / name] = f"three/addons/{name}"
    return copies


def main() -> int | str:
    if shutil.which("npm") is None:
        return "npm is needed to refresh the vendored files (apt-get install npm)"
    for folder in (VENDOR, TEST_VENDOR):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        unpacked = {
            name: npm_pack(name, version, Path(tmp))
            for name, (version, _, _) in {**PACKAGES, **TEST_PACKAGES}.items()
        }
        for packages, folder in ((PACKAGES, VENDOR), (TEST_PACKAGES, TEST_VENDOR)):
            for name, (_, _, files) in packages.items():
                for source, target in files.items():
                    (folder / target).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(unpacked[name] / source, folder / target)
        imports, lib0_files = lib0_modules_used_by(
            unpacked["yjs"] / "dist" / "yjs.mjs", unpacked["lib0"]
        )
        for name in sorted(lib0_files):
            (VENDOR / "lib0" / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(unpacked["lib0"] / name, VENDOR / "lib0" / name)
        for packaged, kept in sorted(three_files(unpacked["three"]).items()):
            (VENDOR / kept).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(packaged, VENDOR / kept)
    importmap = {
        "imports": {
            "yjs": "yjs/yjs.mjs",
            **dict(sorted(imports.items())),
            "three": "three/three.module.js",
            "three/addons/": "three/addons/",
        }
    }
    (VENDOR / "importmap.json").write_text(json.dumps(importmap, indent=2) + "\n")
    write_readme()
    everything = {**PACKAGES, **TEST_PACKAGES}
    print(f"vendored {', '.join(f'{n}@{v[0]}' for n, v in everything.items())}")
    return 0


def _rows(packages: dict[str, tuple[str, str, dict[str, str]]]) -> str:
    return "\n".join(
        f"| `{name}` | {version} | {licence} | `{posixpath.dirname(next(iter(files.values())))}/` |"
        for name, (version, licence, files) in packages.items()
    )


def write_readme() -> None:
    (TEST_VENDOR / "README.md").write_text(
        "# Libraries for the tests only\n\n"
        "Fetched from the npm registry by `make vendor` (`scripts/vendor_frontend.py`); the\n"
        "browser tests inject them into pages, the server never serves them.\n\n"
        "| package | version | licence | folder |\n| --- | --- | --- | --- |\n"
        f"{_rows(TEST_PACKAGES)}\n"
    )
    rows = _rows(PACKAGES)
    (VENDOR / "README.md").write_text(
        "# Vendored front-end libraries\n\n"
        "Fetched from the npm registry by `make vendor` (`scripts/vendor_frontend.py`, which\n"
        "uses `npm pack`); do not edit these files by hand. Each folder keeps the package's\n"
        "licence file.\n\n"
        "| package | version | licence | folder |\n| --- | --- | --- | --- |\n"
        f"{rows}\n\n"
        "`importmap.json` maps the bare specifiers of `yjs/yjs.mjs` (`yjs`, `lib0/...`) to the\n"
        'files here; the layout renders it as `<script type="importmap">` with static URLs,\n'
        'so a page\'s module script can `import * as Y from "yjs"`. It maps `three` to\n'
        "`three/three.module.js` and the prefix `three/addons/` to the few addons kept (the 3D\n"
        "viewer's orbit controls, glTF and STL loaders, and what they import), so that\n"
        '`import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js"` works as documented.\n'
    )


if __name__ == "__main__":
    sys.exit(main())
