"""STL (binary and ASCII), glTF and GLB: counts, bounding box, surface area, volume of closed
meshes, STL solid names, glTF generator and node / mesh / material names.

Measures are accumulated block by block (STL is streamed `STL_BLOCK` triangles at a time).
A mesh is *closed* when every directed edge a->b is matched by an edge b->a (vertices welded by
exact position): a 64-bit hash of each directed edge is added and the reversed one subtracted,
so the sum is zero for a closed, consistently oriented surface. Only then is the signed
tetrahedron sum its volume.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

import numpy as np
from django.conf import settings

from konnaxion.keenkonnect.analysis.errors import AnalysisFailed
from konnaxion.keenkonnect.analysis.gltf import (
    GltfDocument,
    gltf_load,
    mesh_instances,
    primitive_triangles,
    transformed,
)

STL_HEADER = 84
STL_RECORD = np.dtype([("normal", "<f4", 3), ("vertices", "<f4", (3, 3)), ("attribute", "<u2")])
STL_BLOCK = 65536
ASCII_PIECE = 4 * 1024 * 1024
ASCII_VERTEX = re.compile(rb"vertex\s+(\S+)\s+(\S+)\s+(\S+)")
ASCII_SOLID = re.compile(rb"^\s*solid[ \t]*([^\r\n]*)")


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, element-wise on uint64 (wrapping arithmetic)."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    return values ^ (values >> np.uint64(31))


def vertex_hashes(points: np.ndarray) -> np.ndarray:
    """A 64-bit hash per point (..., 3), equal for points with equal float32 coordinates."""
    bits = (points.astype(np.float32) + np.float32(0.0)).view(np.uint32).astype(np.uint64)
    x, y, z = bits[..., 0], bits[..., 1], bits[..., 2]
    return _mix(_mix(_mix(x) ^ y) ^ (z << np.uint64(17)))


class MeshMeasures:
    """Counts, bounding box, area, signed volume and edge balance, added block by block."""

    def __init__(self) -> None:
        self.triangles = 0
        self.minimum = np.full(3, np.inf)
        self.maximum = np.full(3, -np.inf)
        self.area = 0.0
        self.volume = 0.0
        self.balance = np.uint64(0)
        self.non_finite = False
        self._vertex_hashes: list[np.ndarray] = []

    def add(self, triangles: np.ndarray) -> None:
        """Add triangles of shape (n, 3, 3)."""
        if not len(triangles):
            return
        self.triangles += len(triangles)
        if self.triangles > settings.ANALYSIS_MAX_MESH_TRIANGLES:
            raise AnalysisFailed(
                "mesh_too_large",
                f"The model has more than {settings.ANALYSIS_MAX_MESH_TRIANGLES} triangles.",
            )
        finite = np.isfinite(triangles).all(axis=(1, 2))
        if not finite.all():
            self.non_finite = True
            triangles = triangles[finite]
        if not len(triangles):
            return
        a, b, c = triangles[:, 0], triangles[:, 1], triangles[:, 2]
        self.minimum = np.minimum(self.minimum, triangles.min(axis=(0, 1)))
        self.maximum = np.maximum(self.maximum, triangles.max(axis=(0, 1)))
        crossed = np.cross(b - a, c - a)
        self.area += float(np.linalg.norm(crossed, axis=1).sum()) / 2
        self.volume += float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum()) / 6
        hashes = vertex_hashes(triangles)
        self._vertex_hashes.append(np.unique(hashes))
        with np.errstate(over="ignore"):
            for start, end in ((0, 1), (1, 2), (2, 0)):
                forward = _mix(hashes[:, start] ^ _mix(hashes[:, end] + np.uint64(1)))
                backward = _mix(hashes[:, end] ^ _mix(hashes[:, start] + np.uint64(1)))
                self.balance = self.balance + forward.sum(dtype=np.uint64)
                self.balance = self.balance - backward.sum(dtype=np.uint64)

    @property
    def closed(self) -> bool:
        return self.triangles > 0 and not self.non_finite and int(self.balance) == 0

    def distinct_vertices(self) -> int:
        if not self._vertex_hashes:
            return 0
        return int(np.unique(np.concatenate(self._vertex_hashes)).size)

    def as_dict(self) -> dict[str, Any]:
        empty = not np.isfinite(self.minimum).all()
        closed = self.closed
        return {
            "triangle_count": self.triangles,
            "bounding_box": None
            if empty
            else {
                "min": [round(float(v), 6) for v in self.minimum],
                "max": [round(float(v), 6) for v in self.maximum],
                "size": [round(float(v), 6) for v in self.maximum - self.minimum],
            },
            "surface_area": round(self.area, 6),
            "closed": closed,
            # Negative for an inward-facing surface: its magnitude is still the volume.
            "volume": round(abs(self.volume), 6) if closed else None,
            "inward_facing": closed and self.volume < 0,
            "non_finite_vertices": self.non_finite,
        }


def _is_binary_stl(handle: BinaryIO, size: int) -> int | None:
    if size < STL_HEADER:
        return None
    handle.seek(80)
    (count,) = struct.unpack("<I", handle.read(4))
    return count if size == STL_HEADER + count * STL_RECORD.itemsize else None


def stl_triangle_blocks(handle: BinaryIO) -> Iterator[np.ndarray]:
    """The triangles of the STL in `handle`, `STL_BLOCK` at a time, as float64 (n, 3, 3)."""
    size = handle.seek(0, 2)
    count = _is_binary_stl(handle, size)
    if count is not None:
        handle.seek(STL_HEADER)
        for start in range(0, count, STL_BLOCK):
            wanted = min(STL_BLOCK, count - start)
            data = handle.read(wanted * STL_RECORD.itemsize)
            if len(data) != wanted * STL_RECORD.itemsize:
                raise AnalysisFailed("mesh_invalid", "The binary STL is truncated.")
            yield np.frombuffer(data, dtype=STL_RECORD)["vertices"].astype(np.float64)
        return
    handle.seek(0)
    carry, pending = b"", np.zeros((0, 3))
    while True:
        piece = handle.read(ASCII_PIECE)
        text = carry + piece
        if piece:
            # Keep the last, maybe incomplete, line for the next piece.
            cut = text.rfind(b"\n") + 1
            text, carry = text[:cut], text[cut:]
        try:
            found = ASCII_VERTEX.findall(text)
            vertices = (
                np.array(found, dtype=np.float64).reshape(-1, 3) if found else np.zeros((0, 3))
            )
        except ValueError as exc:
            raise AnalysisFailed("mesh_invalid", "An ASCII STL vertex is not a number.") from exc
        vertices = np.concatenate([pending, vertices])
        whole = len(vertices) - len(vertices) % 3
        if whole:
            yield vertices[:whole].reshape(-1, 3, 3)
        pending = vertices[whole:]
        if not piece:
            break
    if len(pending):
        raise AnalysisFailed("mesh_invalid", "The ASCII STL has a facet without three vertices.")


def stl_analyse(handle: BinaryIO) -> dict[str, Any]:
    """Measures of the STL in `handle`, its encoding and solid name (ASCII) or header (binary).

    Raises AnalysisFailed (`mesh_invalid`, `mesh_too_large`).
    """
    size = handle.seek(0, 2)
    binary = _is_binary_stl(handle, size) is not None
    handle.seek(0)
    head = handle.read(80 if binary else 1024)
    if binary:
        name = head.rstrip(b"\x00 ").decode("latin-1")
    else:
        match = ASCII_SOLID.match(head)
        name = match.group(1).decode("latin-1").strip() if match else ""
    measures = MeshMeasures()
    for block in stl_triangle_blocks(handle):
        measures.add(block)
    return {
        "format": "stl",
        "encoding": "binary" if binary else "ascii",
        "solid_name": None if binary else name,
        "header": name if binary else None,
        **measures.as_dict(),
        "vertex_count": measures.distinct_vertices(),
    }


def _name(item: dict[str, Any], kind: str, index: int) -> str:
    name = item.get("name")
    return name if isinstance(name, str) and name else f"{kind} #{index}"


def _primitives(mesh: dict[str, Any]) -> list[dict[str, Any]]:
    primitives = mesh.get("primitives", [])
    if not isinstance(primitives, list):
        raise AnalysisFailed("gltf_invalid", "A glTF mesh's primitives is not a list.")
    return [primitive for primitive in primitives if isinstance(primitive, dict)]


def _signature(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def gltf_triangle_blocks(gltf: GltfDocument) -> Iterator[np.ndarray]:
    """World-space triangles of every mesh instance of the default scene, a primitive at a time."""
    for mesh_index, world in mesh_instances(gltf):
        for primitive in _primitives(gltf.item("meshes", mesh_index)):
            yield transformed(primitive_triangles(gltf, primitive)[0], world)


def gltf_analyse(handle: BinaryIO) -> dict[str, Any]:
    """Measures of the default scene of the glTF / GLB in `handle`, its generator, and the
    names and content signatures of its nodes, meshes and materials (for diffs).

    Raises AnalysisFailed (`gltf_invalid`, `gltf_too_large`, `mesh_too_large`).
    """
    gltf = gltf_load(handle)
    asset = gltf.document["asset"]
    meshes = gltf.items("meshes")
    materials = gltf.items("materials")
    nodes = gltf.items("nodes")
    mesh_summaries = []
    for mesh in meshes:
        triangles, vertices = 0, 0
        primitives = _primitives(mesh)
        for primitive in primitives:
            found, count = primitive_triangles(gltf, primitive)
            triangles, vertices = triangles + len(found), vertices + count
        material_names = [
            _name(gltf.item("materials", p["material"]), "material", p["material"])
            for p in primitives
            if "material" in p
        ]
        mesh_summaries.append(
            {"triangles": triangles, "vertices": vertices, "materials": material_names}
        )
    measures, vertex_count = MeshMeasures(), 0
    for mesh_index, world in mesh_instances(gltf):
        vertex_count += mesh_summaries[mesh_index]["vertices"]
        for primitive in _primitives(meshes[mesh_index]):
            measures.add(transformed(primitive_triangles(gltf, primitive)[0], world))
    node_items = {}
    for index, node in enumerate(nodes):
        description = {key: node.get(key) for key in ("matrix", "translation", "rotation", "scale")}
        if "mesh" in node:
            description["mesh"] = _name(gltf.item("meshes", node["mesh"]), "mesh", node["mesh"])
        description["children"] = [
            _name(gltf.item("nodes", child), "node", child) for child in node.get("children", [])
        ]
        node_items[_name(node, "node", index)] = _signature(description)
    return {
        "format": "glb" if gltf.binary else "gltf",
        "generator": str(asset.get("generator", "")) or None,
        "version": str(asset.get("version", "")) or None,
        "node_count": len(nodes),
        "mesh_count": len(meshes),
        "material_count": len(materials),
        "node_names": [_name(node, "node", i) for i, node in enumerate(nodes)],
        "mesh_names": [_name(mesh, "mesh", i) for i, mesh in enumerate(meshes)],
        "material_names": [_name(m, "material", i) for i, m in enumerate(materials)],
        **measures.as_dict(),
        "vertex_count": vertex_count,
        "signatures": {
            "nodes": node_items,
            "meshes": {
                _name(mesh, "mesh", i): _signature(mesh_summaries[i])
                for i, mesh in enumerate(meshes)
            },
            "materials": {
                _name(m, "material", i): _signature({k: v for k, v in m.items() if k != "name"})
                for i, m in enumerate(materials)
            },
        },
    }


MESH_CONTENT_TYPES = {"model/stl", "model/gltf+json", "model/gltf-binary"}


def mesh_analyse(handle: BinaryIO, *, content_type: str) -> dict[str, Any]:
    """`stl_analyse` or `gltf_analyse`, by content type."""
    if content_type == "model/stl":
        return stl_analyse(handle)
    return gltf_analyse(handle)


def mesh_triangles(handle: BinaryIO, *, content_type: str, limit: int) -> np.ndarray:
    """At most `limit` triangles of the model (every k-th one past that) as float32 (n, 3, 3):
    for rendering."""
    if content_type == "model/stl":
        blocks = stl_triangle_blocks(handle)
    else:
        blocks = gltf_triangle_blocks(gltf_load(handle))
    kept = [block.astype(np.float32) for block in blocks]
    triangles = np.concatenate(kept) if kept else np.zeros((0, 3, 3), dtype=np.float32)
    triangles = triangles[np.isfinite(triangles).all(axis=(1, 2))]
    if len(triangles) > limit:
        triangles = triangles[:: -(-len(triangles) // limit)]
    return triangles
