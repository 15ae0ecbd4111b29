import io

import numpy as np
import pytest
from PIL import Image

from konnaxion.keenkonnect.analysis import AnalysisFailed
from konnaxion.keenkonnect.analysis.previews import mesh_render, preview_pngs
from konnaxion.keenkonnect.tests.analysis_files import (
    cube_triangles,
    gltf_from_triangles,
    image_with_rectangle,
    multipage_pdf,
    stl_binary,
    uv_sphere,
)


def _sizes(previews: dict[int, bytes]) -> dict[int, tuple[int, int]]:
    return {key: Image.open(io.BytesIO(png)).size for key, png in previews.items()}


def test_image_previews_at_256_and_1024_and_never_enlarged():
    # given
    large = image_with_rectangle((2000, 1000), image_format="JPEG")
    small = image_with_rectangle((300, 150))
    # when
    large_previews = preview_pngs(io.BytesIO(large), content_type="image/jpeg")
    small_previews = preview_pngs(io.BytesIO(small), content_type="image/png")
    # then
    assert _sizes(large_previews) == {256: (256, 128), 1024: (1024, 512)}
    assert _sizes(small_previews) == {256: (256, 128), 1024: (300, 150)}
    assert all(png.startswith(b"\x89PNG") for png in large_previews.values())


def test_pdf_preview_is_its_first_page():
    # when
    previews = preview_pngs(
        io.BytesIO(multipage_pdf(["Title page"])), content_type="application/pdf"
    )
    # then
    assert _sizes(previews) == {256: (198, 256), 1024: (792, 1024)}


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (stl_binary(uv_sphere(16, 32)), "model/stl"),
        (gltf_from_triangles({"cube": cube_triangles()}, binary=True), "model/gltf-binary"),
        (gltf_from_triangles({"cube": cube_triangles()}), "model/gltf+json"),
    ],
)
def test_models_are_rendered_shaded_and_centred(content, content_type):
    # when
    previews = preview_pngs(io.BytesIO(content), content_type=content_type)
    # then
    assert _sizes(previews) == {256: (256, 256), 1024: (1024, 1024)}
    pixels = np.asarray(Image.open(io.BytesIO(previews[1024])).convert("RGB"), dtype=np.int16)
    background = np.all(pixels == pixels[0, 0], axis=2)
    assert not background[512, 512]  # the model fills the centre
    assert background[:, :40].all() and background[:, -40:].all()  # with a margin
    assert 0.15 < (~background).mean() < 0.9
    shades = np.unique(pixels[~background].sum(axis=1))
    assert len(shades) >= 3  # lit faces differ


def test_nearer_faces_hide_farther_ones():
    # given: a small cube in front of (nearer the camera than) a large one
    far = cube_triangles(4.0, origin=(0, 10, 0))
    near = cube_triangles(1.0, origin=(1.5, 0, 1.5))
    # when
    both = np.asarray(mesh_render(np.concatenate([far, near]), longest=256))
    reversed_order = np.asarray(mesh_render(np.concatenate([near, far]), longest=256))
    # then: drawing order does not matter
    assert (both == reversed_order).all()


def test_an_empty_model_has_no_preview():
    with pytest.raises(AnalysisFailed) as raised:
        mesh_render(np.zeros((0, 3, 3)))
    assert raised.value.reason == "mesh_empty"
