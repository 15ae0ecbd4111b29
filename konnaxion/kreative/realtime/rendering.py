"""What a room's shared document shows, outside the room: the notes as text and HTML, the canvas
as vector JSON and as a PNG image (for exports and the session's final artwork).

The document is the client's to fill, so everything here reads it defensively: an item of the
canvas that is not a well-formed shape is left out of the picture (it stays in the vector
source), never an error.
"""

from __future__ import annotations

import io
import math
from html import escape
from typing import Any

from PIL import Image, ImageColor, ImageDraw
from pycrdt import Array, Doc, XmlElement, XmlFragment, XmlText

from konnaxion.kreative.realtime import documents

CANVAS_FORMAT = "konnaxion-canvas/1"
# The picture keeps the drawing's coordinates, within these bounds.
CANVAS_MARGIN = 16
CANVAS_MAX_SIDE = 4096
CANVAS_MIN_SIDE = 64
DEFAULT_COLOR = "#111827"

# y-prosemirror node and mark names -> HTML tags (anything else becomes a div / plain text).
BLOCK_TAGS = {
    "paragraph": "p",
    "blockquote": "blockquote",
    "bulletList": "ul",
    "orderedList": "ol",
    "listItem": "li",
    "codeBlock": "pre",
    "horizontalRule": "hr",
}
MARK_TAGS = {"bold": "strong", "italic": "em", "code": "code", "strike": "s", "underline": "u"}
BLOCKS_ENDING_A_LINE = {"paragraph", "heading", "listItem", "codeBlock", "blockquote"}


def document_load(state: bytes) -> Doc[Any]:
    """A pycrdt document holding `state` (one Yjs update), with the room's top-level types."""
    doc: Doc[Any] = Doc()
    doc.apply_update(state)
    return doc


def canvas_items(doc: Doc[Any]) -> list[dict[str, Any]]:
    """The canvas as plain data: one dict per stroke or shape, in drawing order."""
    canvas = doc.get(documents.CANVAS, type=Array).to_py() or []
    return [item for item in canvas if isinstance(item, dict)]


def canvas_source(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The vector source of a canvas, as stored with its artwork and exported."""
    return {"format": CANVAS_FORMAT, "items": items}


# Notes ----------------------------------------------------------------------------------------


def _inline_html(text: XmlText) -> str:
    out = []
    for chunk, attributes in text.diff():
        if not isinstance(chunk, str):
            continue
        html = escape(chunk)
        for mark in sorted(attributes or {}):
            tag = MARK_TAGS.get(mark)
            if tag is not None:
                html = f"<{tag}>{html}</{tag}>"
        out.append(html)
    return "".join(out)


def _node_html(node: XmlText | XmlElement | XmlFragment) -> str:
    if isinstance(node, XmlText):
        return _inline_html(node)
    if not isinstance(node, XmlElement):
        return ""
    inner = "".join(_node_html(child) for child in node.children)
    if node.tag == "heading":
        level = str(node.attributes.get("level") or "1")
        tag = f"h{level}" if level in {"1", "2", "3", "4", "5", "6"} else "h1"
    else:
        tag = BLOCK_TAGS.get(node.tag or "", "div")
    if tag == "hr":
        return "<hr>"
    return f"<{tag}>{inner}</{tag}>"


def _node_text(node: XmlText | XmlElement | XmlFragment) -> str:
    if isinstance(node, XmlText):
        return "".join(chunk for chunk, _ in node.diff() if isinstance(chunk, str))
    if not isinstance(node, XmlElement):
        return ""
    inner = "".join(_node_text(child) for child in node.children)
    if node.tag in BLOCKS_ENDING_A_LINE and not inner.endswith("\n"):
        inner += "\n"
    return inner


def notes_export(doc: Doc[Any]) -> dict[str, str]:
    """The rich-text notes as plain text (one line per block) and as HTML (escaped)."""
    notes = doc.get(documents.NOTES, type=XmlFragment)
    children = list(notes.children)
    return {
        "text": "".join(_node_text(child) for child in children).rstrip("\n"),
        "html": "".join(_node_html(child) for child in children),
    }


# Canvas picture -------------------------------------------------------------------------------


def _points(item: dict[str, Any]) -> list[tuple[float, float]]:
    raw = item.get("points")
    if not isinstance(raw, list) or len(raw) < 2:
        return []
    numbers = [value for value in raw if isinstance(value, int | float) and math.isfinite(value)]
    if len(numbers) != len(raw):
        return []
    return [(float(x), float(y)) for x, y in zip(numbers[::2], numbers[1::2], strict=False)]


def _color(item: dict[str, Any]) -> str:
    value = item.get("color")
    if isinstance(value, str):
        try:
            ImageColor.getrgb(value)
            return value
        except ValueError:
            pass
    return DEFAULT_COLOR


def _width(item: dict[str, Any]) -> int:
    value = item.get("width")
    if isinstance(value, int | float) and math.isfinite(value):
        return max(1, min(64, int(value)))
    return 2


Shape = tuple[dict[str, Any], list[tuple[float, float]]]


def _framed(items: list[dict[str, Any]]) -> tuple[list[Shape], float, float, float, float]:
    """The well-formed shapes and the frame around them all: left, top, width, height."""
    shapes = [(item, _points(item)) for item in items]
    shapes = [(item, points) for item, points in shapes if points]
    xs = [x for _, points in shapes for x, _ in points] or [0.0]
    ys = [y for _, points in shapes for _, y in points] or [0.0]
    left, top = min(xs) - CANVAS_MARGIN, min(ys) - CANVAS_MARGIN
    width = max(CANVAS_MIN_SIDE, max(xs) - left + CANVAS_MARGIN)
    height = max(CANVAS_MIN_SIDE, max(ys) - top + CANVAS_MARGIN)
    return shapes, left, top, width, height


def canvas_png(items: list[dict[str, Any]]) -> bytes:
    """Draw the strokes and shapes on a white picture framing them all; returns PNG bytes."""
    shapes, left, top, width, height = _framed(items)
    scale = min(1.0, CANVAS_MAX_SIDE / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    for item, points in shapes:
        placed = [((x - left) * scale, (y - top) * scale) for x, y in points]
        _draw(draw, item, placed, color=_color(item), width=max(1, round(_width(item) * scale)))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _draw(
    draw: ImageDraw.ImageDraw,
    item: dict[str, Any],
    points: list[tuple[float, float]],
    *,
    color: str,
    width: int,
) -> None:
    kind = item.get("kind")
    if kind in ("rect", "ellipse") and len(points) >= 2:
        (x0, y0), (x1, y1) = points[0], points[1]
        box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
        shape = draw.rectangle if kind == "rect" else draw.ellipse
        shape(box, outline=color, width=width)
    elif kind == "text" and isinstance(item.get("text"), str):
        draw.text(points[0], item["text"][:500], fill=color)
    elif len(points) == 1:
        x, y = points[0]
        radius = width / 2
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=color)
    else:
        draw.line(points, fill=color, width=width, joint="curve")


def canvas_svg(items: list[dict[str, Any]]) -> str:
    """The same drawing as `canvas_png`, as an SVG document (the shapes stay vectors; every
    value is escaped)."""
    shapes, left, top, width, height = _framed(items)
    body = []
    for item, points in shapes:
        color, width_px = escape(_color(item)), _width(item)
        stroke = f'stroke="{color}" stroke-width="{width_px}" fill="none"'
        kind = item.get("kind")
        if kind in ("rect", "ellipse") and len(points) >= 2:
            (x0, y0), (x1, y1) = points[0], points[1]
            x, y, w, h = min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)
            if kind == "rect":
                body.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" {stroke}/>')
            else:
                body.append(
                    f'<ellipse cx="{x + w / 2:g}" cy="{y + h / 2:g}" rx="{w / 2:g}" '
                    f'ry="{h / 2:g}" {stroke}/>'
                )
        elif kind == "text" and isinstance(item.get("text"), str):
            (x, y) = points[0]
            text = escape(item["text"][:500])
            body.append(f'<text x="{x:g}" y="{y:g}" fill="{color}">{text}</text>')
        elif len(points) == 1:
            (x, y) = points[0]
            body.append(f'<circle cx="{x:g}" cy="{y:g}" r="{width_px / 2:g}" fill="{color}"/>')
        else:
            coordinates = " ".join(f"{x:g},{y:g}" for x, y in points)
            body.append(
                f'<polyline points="{coordinates}" {stroke} '
                'stroke-linecap="round" stroke-linejoin="round"/>'
            )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{left:g} {top:g} {width:g} {height:g}" width="{width:g}" height="{height:g}">'
        f'<rect x="{left:g}" y="{top:g}" width="{width:g}" height="{height:g}" fill="white"/>'
        + "".join(body)
        + "</svg>\n"
    )
