"""Prepare the demo artworks' pictures: real desktop backgrounds from Debian's
`mate-backgrounds` package, resized to at most 1600 pixels a side as JPEG, into
DEMO_IMAGES_DIR (default `var/demo-images`, or the folder given as argument). Installs the
package with apt-get when it is missing and this runs as root. Licences: docs/demo-data.md.

Without these pictures the demo draws stand-ins: nothing fails. Usage:
    python scripts/demo_images.py [FOLDER]
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from konnaxion.kreative.demo_pictures import (  # noqa: E402
    DEBIAN_FOLDER,
    DEBIAN_PACKAGE,
    DEMO_IMAGE_SIDE,
    DEMO_IMAGES,
)


def destination() -> Path:
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    if os.environ.get("DEMO_IMAGES_DIR"):
        return Path(os.environ["DEMO_IMAGES_DIR"])
    data = Path(os.environ.get("KONNAXION_DATA_DIR", ROOT / "var"))
    return data / "demo-images"


def package_install() -> bool:
    """Install the Debian package when missing (as root only); whether its files are there."""
    if Path(DEBIAN_FOLDER).is_dir():
        return True
    if os.geteuid() != 0:
        print(f"Debian's {DEBIAN_PACKAGE} is needed: sudo apt-get install {DEBIAN_PACKAGE}")
        return False
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", DEBIAN_PACKAGE],
        check=True,
        env=environment,
    )
    return Path(DEBIAN_FOLDER).is_dir()


def main() -> int:
    if not package_install():
        return 1
    folder = destination()
    folder.mkdir(parents=True, exist_ok=True)
    for key, (source, _holders, _licence) in DEMO_IMAGES.items():
        with Image.open(Path(DEBIAN_FOLDER) / source) as picture:
            picture = picture.convert("RGB")
            picture.thumbnail((DEMO_IMAGE_SIDE, DEMO_IMAGE_SIDE))
            picture.save(folder / f"{key}.jpg", format="JPEG", quality=85, optimize=True)
    print(f"{len(DEMO_IMAGES)} demo pictures in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
