"""The one way the product opens an image: Pillow behind a pixel limit checked before decoding.

A decompression bomb is a small file that declares huge dimensions (a PNG of a few hundred bytes
saying 12,000 x 12,000 asks for 432 MB once decoded). Pillow reads only the header on `open`,
so the size is known before any pixel is: `image_open` refuses anything past `max_pixels`
(`IMAGE_MAX_PIXELS` unless the caller has its own limit) there, and every `Image.open` of the
product goes through it. Pillow's own guard (an error past twice `Image.MAX_IMAGE_PIXELS`) stays
as a second net and is reported the same way.
"""

from __future__ import annotations

import struct
import warnings
from typing import IO, Any

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from konnaxion.core.errors import ApplicationError, PayloadTooLarge

# What Pillow raises for bytes it cannot make an image of, depending on the format's plugin.
UNREADABLE = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    struct.error,
)


class ImageTooLarge(PayloadTooLarge):
    code = "image_too_large"
    message = "The image has too many pixels."


class ImageUnreadable(ApplicationError):
    code = "image_invalid"
    status = 400
    message = "The file is not an image that can be read."


def image_open(
    stream: IO[bytes] | Any,
    *,
    formats: list[str] | tuple[str, ...] | None = None,
    max_pixels: int | None = None,
) -> Image.Image:
    """Open the image in `stream` (from its start) without decoding its pixels.

    `formats` limits the decoders tried (Pillow's names: "PNG", "JPEG", ...). Raises
    ImageTooLarge (413, details `max_pixels`, and `width`/`height` when declared) past
    `max_pixels` (default `IMAGE_MAX_PIXELS`), ImageUnreadable (400) for anything else Pillow
    cannot open. The caller closes the image (`with image_open(...) as image:`).
    """
    limit = settings.IMAGE_MAX_PIXELS if max_pixels is None else max_pixels
    if hasattr(stream, "seek"):
        stream.seek(0)
    try:
        with warnings.catch_warnings():
            # The limit below decides; Pillow's warning under its own error threshold is noise.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(stream, formats=formats)
    except Image.DecompressionBombError as error:
        raise ImageTooLarge(details={"max_pixels": limit}) from error
    except UNREADABLE as error:
        raise ImageUnreadable() from error
    width, height = image.size
    if width <= 0 or height <= 0:
        _let_go(image)
        raise ImageUnreadable("The image has no pixels.")
    if width * height > limit:
        _let_go(image)
        raise ImageTooLarge(
            f"The image has more than {limit} pixels ({width}x{height}).",
            details={"max_pixels": limit, "width": width, "height": height},
        )
    return image


def _let_go(image: Image.Image) -> None:
    """Drop Pillow's hold on an image without closing the caller's stream (which `close` would
    do): leaving the image's context only closes files Pillow opened itself."""
    with image:
        pass
