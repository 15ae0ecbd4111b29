"""PNG previews: images scaled down, the first page of a PDF, and 3D models rendered on the CPU.

Every preview is a PNG whose longest side is one of `PREVIEW_SIZES` (never larger than the
image itself). Models are drawn with numpy and Pillow: an orthographic view from the front-right
and above, fitted to the bounding box, flat-shaded by one directional light (two-sided, so an
open surface is lit from behind too), with a z-buffer filled by sampling every triangle at
sub-pixel spacing.
"""

from __future__ import annotations

import io
import math
from typing import BinaryIO

import numpy as np
from PIL import Image

from konnaxion.core.images import image_open
from konnaxion.keenkonnect.analysis.errors import AnalysisFailed
from konnaxion.keenkonnect.analysis.images import _working_copy, blueprint_image_open
from konnaxion.keenkonnect.analysis.meshes import MESH_CONTENT_TYPES, mesh_triangles
from konnaxion.keenkonnect.analysis.pdf import pdf_first_page_png

PREVIEW_SIZES = (256, 1024)
RENDER_MAX_TRIANGLES = 2_000_000
SAMPLES_PER_BATCH = 4_000_000
AZIMUTH, ELEVATION = math.radians(35), math.radians(25)
LIGHT = np.array([-0.4, 0.6, 0.7])
BASE_COLOUR = np.array([86.0, 132.0, 178.0])
BACKGROUND = (246, 247, 249)
AMBIENT = 0.3


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _scaled(image: Image.Image, longest: int) -> Image.Image:
    if max(image.size) <= longest:
        return image
    ratio = longest / max(image.size)
    size = (max(1, round(image.width * ratio)), max(1, round(image.height * ratio)))
    return image.resize(size, Image.Resampling.LANCZOS)


def _view_rotation() -> np.ndarray:
    """World -> view: the camera turned by AZIMUTH around z (up) and looking down ELEVATION."""
    ca, sa, ce, se = math.cos(AZIMUTH), math.sin(AZIMUTH), math.cos(ELEVATION), math.sin(ELEVATION)
    spin = np.array([[ca, -sa, 0], [sa, ca, 0], [0, 0, 1]])
    # View axes: x right, y up, z towards the viewer, who stands at -y tilted up.
    tilt = np.array([[1, 0, 0], [0, se, ce], [0, -ce, se]])
    return tilt @ spin


def mesh_render(triangles: np.ndarray, *, longest: int = 1024) -> Image.Image:
    """A square RGB image `longest` pixels wide of `triangles` (n, 3, 3).

    Raises AnalysisFailed (`mesh_empty`) when there is nothing to draw.
    """
    if not len(triangles):
        raise AnalysisFailed("mesh_empty", "The model has no triangles to draw.")
    points = triangles.astype(np.float64)
    low, high = points.min(axis=(0, 1)), points.max(axis=(0, 1))
    view = (points - (low + high) / 2) @ _view_rotation().T
    extent = np.ptp(view[..., :2].reshape(-1, 2), axis=0).max() or 1.0
    scale = longest * 0.9 / extent
    pixels = view[..., :2] * scale * np.array([1, -1]) + longest / 2
    depth = view[..., 2]
    normals = np.cross(view[:, 1] - view[:, 0], view[:, 2] - view[:, 0])
    lengths = np.linalg.norm(normals, axis=1)
    normals = normals / np.where(lengths == 0, 1, lengths)[:, None]
    light = LIGHT / np.linalg.norm(LIGHT)
    shade = AMBIENT + (1 - AMBIENT) * np.abs(normals @ light)
    colours = np.clip(BASE_COLOUR[None, :] * shade[:, None] * 1.25, 0, 255).astype(np.uint8)

    depth_buffer = np.full(longest * longest, -np.inf)
    colour_buffer = np.empty((longest * longest, 3), dtype=np.uint8)
    colour_buffer[:] = BACKGROUND
    edges = np.stack(
        [pixels[:, 1] - pixels[:, 0], pixels[:, 2] - pixels[:, 0], pixels[:, 2] - pixels[:, 1]], 1
    )
    longest_edge = np.linalg.norm(edges, axis=2).max(axis=1)
    steps = np.clip(np.ceil(longest_edge * 1.5).astype(np.int64) + 1, 1, 3 * longest)
    for k in np.unique(steps):
        chosen = np.nonzero(steps == k)[0]
        i, j = np.meshgrid(np.arange(k + 1), np.arange(k + 1), indexing="ij")
        keep = (i + j) <= k
        u, v = (i[keep] / k)[None, :], (j[keep] / k)[None, :]
        per_batch = max(1, SAMPLES_PER_BATCH // u.size)
        for start in range(0, len(chosen), per_batch):
            batch = chosen[start : start + per_batch]
            p0, p1, p2 = (pixels[batch, corner][:, None, :] for corner in range(3))
            d0, d1, d2 = (depth[batch, corner][:, None] for corner in range(3))
            xy = p0 + u[..., None] * (p1 - p0) + v[..., None] * (p2 - p0)
            z = (d0 + u * (d1 - d0) + v * (d2 - d0)).reshape(-1)
            x, y = np.floor(xy[..., 0]).reshape(-1), np.floor(xy[..., 1]).reshape(-1)
            owner = np.repeat(batch, u.size)
            inside = (x >= 0) & (x < longest) & (y >= 0) & (y < longest)
            index = (y[inside] * longest + x[inside]).astype(np.int64)
            z, owner = z[inside], owner[inside]
            np.maximum.at(depth_buffer, index, z)
            nearest = z >= depth_buffer[index]
            colour_buffer[index[nearest]] = colours[owner[nearest]]
    return Image.fromarray(colour_buffer.reshape(longest, longest, 3), "RGB")


def preview_pngs(handle: BinaryIO, *, content_type: str) -> dict[int, bytes]:
    """PNG previews of the file in `handle`, keyed by longest side (`PREVIEW_SIZES`): images
    scaled down, a PDF's first page, a model rendered.

    Raises AnalysisFailed.
    """
    largest = max(PREVIEW_SIZES)
    if content_type in ("image/png", "image/jpeg"):
        image = blueprint_image_open(handle)
        scale = min(1.0, largest / max(image.size))
        base = _working_copy(image, scale)
    elif content_type == "application/pdf":
        base = image_open(io.BytesIO(pdf_first_page_png(handle, longest=largest)))
    elif content_type in MESH_CONTENT_TYPES:
        triangles = mesh_triangles(handle, content_type=content_type, limit=RENDER_MAX_TRIANGLES)
        base = mesh_render(triangles, longest=largest)
    else:
        raise AnalysisFailed("unsupported_type", f"No preview for {content_type}.")
    return {size: _png(_scaled(base, size)) for size in PREVIEW_SIZES}
