"""The 3D viewer of glTF, GLB and STL blueprints (web/projects/blueprints/_viewer_3d.html).

`{% viewer_3d project document %}` shows the current version of a document; on the diff page
`{% viewer_3d_overlay project document diff %}` shows two versions in one view, in two colours.
The files are read by the page's script from the download endpoint, the one permission path of
Stockage; the server-rendered preview stays as the picture shown without JavaScript.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.translation import gettext as _

from konnaxion.keenkonnect.models import Project, ProjectResource
from konnaxion.web.diff_figures import MESH_UNITS, model_figures

register = template.Library()

# Models up to this size open by themselves; larger ones wait for "Open the 3D viewer", so that
# nobody downloads 150 MB by opening a page.
AUTOMATIC_MAX_BYTES = 20 * 1024 * 1024
MESH_FORMATS = {"model/stl": "stl", "model/gltf+json": "gltf", "model/gltf-binary": "glb"}


def _download_url(project: Project, document: ProjectResource, number: int) -> str:
    return f"/api/projects/{project.slug}/resources/{document.pk}/download/?version={number}"


def _viewer(sources: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    size = sum(source["size"] for source in sources)
    formats = {source["format"] for source in sources}
    return {
        "sources_json": json.dumps(sources),
        "size": size,
        "automatic": size <= AUTOMATIC_MAX_BYTES,
        # An STL has no unit (millimetres by convention), glTF is in metres: the figures of the
        # diff page say the same (diff_figures.MESH_UNITS).
        "unit": MESH_UNITS[sources[-1]["format"]],
        # STL files are drawn with Z up (what CAD and slicers write), glTF with Y up (its spec).
        "up": "z" if formats == {"stl"} else "y",
        **extra,
    }


@register.inclusion_tag("web/projects/blueprints/_viewer_3d.html")
def viewer_3d(project: Project, document: ProjectResource) -> dict[str, Any]:
    """The viewer of `document`'s current version, with the figures of its analysis (when the
    index has analysed this version; the script measures what is missing)."""
    version = document.current_version
    source_format = MESH_FORMATS.get(version.content_type) if version else None
    if source_format is None:
        return {}
    source = {
        "url": _download_url(project, document, version.number),
        "format": source_format,
        "size": version.size,
        "role": "model",
    }
    analysis = document.extracted_metadata or {}
    if document.indexed_version != version.number or analysis.get("type") != "model":
        analysis = {}
    viewer = _viewer([source])
    return {**viewer, "figures": model_figures(analysis, viewer["unit"]), "title": document.title}


@register.inclusion_tag("web/projects/blueprints/_viewer_3d.html")
def viewer_3d_overlay(
    project: Project, document: ProjectResource, diff: dict[str, Any]
) -> dict[str, Any]:
    """Both versions of a mesh diff in one view: the older drawn as orange lines, the newer as a
    translucent blue surface, with a legend and a switch for each."""
    sources = []
    for role in ("old", "new"):
        source_format = MESH_FORMATS.get(diff["content_type"][role])
        if source_format is None:
            return {}
        number = diff[role]["version"]
        sources.append(
            {
                "url": _download_url(project, document, number),
                "format": source_format,
                "size": diff["size"][role],
                "role": role,
                "label": _("Version %(n)s") % {"n": number},
            }
        )
    return {**_viewer(sources), "overlay": sources, "title": document.title}
