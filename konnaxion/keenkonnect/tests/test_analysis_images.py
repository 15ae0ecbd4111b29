import io

import pytest
from PIL import Image

from konnaxion.keenkonnect.analysis import AnalysisFailed
from konnaxion.keenkonnect.analysis.images import hash_distance, image_analyse, image_compare
from konnaxion.keenkonnect.tests.analysis_files import image_with_rectangle


def test_dimensions_mode_exif_and_hash_of_a_jpeg():
    # given
    content = image_with_rectangle(
        (300, 200), image_format="JPEG", exif={0x010F: "Konnaxion Cam", 0x0110: "K1"}
    )
    # when
    found = image_analyse(io.BytesIO(content))
    # then
    assert found["format"] == "JPEG"
    assert (found["width"], found["height"], found["mode"]) == (300, 200, "RGB")
    assert found["exif"] == {"Make": "Konnaxion Cam", "Model": "K1"}
    assert len(found["perceptual_hash"]) == 16


def test_a_greyscale_png_with_alpha_keeps_its_mode():
    # when
    found = image_analyse(io.BytesIO(image_with_rectangle((40, 30), mode="LA")))
    # then
    assert (found["format"], found["mode"], found["exif"]) == ("PNG", "LA", {})


def test_the_same_picture_in_two_formats_hashes_alike_and_a_change_does_not():
    # given
    png = image_with_rectangle((300, 200))
    jpeg = image_with_rectangle((300, 200), image_format="JPEG")
    changed = image_with_rectangle((300, 200), box=(20, 20, 160, 180))
    # when
    hashes = [image_analyse(io.BytesIO(c))["perceptual_hash"] for c in (png, jpeg, changed)]
    # then
    assert hash_distance(hashes[0], hashes[1]) <= 2
    assert hash_distance(hashes[0], hashes[2]) >= 8


def test_changed_region_is_boxed_and_highlighted():
    # given
    old = image_with_rectangle((300, 200))
    new = image_with_rectangle((300, 200), box=(50, 40, 90, 70))
    # when
    comparison = image_compare(io.BytesIO(old), io.BytesIO(new))
    # then
    assert comparison.box_count == 1
    ((left, top, right, bottom),) = comparison.boxes
    assert 46 <= left <= 50 and 36 <= top <= 40 and 90 <= right <= 94 and 70 <= bottom <= 74
    assert comparison.changed_fraction == pytest.approx(40 * 30 / (300 * 200), abs=0.002)
    highlight = Image.open(io.BytesIO(comparison.highlight_png))
    assert highlight.size == (300, 200)
    red, green, _blue = highlight.convert("RGB").getpixel((70, 55))
    assert red > 150 and green < 100
    assert highlight.convert("RGB").getpixel((250, 150))[0] < 255  # faded, not red


def test_identical_images_have_no_box():
    # given
    content = image_with_rectangle((64, 64), box=(10, 10, 20, 20))
    # when
    comparison = image_compare(io.BytesIO(content), io.BytesIO(content))
    # then
    assert (comparison.boxes, comparison.box_count, comparison.hash_distance) == ([], 0, 0)
    assert comparison.changed_fraction == 0


def test_a_larger_canvas_counts_the_new_area_as_changed():
    # given
    old = image_with_rectangle((300, 200))
    new = image_with_rectangle((340, 200))
    # when
    comparison = image_compare(io.BytesIO(old), io.BytesIO(new))
    # then
    assert comparison.boxes == [[300, 0, 340, 200]]


def test_boxes_of_a_large_image_are_in_full_size_pixels():
    # given: compared on a working copy 1024 pixels wide
    old = image_with_rectangle((3000, 2000))
    new = image_with_rectangle((3000, 2000), box=(1000, 1000, 1400, 1300), image_format="JPEG")
    # when
    comparison = image_compare(io.BytesIO(old), io.BytesIO(new))
    # then
    ((left, top, right, bottom),) = comparison.boxes
    assert 985 <= left <= 1000 and 985 <= top <= 1000
    assert 1400 <= right <= 1415 and 1300 <= bottom <= 1315
    assert max(Image.open(io.BytesIO(comparison.highlight_png)).size) == 1024


def test_pixel_flood_is_refused_before_decoding(settings):
    # given
    settings.BLUEPRINT_MAX_IMAGE_PIXELS = 100 * 100
    # when
    with pytest.raises(AnalysisFailed) as raised:
        image_analyse(io.BytesIO(image_with_rectangle((101, 100))))
    # then
    assert raised.value.reason == "pixel_flood"


def test_a_broken_image_fails_with_a_reason():
    # given
    truncated = image_with_rectangle((64, 64))[:40]
    # when
    with pytest.raises(AnalysisFailed) as raised:
        image_compare(io.BytesIO(truncated), io.BytesIO(truncated))
    # then
    assert raised.value.reason == "image_invalid"
