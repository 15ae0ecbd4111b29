"""The 3D figures of a diff page: named, with units, signed changes, the reader's numbers."""

from django.utils import translation

from konnaxion.web.diff_figures import mesh_figures, mesh_sources

CUBE_25_TO_35 = {
    "triangle_count": {"old": 12, "new": 24, "changed": True, "delta": 12},
    "vertex_count": {"old": 8, "new": 8, "changed": False, "delta": 0},
    "surface_area": {"old": 3750.0, "new": 7350.0, "changed": True, "delta": 3600.0},
    "volume": {"old": 15625.0, "new": 42875.0, "changed": True, "delta": 27250.0},
    "closed": {"old": True, "new": True, "changed": False},
    "bounding_box": {
        "old": {"min": [0, 0, 0], "max": [25, 25, 25], "size": [25.0, 25.0, 25.0]},
        "new": {"min": [0, 0, 0], "max": [35, 35, 35], "size": [35.0, 35.0, 35.0]},
        "changed": True,
    },
    "format": {"old": "stl", "new": "stl", "changed": False},
    "solid_name": {"old": "cube", "new": "cube", "changed": False},
}


def by_label(rows):
    return {row.label: (row.old, row.new, row.change) for row in rows}


def test_an_stl_reads_in_millimetres_with_signed_changes():
    with translation.override("en"):
        rows, collections = mesh_figures(CUBE_25_TO_35)
    figures = by_label(rows)
    assert figures["Size (width, depth, height)"] == (
        "25 \u00d7 25 \u00d7 25 mm",
        "35 \u00d7 35 \u00d7 35 mm",
        "+10 \u00d7 +10 \u00d7 +10 mm",
    )
    assert figures["Volume"] == ("15,625 mm³", "42,875 mm³", "+174.4 %")
    assert figures["Surface area"] == ("3,750 mm²", "7,350 mm²", "+96 %")
    assert figures["Triangles"] == ("12", "24", "+12 +100 %")
    assert figures["Vertices"] == ("8", "8", "")
    assert figures["Closed (watertight)"] == ("yes", "yes", "")
    assert figures["Format"] == ("STL", "STL", "")
    assert collections == []
    with translation.override("en"):
        sources = mesh_sources(CUBE_25_TO_35)
    assert by_label(sources) == {"Solid name": ("cube", "cube", "")}


def test_numbers_follow_the_reader_language():
    with translation.override("fr"):
        rows, _ = mesh_figures(CUBE_25_TO_35)
    figures = by_label(rows)
    assert figures["Volume"][1] == "42\xa0875 mm³"
    assert figures["Volume"][2] == "+174,4 %"
    assert figures["Fermé (étanche)"] == ("oui", "oui", "")


def test_gltf_lengths_are_metres_and_a_shrink_is_negative():
    mesh = {
        "format": {"old": "glb", "new": "glb", "changed": False},
        "volume": {"old": 2.0, "new": 1.5, "changed": True},
        "meshes": {"added": ["Leg"], "removed": [], "changed": ["Top"]},
    }
    with translation.override("en"):
        rows, collections = mesh_figures(mesh)
    assert by_label(rows)["Volume"] == ("2 m³", "1.5 m³", "\u221225 %")
    assert [(c.label, c.added, c.removed, c.changed) for c in collections] == [
        ("Meshes", ["Leg"], [], ["Top"])
    ]
