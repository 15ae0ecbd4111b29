"""Reading glTF 2.0 (JSON with data: URIs) and GLB (JSON chunk + BIN chunk): the document, its
accessors as numpy arrays, and the triangles of the default scene in world coordinates.

Only the bytes an accessor needs are read from a GLB's BIN chunk; every offset, count and index
is checked against the data that exists, so a hostile file raises `AnalysisFailed`
(`gltf_invalid`, `mesh_too_large`) rather than reading past a buffer or allocating without bound.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import numpy as np
from django.conf import settings

from konnaxion.keenkonnect.analysis.errors import AnalysisFailed

GLB_MAGIC = b"glTF"
GLB_JSON_CHUNK = 0x4E4F534A
GLB_BIN_CHUNK = 0x004E4942
COMPONENT_TYPES = {5120: "<i1", 5121: "<u1", 5122: "<i2", 5123: "<u2", 5125: "<u4", 5126: "<f4"}
NORMALISED_DIVISORS = {5120: 127.0, 5121: 255.0, 5122: 32767.0, 5123: 65535.0, 5125: 1.0}
TYPE_SIZES = {"SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16}
TRIANGLES, TRIANGLE_STRIP, TRIANGLE_FAN = 4, 5, 6
MAX_NODE_DEPTH = 256


def _invalid(message: str) -> AnalysisFailed:
    return AnalysisFailed("gltf_invalid", message)


@dataclass
class GltfDocument:
    """A parsed glTF: its JSON and where each buffer's bytes are."""

    document: dict[str, Any]
    binary: bool
    handle: BinaryIO
    bin_chunk: tuple[int, int] | None  # (offset in the file, length)
    _decoded: dict[int, bytes] = field(default_factory=dict)

    def items(self, collection: str) -> list[dict[str, Any]]:
        items = self.document.get(collection, [])
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise _invalid(f"The glTF {collection} is not a list of objects.")
        return items

    def item(self, collection: str, index: Any) -> dict[str, Any]:
        items = self.items(collection)
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < len(items):
            raise _invalid(f"A glTF reference to {collection}[{index}] does not exist.")
        return items[index]

    def buffer_bytes(self, index: int, offset: int, length: int) -> bytes:
        """`length` bytes of buffer `index` from `offset`; raises if they do not exist."""
        buffer = self.item("buffers", index)
        uri = buffer.get("uri")
        if uri is None:
            if not (self.binary and index == 0 and self.bin_chunk):
                raise _invalid("A glTF buffer has neither a URI nor a BIN chunk.")
            start, available = self.bin_chunk
            if offset < 0 or offset + length > available:
                raise _invalid("A glTF buffer view reaches past the BIN chunk.")
            self.handle.seek(start + offset)
            data = self.handle.read(length)
        else:
            if index not in self._decoded:
                if not isinstance(uri, str) or not uri.startswith("data:") or "," not in uri:
                    raise _invalid("Only data: URIs are read.")
                header, _, payload = uri.partition(",")
                try:
                    self._decoded[index] = (
                        base64.b64decode(payload, validate=True)
                        if header.endswith(";base64")
                        else payload.encode()
                    )
                except (binascii.Error, ValueError) as exc:
                    raise _invalid("A glTF data: URI is not valid base64.") from exc
            data = self._decoded[index][offset : offset + length] if offset >= 0 else b""
        if len(data) != length:
            raise _invalid("A glTF buffer view reaches past its buffer.")
        return data


def _json_document(raw: bytes) -> dict[str, Any]:
    try:
        document = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _invalid("The glTF JSON cannot be parsed.") from exc
    if not isinstance(document, dict) or not isinstance(document.get("asset"), dict):
        raise _invalid("The glTF has no asset.")
    return document


def gltf_load(handle: BinaryIO) -> GltfDocument:
    """Parse the glTF or GLB in `handle` (the JSON only; buffers are read on demand).

    Raises AnalysisFailed (`gltf_invalid`, `gltf_too_large`).
    """
    limit = settings.GLTF_MAX_JSON_MB * 1024 * 1024
    size = handle.seek(0, 2)
    handle.seek(0)
    if handle.read(4) != GLB_MAGIC:
        if size > limit:
            raise AnalysisFailed("gltf_too_large", "The glTF JSON is too large.")
        handle.seek(0)
        return GltfDocument(_json_document(handle.read(size)), False, handle, None)
    header = handle.read(8)
    if len(header) < 8:
        raise _invalid("The GLB header is truncated.")
    offset, document, bin_chunk = 12, None, None
    while offset + 8 <= size:
        handle.seek(offset)
        length, kind = struct.unpack("<II", handle.read(8))
        if offset + 8 + length > size:
            raise _invalid("A GLB chunk reaches past the end of the file.")
        if document is None:
            if kind != GLB_JSON_CHUNK or length > limit:
                raise _invalid("The first GLB chunk is not a JSON chunk of acceptable size.")
            document = _json_document(handle.read(length).rstrip(b" \x00"))
        elif kind == GLB_BIN_CHUNK and bin_chunk is None:
            bin_chunk = (offset + 8, length)
        offset += 8 + length
    if document is None:
        raise _invalid("The GLB has no JSON chunk.")
    return GltfDocument(document, True, handle, bin_chunk)


def _int(value: Any, default: int | None = None) -> int:
    if value is None and default is not None:
        return default
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise _invalid("A glTF count or offset is not a non-negative integer.")
    return value


def _strided(
    gltf: GltfDocument, view_index: Any, offset: int, count: int, dtype: np.dtype, width: int
) -> np.ndarray:
    view = gltf.item("bufferViews", view_index)
    element = dtype.itemsize * width
    stride = _int(view.get("byteStride"), 0) or element
    if stride < element:
        raise _invalid("A glTF byteStride is smaller than its element.")
    needed = 0 if count == 0 else offset + stride * (count - 1) + element
    if needed > _int(view.get("byteLength")):
        raise _invalid("A glTF accessor reaches past its buffer view.")
    start = _int(view.get("byteOffset"), 0)
    data = gltf.buffer_bytes(_int(view.get("buffer")), start, needed)
    if count == 0:
        return np.zeros((0, width), dtype=dtype)
    return np.ndarray(
        shape=(count, width),
        dtype=dtype,
        buffer=data,
        offset=offset,
        strides=(stride, dtype.itemsize),
    ).copy()


def accessor_read(gltf: GltfDocument, index: Any) -> np.ndarray:
    """Accessor `index` as an array of shape (count, components): floats (normalised integers
    scaled to [0, 1] or [-1, 1]) or the raw integers of an index accessor."""
    accessor = gltf.item("accessors", index)
    component = accessor.get("componentType")
    if component not in COMPONENT_TYPES or accessor.get("type") not in TYPE_SIZES:
        raise _invalid("A glTF accessor has an unknown component type or type.")
    dtype = np.dtype(COMPONENT_TYPES[component])
    width, count = TYPE_SIZES[accessor["type"]], _int(accessor.get("count"))
    if "bufferView" in accessor:
        values = _strided(
            gltf, accessor["bufferView"], _int(accessor.get("byteOffset"), 0), count, dtype, width
        )
    else:
        if count > settings.ANALYSIS_MAX_MESH_TRIANGLES * 3:
            raise AnalysisFailed("mesh_too_large", "A glTF accessor is too large.")
        values = np.zeros((count, width), dtype=dtype)
    sparse = accessor.get("sparse")
    if isinstance(sparse, dict):
        sparse_count = _int(sparse.get("count"))
        where, replace = sparse.get("indices") or {}, sparse.get("values") or {}
        if where.get("componentType") not in (5121, 5123, 5125):
            raise _invalid("A glTF sparse accessor has bad indices.")
        positions = _strided(
            gltf, where.get("bufferView"), _int(where.get("byteOffset"), 0), sparse_count,
            np.dtype(COMPONENT_TYPES[where["componentType"]]), 1,
        ).reshape(-1)  # fmt: skip
        if positions.size and positions.max() >= count:
            raise _invalid("A glTF sparse index is out of range.")
        values[positions] = _strided(
            gltf, replace.get("bufferView"), _int(replace.get("byteOffset"), 0), sparse_count,
            dtype, width,
        )  # fmt: skip
    if dtype.kind == "f":
        return values.astype(np.float64)
    if accessor.get("normalized"):
        return np.maximum(values.astype(np.float64) / NORMALISED_DIVISORS[component], -1.0)
    return values


def _local_matrix(node: dict[str, Any]) -> np.ndarray:
    try:
        if "matrix" in node:
            return np.array(node["matrix"], dtype=np.float64).reshape(4, 4).T  # column-major
        x, y, z, w = (float(v) for v in node.get("rotation", (0, 0, 0, 1)))
        translation = np.array(node.get("translation", (0, 0, 0)), dtype=np.float64).reshape(3)
        scale = np.array(node.get("scale", (1, 1, 1)), dtype=np.float64).reshape(3)
    except (TypeError, ValueError) as exc:
        raise _invalid("A glTF node has a malformed transform.") from exc
    norm = math.sqrt(x * x + y * y + z * z + w * w) or 1.0
    x, y, z, w = x / norm, y / norm, z / norm, w / norm
    rotation = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
            [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
            [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
        ]
    )
    matrix = np.eye(4)
    matrix[:3, :3] = rotation * scale
    matrix[:3, 3] = translation
    return matrix


def mesh_instances(gltf: GltfDocument) -> Iterator[tuple[int, np.ndarray]]:
    """(mesh index, world matrix) for every mesh the default scene shows; every mesh once,
    untransformed, when the file has no scene."""
    scenes = gltf.items("scenes")
    if not scenes:
        for index in range(len(gltf.items("meshes"))):
            yield index, np.eye(4)
        return
    scene = gltf.item("scenes", gltf.document.get("scene", 0))
    stack = [(root, np.eye(4), 0) for root in scene.get("nodes", [])]
    visited = 0
    while stack:
        index, parent, depth = stack.pop()
        visited += 1
        if depth > MAX_NODE_DEPTH or visited > 100_000:
            raise _invalid("The glTF node hierarchy is too deep or cyclic.")
        node = gltf.item("nodes", index)
        world = parent @ _local_matrix(node)
        if "mesh" in node:
            gltf.item("meshes", node["mesh"])
            yield node["mesh"], world
        children = node.get("children", [])
        if not isinstance(children, list):
            raise _invalid("A glTF node's children is not a list.")
        stack += [(child, world, depth + 1) for child in children]


def primitive_triangles(gltf: GltfDocument, primitive: dict[str, Any]) -> tuple[np.ndarray, int]:
    """The triangles of one primitive as (n, 3, 3) model-space coordinates, and its vertex
    count. Points and lines have vertices but no triangles."""
    attributes = primitive.get("attributes")
    if not isinstance(attributes, dict) or "POSITION" not in attributes:
        return np.zeros((0, 3, 3)), 0
    positions = accessor_read(gltf, attributes["POSITION"])
    if positions.shape[1] != 3:
        raise _invalid("A glTF POSITION accessor is not VEC3.")
    mode = primitive.get("mode", TRIANGLES)
    if "indices" in primitive:
        indices = accessor_read(gltf, primitive["indices"]).reshape(-1).astype(np.int64)
        if indices.size and (indices.max() >= len(positions) or indices.min() < 0):
            raise _invalid("A glTF index points past its positions.")
    else:
        indices = np.arange(len(positions))
    if mode == TRIANGLES:
        corners = indices[: indices.size - indices.size % 3].reshape(-1, 3)
    elif mode in (TRIANGLE_STRIP, TRIANGLE_FAN) and indices.size >= 3:
        steps = np.arange(indices.size - 2)
        if mode == TRIANGLE_STRIP:
            even = steps % 2 == 0
            corners = np.stack(
                [indices[steps], np.where(even, indices[steps + 1], indices[steps + 2]),
                 np.where(even, indices[steps + 2], indices[steps + 1])], axis=1,
            )  # fmt: skip
        else:
            corners = np.stack(
                [np.full_like(steps, indices[0]), indices[steps + 1], indices[steps + 2]], axis=1
            )
    else:
        corners = np.zeros((0, 3), dtype=np.int64)
    return positions[corners], len(positions)


def transformed(triangles: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """`triangles` (n, 3, 3) moved by the 4x4 `matrix`."""
    return triangles @ matrix[:3, :3].T + matrix[:3, 3]
