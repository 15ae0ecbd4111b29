"""What an uploaded file really is, read from its content rather than its name, and the name
its downloads are given."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.utils.text import get_valid_filename

from konnaxion.core.errors import UnsupportedMediaType
from konnaxion.core.images import UNREADABLE, ImageUnreadable, image_open

# Leading bytes of the video and audio containers accepted, with their media type.
_SIGNATURES: list[tuple[bytes, int, str, str]] = [
    (b"ftyp", 4, "video", "video/mp4"),
    (b"\x1a\x45\xdf\xa3", 0, "video", "video/webm"),
    (b"OggS", 0, "audio", "audio/ogg"),
    (b"ID3", 0, "audio", "audio/mpeg"),
    (b"fLaC", 0, "audio", "audio/flac"),
    (b"%PDF-", 0, "other", "application/pdf"),
]
_IMAGE_FORMATS = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
    "BMP": "image/bmp",
    "TIFF": "image/tiff",
}


@dataclass(frozen=True)
class SniffedMedia:
    media_type: str
    content_type: str


def media_sniff(upload: File[bytes]) -> SniffedMedia:
    """The media type of `upload` judged by its bytes. Raises UnsupportedMediaType, and
    ImageTooLarge (413 `image_too_large`) for an image past IMAGE_MAX_PIXELS."""
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return SniffedMedia("audio", "audio/wav")
    if head[:2] == b"\xff\xfb" or head[:2] == b"\xff\xf3":
        return SniffedMedia("audio", "audio/mpeg")
    for signature, offset, media_type, content_type in _SIGNATURES:
        if head[offset : offset + len(signature)] == signature:
            return SniffedMedia(media_type, content_type)
    image_format = _image_format(upload)
    if image_format:
        return SniffedMedia("image", _IMAGE_FORMATS[image_format])
    raise UnsupportedMediaType(
        "The file's content is not a supported image, video or audio format.",
        code="unsupported_media_type",
    )


def _image_format(upload: File[bytes]) -> str | None:
    try:
        with image_open(upload) as image:  # verify() reads the whole image, not only a header
            image.verify()
            image_format = image.format
    except ImageUnreadable:
        return None
    except UNREADABLE:  # from verify()
        return None
    finally:
        upload.seek(0)
    return image_format if image_format in _IMAGE_FORMATS else None


def media_file_name(upload: File[bytes], *, default: str) -> str:
    """The upload's name as plain storage kept it (no folders, spaces or punctuation), given to
    the Content-Disposition of its downloads; `default` when nothing of it is usable."""
    try:
        name = get_valid_filename(posixpath.basename((upload.name or "").replace("\\", "/")))
    except SuspiciousFileOperation:
        return default
    return name[-255:]
