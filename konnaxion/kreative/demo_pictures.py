"""Pictures of the demo data: real artworks (desktop backgrounds shipped in Debian's
`mate-backgrounds` package, resized into DEMO_IMAGES_DIR by scripts/demo_images.py; licences in
docs/demo-data.md) and generated stand-ins when they are missing, so loading never fails."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

DEBIAN_PACKAGE = "mate-backgrounds"
DEBIAN_FOLDER = "/usr/share/backgrounds/mate"
# key -> (file in DEBIAN_FOLDER, copyright holders, licence), as debian/copyright states them.
DEMO_IMAGES: dict[str, tuple[str, str, str]] = {
    "storm": ("nature/Storm.jpg", "2008, Sergey Nazarov", "GPL-2+"),
    "raindrops": ("nature/RainDrops.jpg", "2008, “blackcombwhistler07”", "GPL-2+"),
    "elephants": ("abstract/Elephants.jpg", "2020, Wyng Stancikaite", "GPL-2+"),
    "aqua": ("nature/Aqua.jpg", "2008, Charles Barbin", "GPL-2+"),
    "flow": ("abstract/Flow.png", "2008, Daniel Galleguillos, Hylke Bons", "GPL-2+"),
    "gulp": ("abstract/Gulp.png", "2008, Daniel Galleguillos, Hylke Bons", "GPL-2+"),
    "blinds": ("nature/Blinds.jpg", "2008, Lennart Poettering, Andrea Cimitan", "GPL-2+"),
    "ladybird": ("nature/LadyBird.jpg", "2008, Charles Barbin", "GPL-2+"),
    "dune": ("nature/Dune.jpg", "2007, Marco Cogoni; 2008, Hylke Bons", "GPL-2+"),
    "aurora": ("desktop/Ubuntu-Mate-Cold-no-logo.png", "2014, Goce Mitevski", "CC-BY-SA-4.0"),
    "garden": ("nature/Garden.jpg", "2008, Charles Barbin", "GPL-2+"),
    "two-wings": ("nature/TwoWings.jpg", "2008, Charles Barbin, Hylke Bons", "GPL-2+"),
    "yellow-flower": ("nature/YellowFlower.jpg", "2008, Charles Barbin", "GPL-2+"),
}
# The longest side of a prepared picture, in pixels.
DEMO_IMAGE_SIDE = 1600
COLOURS = ((32, 78, 140), (176, 64, 48), (60, 130, 90), (200, 160, 40), (110, 60, 140))


def demo_image_path(key: str) -> Path:
    """Where scripts/demo_images.py puts the picture `key`."""
    return Path(settings.DEMO_IMAGES_DIR) / f"{key}.jpg"


def _generated(title: str, index: int) -> bytes:
    """A small generated image standing in for the artwork's photograph."""
    image = Image.new("RGB", (480, 360), COLOURS[index % len(COLOURS)])
    drawing = ImageDraw.Draw(image)
    drawing.rectangle((40, 40, 440, 320), outline=(255, 255, 255), width=6)
    drawing.text((60, 160), title, fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def artwork_picture(title: str, index: int, key: str = "") -> ContentFile:
    """The demo artwork's file: the prepared picture `key` when there is one, else a generated
    stand-in."""
    path = demo_image_path(key) if key else None
    if path is not None and path.is_file():
        return ContentFile(path.read_bytes(), name=path.name)
    return ContentFile(_generated(title, index), name=f"demo-{index}.png")


def avatar_picture(name: str, index: int) -> ContentFile:
    """A picture standing in for the person's photograph: their initials on a colour, uploaded
    like anyone's (the profile service re-encodes it)."""
    side = 256
    image = Image.new("RGB", (side, side), COLOURS[index % len(COLOURS)])
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    font = ImageFont.load_default(size=110)  # Pillow's own font: nothing to install
    ImageDraw.Draw(image).text((side / 2, side / 2), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name=f"avatar-{index}.png")
