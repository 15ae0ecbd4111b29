"""Template helpers of failed indexing: the reason said for a person, and who may try again."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from konnaxion.keenkonnect.models import AccessLevel, ProjectResource

register = template.Library()


@register.filter
def index_reason_label(reason: str) -> str:
    """A stored reason code (intelligent_indexing, analysis library) as a short sentence."""
    labels = {
        "blob_unreadable": _("the stored file cannot be decrypted or is damaged"),
        "gave_up": _("the file could not be read after several attempts"),
        "timeout": _("reading the file took too long"),
        "memory_limit": _("reading the file needs too much memory"),
        "crashed": _("the reader stopped on this file"),
    }
    if reason in labels:
        return labels[reason]
    if reason.endswith("_too_large") or reason == "pixel_flood":
        return _("the file is too large to read")
    if reason.endswith(("_invalid", "_empty", "_encrypted")):
        return _("the file is damaged or not of its stated type")
    return _("the file could not be read")


@register.filter
def index_retry_allowed(document: ProjectResource) -> bool:
    """Whether the viewer (the selector's `my_level`) may queue the indexing again."""
    return getattr(document, "my_level", AccessLevel.NONE) >= AccessLevel.ADMIN
