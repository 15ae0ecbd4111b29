"""Template helpers of the document page's comments: its threads, and what an anchor says."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from konnaxion.keenkonnect import selectors
from konnaxion.keenkonnect.models import AccessLevel, DocumentComment, ProjectResource
from konnaxion.keenkonnect.services.document_diff import kind_of

register = template.Library()

# The unit of a model's coordinates: STL files are drawn in millimetres by convention, glTF
# is in metres by its specification.
POINT_UNITS = {"model/stl": "mm", "model/gltf+json": "m", "model/gltf-binary": "m"}


def _preview_rect(thread: DocumentComment, document: ProjectResource) -> str:
    """ "x y w h" (0..1) of a pinned area drawable on the preview of the current version: an
    image's area, or one on the first page of a PDF (the preview shows that page)."""
    anchor = thread.anchor or {}
    if thread.version_id != document.current_version_id or "rect" not in anchor:
        return ""
    if anchor.get("kind") == "page" and anchor.get("page") != 1:
        return ""
    rect = anchor["rect"]
    return " ".join(f"{rect[key]:.4f}" for key in ("x", "y", "w", "h"))


@register.simple_tag(takes_context=True)
def comment_section(context: Any, document: ProjectResource) -> dict[str, Any]:
    """The document's threads (pinned ones numbered, as their markers on the preview), the
    event sequence number the page starts from, and what the visitor may do."""
    user = context["request"].user
    # Read before the threads: an event between the two is replayed to the page, never lost.
    seq = selectors.project_latest_event_seq(project=document.project)
    threads = list(selectors.comments_of(resource=document))
    marker = 0
    for thread in threads:
        thread.preview_rect = _preview_rect(thread, document)
        if thread.anchor:
            marker += 1
            thread.marker = marker
    version = document.current_version
    return {
        "threads": threads,
        "seq": seq,
        "kind": kind_of(version.content_type) if version else "",
        "unit": POINT_UNITS.get(version.content_type, "") if version else "",
        "signed_in": user.is_authenticated,
        "is_admin": getattr(document, "my_level", 0) >= AccessLevel.ADMIN,
        "user_id": user.pk,
    }


@register.filter
def anchor_label(comment: DocumentComment) -> str:
    """Where a comment is pinned, in words: "page 3", "page 3, an area", "an area of the
    image", "point (12, 4, 7) mm"; empty when it is not pinned."""
    anchor = comment.anchor or {}
    kind = anchor.get("kind")
    if kind == "page":
        page = anchor["page"]
        if "rect" in anchor:
            return _("page %(page)s, an area") % {"page": page}
        return _("page %(page)s") % {"page": page}
    if kind == "rect":
        return _("an area of the image")
    if kind == "point":
        # Plain figures: a decimal comma would run into the commas between coordinates.
        coordinates = ", ".join(f"{value:g}" for value in anchor["point"])
        unit = POINT_UNITS.get(comment.version.content_type, "")
        return (_("point (%(coordinates)s)") % {"coordinates": coordinates} + f" {unit}").strip()
    return ""
