"""The figures of a 3D model diff, as a reader reads them: named, with units, signed changes;
and the figures of one model, shown beside the 3D viewer of a document page.

The diff service (keenkonnect.services.document_diff) keeps machine keys and raw numbers (the API
shows them as they are); this module turns its `mesh` section into rows for the diff page, every
number formatted in the reader's language.

Units: glTF and GLB lengths are metres (the glTF specification says so); an STL file carries no
unit, and the millimetre is the convention of the tools that write them (slicers, CAD exports).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

# Typographic signs, written as escapes so that no reader mistakes them for x and -.
TIMES = " \u00d7 "
MINUS = "\u2212"
MESH_UNITS = {"stl": "mm", "gltf": "m", "glb": "m"}
COLLECTION_LABELS = {
    "nodes": gettext_lazy("Nodes"),
    "meshes": gettext_lazy("Meshes"),
    "materials": gettext_lazy("Materials"),
}


# Pages named in one sentence of a PDF diff's summary at most; the cards below list them all.
MAX_PAGES_NAMED = 12


@dataclass
class FigureRow:
    label: str
    old: str
    new: str
    change: str = ""
    changed: bool = False


@dataclass
class CollectionChanges:
    label: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)


def _number(value: float | int | None, decimals: int = 2) -> str:
    """A number in the reader's language, with at most `decimals` decimals and no trailing 0."""
    if value is None:
        return "—"
    rounded = round(float(value), decimals)
    if rounded.is_integer():
        return number_format(int(rounded), 0, force_grouping=True)
    shown = len(f"{rounded:.{decimals}f}".rstrip("0").split(".")[1])
    return number_format(rounded, shown, force_grouping=True)


def _signed(value: float | int, decimals: int = 2) -> str:
    text = _number(abs(value), decimals)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


def _percent(old: float | int | None, new: float | int | None) -> str:
    if not old or new is None:
        return ""
    return _("%(change)s %%") % {"change": _signed((new - old) * 100 / old, 1)}


def _measure(value: str, unit: str) -> str:
    if value == "—" or not unit:
        return value
    return pgettext("a measure: number then unit", "%(number)s %(unit)s") % {
        "number": value,
        "unit": unit,
    }


def _size(box: dict[str, Any] | None, unit: str) -> str:
    if not box:
        return "—"
    return _measure(TIMES.join(_number(axis) for axis in box["size"]), unit)


def _size_change(old: dict[str, Any] | None, new: dict[str, Any] | None, unit: str) -> str:
    if not old or not new:
        return ""
    deltas = [after - before for before, after in zip(old["size"], new["size"], strict=True)]
    if not any(deltas):
        return ""
    return _measure(TIMES.join(_signed(delta) for delta in deltas), unit)


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("yes") if value else _("no")


def _counted(pair: dict[str, Any], label: str) -> FigureRow:
    old, new = pair.get("old"), pair.get("new")
    change = ""
    if old is not None and new is not None and old != new:
        change = " ".join(part for part in (_signed(new - old, 0), _percent(old, new)) if part)
    return FigureRow(label, _number(old), _number(new), change, bool(pair.get("changed")))


def _measured(pair: dict[str, Any], label: str, unit: str) -> FigureRow:
    old, new = pair.get("old"), pair.get("new")
    change = _percent(old, new) if old != new else ""
    return FigureRow(
        label,
        _measure(_number(old), unit),
        _measure(_number(new), unit),
        change,
        bool(pair.get("changed")),
    )


def mesh_figures(mesh: dict[str, Any]) -> tuple[list[FigureRow], list[CollectionChanges]]:
    """Rows of named figures with units and signed changes, and the glTF collections' changes."""
    formats = mesh.get("format") or {}
    unit = MESH_UNITS.get(str(formats.get("new") or formats.get("old") or "stl"), "")
    rows: list[FigureRow] = []
    if "bounding_box" in mesh:
        box = mesh["bounding_box"]
        rows.append(
            FigureRow(
                _("Size (width, depth, height)"),
                _size(box.get("old"), unit),
                _size(box.get("new"), unit),
                _size_change(box.get("old"), box.get("new"), unit),
                bool(box.get("changed")),
            )
        )
    if "volume" in mesh:
        rows.append(_measured(mesh["volume"], _("Volume"), f"{unit}³" if unit else ""))
    if "surface_area" in mesh:
        rows.append(_measured(mesh["surface_area"], _("Surface area"), f"{unit}²" if unit else ""))
    if "triangle_count" in mesh:
        rows.append(_counted(mesh["triangle_count"], _("Triangles")))
    if "vertex_count" in mesh:
        rows.append(_counted(mesh["vertex_count"], _("Vertices")))
    if "closed" in mesh:
        pair = mesh["closed"]
        rows.append(
            FigureRow(
                _("Closed (watertight)"),
                _yes_no(pair.get("old")),
                _yes_no(pair.get("new")),
                changed=bool(pair.get("changed")),
            )
        )
    if "format" in mesh:
        pair = mesh["format"]
        rows.append(
            FigureRow(
                _("Format"),
                str(pair.get("old") or "—").upper(),
                str(pair.get("new") or "—").upper(),
                changed=bool(pair.get("changed")),
            )
        )
    collections = [
        CollectionChanges(
            str(label), mesh[name]["added"], mesh[name]["removed"], mesh[name]["changed"]
        )
        for name, label in COLLECTION_LABELS.items()
        if name in mesh and any(mesh[name][part] for part in ("added", "removed", "changed"))
    ]
    return rows, collections


def model_figures(analysis: dict[str, Any], unit: str) -> list[tuple[str, str, str]]:
    """(key, label, value) of one model's size, triangles and volume, from its analysis
    (analysis.meshes); "—" for what the analysis does not know, such as an open mesh's volume."""
    volume = analysis.get("volume")
    triangles = analysis.get("triangle_count")
    return [
        ("size", _("Size (width, depth, height)"), _size(analysis.get("bounding_box"), unit)),
        ("triangles", _("Triangles"), "—" if triangles is None else _number(triangles)),
        ("volume", _("Volume"), _measure(_number(volume), f"{unit}³" if unit else "")),
    ]


def mesh_sources(mesh: dict[str, Any]) -> list[FigureRow]:
    """What wrote each file (a glTF generator, an STL solid's name): the files' own words."""
    labels = {"generator": _("Written by"), "solid_name": _("Solid name")}
    return [
        FigureRow(
            label,
            str(mesh[key].get("old") or "—"),
            str(mesh[key].get("new") or "—"),
            changed=bool(mesh[key].get("changed")),
        )
        for key, label in labels.items()
        if key in mesh
    ]


def _page_name(page: dict[str, Any]) -> str:
    """ "page 3", or "page 3 → page 5" for a page that changed place."""
    old, new = page.get("old_page"), page.get("new_page")
    if old and new and old != new:
        return _("page %(old)s → page %(new)s") % {"old": old, "new": new}
    return _("page %(number)s") % {"number": new or old}


def pdf_summary(pdf: dict[str, Any]) -> list[str]:
    """One sentence per kind of page change of a PDF diff: "1 page removed: page 3"."""
    sentences = {
        "removed": lambda n: ngettext(
            "%(count)s page removed: %(pages)s", "%(count)s pages removed: %(pages)s", n
        ),
        "added": lambda n: ngettext(
            "%(count)s page added: %(pages)s", "%(count)s pages added: %(pages)s", n
        ),
        "moved": lambda n: ngettext(
            "%(count)s page moved: %(pages)s", "%(count)s pages moved: %(pages)s", n
        ),
        "changed": lambda n: ngettext(
            "%(count)s page changed: %(pages)s", "%(count)s pages changed: %(pages)s", n
        ),
    }
    summary = []
    for status, sentence in sentences.items():
        pages = [page for page in pdf.get("pages", []) if page.get("status") == status]
        if not pages:
            continue
        names = [_page_name(page) for page in pages[:MAX_PAGES_NAMED]]
        if len(pages) > MAX_PAGES_NAMED:
            names.append("…")
        summary.append(sentence(len(pages)) % {"count": len(pages), "pages": ", ".join(names)})
    return summary
