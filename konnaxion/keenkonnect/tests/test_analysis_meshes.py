import io
import json
import math

import pytest

from konnaxion.keenkonnect.analysis import AnalysisFailed
from konnaxion.keenkonnect.analysis.meshes import gltf_analyse, stl_analyse
from konnaxion.keenkonnect.tests.analysis_files import (
    cube_triangles,
    gltf_from_triangles,
    stl_ascii,
    stl_binary,
    uv_sphere,
)


@pytest.mark.parametrize("encode", [stl_binary, stl_ascii])
def test_a_closed_cube_has_its_area_and_volume(encode):
    # when
    found = stl_analyse(io.BytesIO(encode(cube_triangles(2.0, origin=(1, 2, 3)))))
    # then
    assert found["triangle_count"] == 12
    assert found["vertex_count"] == 8
    assert found["bounding_box"] == {"min": [1, 2, 3], "max": [3, 4, 5], "size": [2, 2, 2]}
    assert found["surface_area"] == pytest.approx(24)
    assert (found["closed"], found["volume"]) == (True, pytest.approx(8))


def test_solid_name_of_ascii_and_header_of_binary():
    # when
    ascii_found = stl_analyse(io.BytesIO(stl_ascii(cube_triangles(), name="bracket v2")))
    binary_found = stl_analyse(io.BytesIO(stl_binary(cube_triangles(), header=b"from CAD")))
    # then
    assert (ascii_found["encoding"], ascii_found["solid_name"]) == ("ascii", "bracket v2")
    assert (binary_found["encoding"], binary_found["header"]) == ("binary", "from CAD")


def test_an_open_mesh_has_no_volume():
    # when
    found = stl_analyse(io.BytesIO(stl_binary(cube_triangles()[:-1])))
    # then
    assert (found["triangle_count"], found["closed"], found["volume"]) == (11, False, None)


def test_an_inside_out_mesh_is_closed_and_says_so():
    # given: every triangle's winding reversed
    inverted = cube_triangles()[:, ::-1]
    # when
    found = stl_analyse(io.BytesIO(stl_binary(inverted)))
    # then
    assert (found["closed"], found["volume"], found["inward_facing"]) == (True, 8, True)


def test_a_sphere_streamed_in_several_blocks_approaches_its_volume(monkeypatch):
    # given: blocks of 1000 triangles, so the measures are added across blocks
    monkeypatch.setattr("konnaxion.keenkonnect.analysis.meshes.STL_BLOCK", 1000)
    sphere = uv_sphere(48, 96)
    # when
    found = stl_analyse(io.BytesIO(stl_binary(sphere)))
    # then
    assert found["triangle_count"] == len(sphere) > 5000
    assert found["closed"] is True
    assert found["volume"] == pytest.approx(4 / 3 * math.pi, rel=0.01)
    assert found["surface_area"] == pytest.approx(4 * math.pi, rel=0.01)


def test_too_many_triangles_are_refused(settings):
    # given
    settings.ANALYSIS_MAX_MESH_TRIANGLES = 10
    # when
    with pytest.raises(AnalysisFailed) as raised:
        stl_analyse(io.BytesIO(stl_binary(cube_triangles())))
    # then
    assert raised.value.reason == "mesh_too_large"


def test_an_ascii_facet_with_two_vertices_is_refused():
    # given
    broken = stl_ascii(cube_triangles()).replace(b"      vertex 0 0 0\n", b"", 1)
    # when
    with pytest.raises(AnalysisFailed) as raised:
        stl_analyse(io.BytesIO(broken))
    # then
    assert raised.value.reason == "mesh_invalid"


@pytest.mark.parametrize("binary", [False, True])
def test_gltf_scene_is_measured_in_world_coordinates(binary):
    # given: a 2 m cube at the origin and a unit sphere moved to x = 5
    content = gltf_from_triangles(
        {"cube": cube_triangles(2.0), "ball": uv_sphere(24, 48)},
        materials={"steel": {"pbrMetallicRoughness": {"metallicFactor": 1.0}}},
        mesh_materials={"cube": "steel"},
        translations={"ball": [5, 0, 0]},
        generator="Blender 4.2",
        binary=binary,
    )
    # when
    found = gltf_analyse(io.BytesIO(content))
    # then
    assert found["format"] == ("glb" if binary else "gltf")
    assert found["generator"] == "Blender 4.2"
    assert found["node_names"] == ["cube node", "ball node"]
    assert found["mesh_names"] == ["cube", "ball"]
    assert found["material_names"] == ["steel"]
    assert found["triangle_count"] == 12 + len(uv_sphere(24, 48))
    assert found["bounding_box"]["min"] == [0, -1, -1]
    assert found["bounding_box"]["max"] == [6, 2, 2]
    assert found["closed"] is True
    assert found["volume"] == pytest.approx(8 + 4 / 3 * math.pi, rel=0.01)


def test_gltf_accessor_reaching_past_its_buffer_is_refused():
    # given
    document = json.loads(gltf_from_triangles({"cube": cube_triangles()}))
    document["accessors"][0]["count"] = 10_000
    # when
    with pytest.raises(AnalysisFailed) as raised:
        gltf_analyse(io.BytesIO(json.dumps(document).encode()))
    # then
    assert raised.value.reason == "gltf_invalid"


def test_gltf_node_cycle_is_refused():
    # given
    document = json.loads(gltf_from_triangles({"cube": cube_triangles()}))
    document["nodes"][0]["children"] = [0]
    # when
    with pytest.raises(AnalysisFailed) as raised:
        gltf_analyse(io.BytesIO(json.dumps(document).encode()))
    # then
    assert raised.value.reason == "gltf_invalid"


def test_gltf_without_names_gets_positional_names():
    # given
    document = json.loads(gltf_from_triangles({"cube": cube_triangles()}))
    del document["meshes"][0]["name"], document["nodes"][0]["name"]
    # when
    found = gltf_analyse(io.BytesIO(json.dumps(document).encode()))
    # then
    assert (found["node_names"], found["mesh_names"]) == (["node #0"], ["mesh #0"])
