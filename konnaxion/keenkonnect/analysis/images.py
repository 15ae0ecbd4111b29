"""PNG and JPEG: dimensions, mode, EXIF, a perceptual hash, and the changes between two images.

Images past `BLUEPRINT_MAX_IMAGE_PIXELS` are refused before any pixel is decoded. Comparisons
run on working copies at most `WORK_LONGEST` pixels on their longest side; boxes are reported in
the pixels of the full-size canvas.
"""

from __future__ import annotations

import io
import struct
from collections import deque
from dataclasses import dataclass
from typing import Any, BinaryIO

import numpy as np
from django.conf import settings
from PIL import ExifTags, Image, ImageDraw, TiffImagePlugin

from konnaxion.core.images import ImageTooLarge, ImageUnreadable, image_open
from konnaxion.keenkonnect.analysis.errors import AnalysisFailed

WORK_LONGEST = 1024
HASH_SIZE = 8
# A channel that moves by more than this (of 255) is a change, not compression noise.
CHANGE_THRESHOLD = 40
CELL = 4  # changed pixels are grouped into cells of CELL x CELL working pixels
MAX_BOXES = 50
MAX_EXIF_VALUE = 256
SKIPPED_EXIF_TAGS = frozenset({"MakerNote", "UserComment", "PrintImageMatching"})
HIGHLIGHT = (230, 30, 30)


def blueprint_image_open(handle: BinaryIO) -> Image.Image:
    """Open the PNG or JPEG in `handle` without decoding its pixels.

    Raises AnalysisFailed (`pixel_flood`, `image_invalid`).
    """
    try:
        return image_open(
            handle, formats=["PNG", "JPEG"], max_pixels=settings.BLUEPRINT_MAX_IMAGE_PIXELS
        )
    except ImageTooLarge as exc:
        raise AnalysisFailed("pixel_flood", exc.message) from exc
    except ImageUnreadable as exc:
        raise AnalysisFailed("image_invalid", "The image cannot be decoded.") from exc


def _json_value(value: Any) -> Any:
    if isinstance(value, TiffImagePlugin.IFDRational):
        return None if value.denominator == 0 else round(float(value), 6)
    if isinstance(value, bytes):
        stripped = value.rstrip(b"\x00")
        if stripped.isascii() and stripped.decode("ascii").isprintable():
            return stripped.decode("ascii")[:MAX_EXIF_VALUE]
        return stripped[: MAX_EXIF_VALUE // 2].hex()
    if isinstance(value, str):
        return value.rstrip("\x00")[:MAX_EXIF_VALUE]
    if isinstance(value, tuple | list):
        return [_json_value(item) for item in value[:64]]
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)[:MAX_EXIF_VALUE]


def image_exif(image: Image.Image) -> dict[str, Any]:
    """The image's EXIF tags by name (base, Exif and GPS directories) as JSON-safe values."""
    exif = image.getexif()
    found: dict[str, Any] = {}
    directories = [(exif, ExifTags.TAGS)]
    for pointer, names in (
        (ExifTags.IFD.Exif, ExifTags.TAGS),
        (ExifTags.IFD.GPSInfo, ExifTags.GPSTAGS),
    ):
        try:
            directories.append((exif.get_ifd(pointer), names))
        except (KeyError, ValueError, TypeError, struct.error):
            continue
    for directory, names in directories:
        for tag, value in directory.items():
            if tag in (ExifTags.IFD.Exif, ExifTags.IFD.GPSInfo):
                continue
            name = names.get(tag, f"Tag{tag}")
            if name not in SKIPPED_EXIF_TAGS:
                found[name] = _json_value(value)
    return found


def _working_copy(image: Image.Image, scale: float) -> Image.Image:
    """RGB pixels of `image` scaled by `scale`, transparency flattened onto white."""
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    try:
        if image.format == "JPEG" and scale < 1:
            image.draft("RGB", size)  # decode at 1/2, 1/4 or 1/8 straight away
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            flattened = Image.new("RGB", rgba.size, (255, 255, 255))
            flattened.paste(rgba, mask=rgba.getchannel("A"))
            rgb = flattened
        else:
            rgb = image.convert("RGB")
        return rgb.resize(size, Image.Resampling.BOX) if rgb.size != size else rgb
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise AnalysisFailed("image_invalid", "The image's pixels cannot be decoded.") from exc


def perceptual_hash(image: Image.Image) -> str:
    """The 64-bit difference hash (dHash) of `image` as 16 hex digits."""
    scale = min(1.0, 256 / max(image.size))
    grey = _working_copy(image, scale).convert("L")
    small = np.asarray(
        grey.resize((HASH_SIZE + 1, HASH_SIZE), Image.Resampling.LANCZOS), dtype=np.int16
    )
    bits = (small[:, 1:] > small[:, :-1]).reshape(-1)
    return f"{int(''.join('1' if bit else '0' for bit in bits), 2):016x}"


def hash_distance(first: str, second: str) -> int:
    """How many of the 64 bits of two perceptual hashes differ (0: alike, 64: opposite)."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def image_analyse(handle: BinaryIO) -> dict[str, Any]:
    """Format, dimensions, mode, EXIF and perceptual hash of the image in `handle`.

    Raises AnalysisFailed.
    """
    image = blueprint_image_open(handle)
    return {
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "mode": image.mode,
        "exif": image_exif(image),
        "perceptual_hash": perceptual_hash(image),
    }


@dataclass(frozen=True)
class ImageComparison:
    """How two images differ: boxes `[left, top, right, bottom]` in full-size canvas pixels."""

    hash_distance: int
    changed_fraction: float
    boxes: list[list[int]]
    box_count: int
    highlight_png: bytes


def _canvas(
    image: Image.Image, size: tuple[int, int], scale: float
) -> tuple[np.ndarray, np.ndarray]:
    """`image` at `scale`, top-left on a canvas of `size`; and where it has pixels."""
    copy = _working_copy(image, scale)
    pixels = np.zeros((size[1], size[0], 3), dtype=np.int16)
    covered = np.zeros((size[1], size[0]), dtype=bool)
    width, height = min(copy.width, size[0]), min(copy.height, size[1])
    pixels[:height, :width] = np.asarray(copy, dtype=np.int16)[:height, :width]
    covered[:height, :width] = True
    return pixels, covered


def _components(cells: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (cell coordinates, end exclusive) of 8-connected groups of True cells."""
    seen = np.zeros_like(cells)
    rows, columns = cells.shape
    boxes = []
    for start_row, start_column in zip(*np.nonzero(cells), strict=True):
        if seen[start_row, start_column]:
            continue
        seen[start_row, start_column] = True
        queue = deque([(start_row, start_column)])
        top, left, bottom, right = start_row, start_column, start_row, start_column
        while queue:
            row, column = queue.popleft()
            top, bottom = min(top, row), max(bottom, row)
            left, right = min(left, column), max(right, column)
            for next_row in range(max(row - 1, 0), min(row + 2, rows)):
                for next_column in range(max(column - 1, 0), min(column + 2, columns)):
                    if cells[next_row, next_column] and not seen[next_row, next_column]:
                        seen[next_row, next_column] = True
                        queue.append((next_row, next_column))
        boxes.append((int(left), int(top), int(right) + 1, int(bottom) + 1))
    return boxes


def image_compare(old: BinaryIO, new: BinaryIO) -> ImageComparison:
    """Compare two images on a common canvas (both top-left aligned; an area only one covers
    counts as changed): perceptual-hash distance, boxes around changed regions, and a PNG of
    the new image, faded, with the changes in red.

    Raises AnalysisFailed.
    """
    old_image, new_image = blueprint_image_open(old), blueprint_image_open(new)
    full = (max(old_image.width, new_image.width), max(old_image.height, new_image.height))
    scale = min(1.0, WORK_LONGEST / max(full))
    size = (max(1, round(full[0] * scale)), max(1, round(full[1] * scale)))
    old_pixels, old_covered = _canvas(old_image, size, scale)
    new_pixels, new_covered = _canvas(new_image, size, scale)
    changed = np.abs(old_pixels - new_pixels).max(axis=2) > CHANGE_THRESHOLD
    changed |= old_covered != new_covered
    padded = np.zeros((-(-size[1] // CELL) * CELL, -(-size[0] // CELL) * CELL), dtype=bool)
    padded[: size[1], : size[0]] = changed
    cells = padded.reshape(padded.shape[0] // CELL, CELL, padded.shape[1] // CELL, CELL).any(
        axis=(1, 3)
    )
    cell_boxes = sorted(
        _components(cells), key=lambda b: (b[2] - b[0]) * (b[3] - b[1]), reverse=True
    )
    to_full = CELL / scale
    boxes = [
        [
            int(left * to_full),
            int(top * to_full),
            min(full[0], int(np.ceil(right * to_full))),
            min(full[1], int(np.ceil(bottom * to_full))),
        ]
        for left, top, right, bottom in cell_boxes[:MAX_BOXES]
    ]
    return ImageComparison(
        hash_distance=hash_distance(perceptual_hash(old_image), perceptual_hash(new_image)),
        changed_fraction=round(float(changed.mean()), 6),
        boxes=boxes,
        box_count=len(cell_boxes),
        highlight_png=_highlight(new_pixels, changed, cell_boxes[:MAX_BOXES]),
    )


def _highlight(pixels: np.ndarray, changed: np.ndarray, cell_boxes: list[tuple]) -> bytes:
    faded = (pixels * 0.35 + 255 * 0.65).astype(np.uint8)
    tint = np.array(HIGHLIGHT, dtype=np.uint16)
    faded[changed] = ((faded[changed].astype(np.uint16) + tint * 3) // 4).astype(np.uint8)
    image = Image.fromarray(faded, "RGB")
    draw = ImageDraw.Draw(image)
    for left, top, right, bottom in cell_boxes:
        draw.rectangle(
            [left * CELL - 2, top * CELL - 2, right * CELL + 1, bottom * CELL + 1],
            outline=HIGHLIGHT,
            width=2,
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
