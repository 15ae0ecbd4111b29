"""Template helpers of the Blueprints tab: translated levels and file types."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from konnaxion.files.file_policy import allowed_extensions
from konnaxion.keenkonnect.services.document_diff import kind_of
from konnaxion.web.blueprint_forms import LEVEL_NAMES

register = template.Library()

KIND_LABELS = {"pdf": _("PDF document"), "image": _("Image"), "mesh": _("3D model")}
SHORT_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPG",
    "model/gltf+json": "glTF",
    "model/gltf-binary": "GLB",
    "model/stl": "STL",
}


@register.filter
def level_label(value: int) -> str:
    return str(LEVEL_NAMES.get(value, value))


@register.filter
def file_kind(content_type: str) -> str:
    """pdf, image, mesh or other: the family a file is shown and compared as."""
    return kind_of(content_type or "")


@register.filter
def kind_label(content_type: str) -> str:
    return str(KIND_LABELS.get(kind_of(content_type or ""), _("File")))


@register.filter
def short_type(content_type: str) -> str:
    """The few letters of the file-type icon."""
    return SHORT_TYPES.get(content_type, "FILE")


@register.simple_tag
def accepted_extensions() -> str:
    """The file input's `accept` list."""
    return ",".join(sorted(allowed_extensions()))


@register.filter
def member_name(user) -> str:
    """How a document names someone: their username, "a former member" once they deleted their
    account, a dash when nobody is known (no user, or a document without any version yet: the
    template then passes an empty string)."""
    if not user:
        return "—"
    if user.is_former_member:
        return str(_("a former member"))
    return user.username
