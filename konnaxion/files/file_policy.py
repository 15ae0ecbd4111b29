"""What Stockage accepts: file names, extensions (`ALLOWED_BLUEPRINT_TYPES`) and real content.

Pure functions: a name goes in, a normalised name comes out or `FileTypeNotAllowed` (415) is
raised; a file's bytes are checked against its extension by `konnaxion.files.
sniffing`, which raises `FileContentMismatch` (415).
"""

from __future__ import annotations

import posixpath
import unicodedata
from dataclasses import dataclass

from django.conf import settings

from konnaxion.core.errors import UnsupportedMediaType

MAX_NAME_LENGTH = 255

CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".glb": "model/gltf-binary",
    ".gltf": "model/gltf+json",
    ".stl": "model/stl",
}

# Extensions that, met before the last one (`plan.pdf.exe`, `x.php.png`), make a name a double
# extension: programs, scripts, markup and the document types themselves.
KNOWN_EXTENSIONS = frozenset(
    {
        "7z", "apk", "app", "asp", "aspx", "bat", "bin", "cgi", "cmd", "com", "cpl", "csh",
        "dll", "dmg", "doc", "docm", "docx", "elf", "exe", "gadget", "gif", "glb", "gltf", "gz",
        "hta", "htm", "html", "inf", "ini", "iso", "jar", "jpeg", "jpg", "js", "jse", "jsp",
        "ksh", "lnk", "msi", "msp", "pdf", "php", "php3", "php4", "php5", "phar", "phtml", "pif",
        "pl", "png", "ps1", "psm1", "py", "pyc", "rar", "rb", "reg", "scr", "sh", "shtml", "stl",
        "svg", "swf", "tar", "tgz", "vb", "vbe", "vbs", "wsf", "xhtml", "xls", "xlsm", "xlsx",
        "xml", "zip",
    }
)  # fmt: skip


class FileTypeNotAllowed(UnsupportedMediaType):
    code = "file_type_not_allowed"
    message = "This type of file is not accepted."


class FileContentMismatch(UnsupportedMediaType):
    code = "file_content_mismatch"
    message = "The file's content is not of the type its name says."


@dataclass(frozen=True)
class FileName:
    """A normalised, accepted file name, its lower-case extension and its content type."""

    name: str
    extension: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.extension]


def allowed_extensions() -> frozenset[str]:
    return frozenset(ext.lower() for ext in settings.ALLOWED_BLUEPRINT_TYPES) & CONTENT_TYPES.keys()


def file_name_normalise(raw: str) -> FileName:
    """NFC-normalise `raw`, drop any directories, and check its extension.

    Raises FileTypeNotAllowed for empty names, control or format characters, double extensions
    and extensions outside `ALLOWED_BLUEPRINT_TYPES` (compared case-insensitively).
    """
    name = unicodedata.normalize("NFC", raw or "")
    if any(unicodedata.category(char).startswith("C") for char in name):
        # Controls, and format characters such as U+202E that disguise an extension.
        raise FileTypeNotAllowed(
            "The file name contains control characters.", details={"reason": "control_character"}
        )
    name = posixpath.basename(name.replace("\\", "/")).strip().rstrip(". ")
    if not name or name.startswith("."):
        raise FileTypeNotAllowed("The file name is empty.", details={"reason": "empty_name"})
    if len(name) > MAX_NAME_LENGTH:
        raise FileTypeNotAllowed(
            "The file name is too long.",
            details={"reason": "name_too_long", "max_length": MAX_NAME_LENGTH},
        )
    stem, dot, extension = name.rpartition(".")
    extension = f".{extension.lower()}" if dot else ""
    allowed = allowed_extensions()
    if not stem or extension not in allowed:
        raise FileTypeNotAllowed(
            details={"reason": "extension", "extension": extension, "allowed": sorted(allowed)}
        )
    inner = [part.strip().lower() for part in stem.split(".")[1:]]
    if any(part in KNOWN_EXTENSIONS for part in inner):
        raise FileTypeNotAllowed(
            "The file name has a double extension.", details={"reason": "double_extension"}
        )
    return FileName(name=name, extension=extension)
