"""The 3D viewer of a document page and the 3D overlay of the diff page, in Debian's Chromium
(WebGL drawn in software by SwiftShader): a GLB of known size turned with the mouse and the keys,
an edge measured by clicking its two corners on the canvas (and by taps, and by Enter),
wireframe, section and fit seen in the pixels drawn; an STL, a file the viewer cannot read, a new
version swapped in live, two versions overlaid, and the open viewer on a phone in Arabic.

Where a corner is drawn comes from `element.viewer.project(point)` (model_viewer.js): the test
then clicks there, and the viewer finds the point by casting a ray, as for a reader's click.
"""

from __future__ import annotations

import itertools
import json
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from konnaxion.keenkonnect.samples import cube_triangles, gltf_from_triangles, stl_binary
from konnaxion.keenkonnect.selectors import resources_visible_to
from konnaxion.keenkonnect.services import secure_document_storage as storage
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.services.intelligent_indexing import resource_index
from konnaxion.keenkonnect.tests.factories import project_for
from konnaxion.keenkonnect.tests.files import incoming_file
from konnaxion.users.tests.factories import DEFAULT_PASSWORD, UserFactory
from konnaxion.web.diff_figures import TIMES
from konnaxion.web.tests.test_browser_blueprints import sign_in
from konnaxion.web.tests.test_browser_every_page import AXE, AXE_RUN, OVERFLOWING, WIDTHS

pytestmark = pytest.mark.browser

# A plate 0.4 m long, 0.25 m wide and 0.1 m thick (glTF lengths are metres).
PLATE = np.array([0.4, 0.25, 0.1])
VIEWER = "[data-viewer3d]"


def plate_glb() -> bytes:
    return gltf_from_triangles({"plate": cube_triangles(size=1.0) * PLATE}, binary=True)


def document_with(owner, name: str, content: bytes, *, title: str, index: bool = True):
    project = project_for(creator=owner, title=f"{title} project", visibility="members")
    resource = storage.resource_create(
        project=project, upload=incoming_file(content, name=name), actor=owner, title=title
    )
    if index:
        assert resource_index(resource_id=resource.pk, version_number=1) == "indexed"
    return project, resource


def sized(*lengths: str, unit: str) -> str:
    """A size as the page writes it: the lengths joined by multiplication signs, then the unit."""
    return f"{TIMES.join(lengths)} {unit}"


def viewer(page, method: str, *args):
    return page.locator(VIEWER).evaluate(
        f"(element, args) => element.viewer.{method}(...args)", args
    )


def measured_distance(page) -> float:
    text = page.locator("[data-viewer3d-measure]").inner_text()
    number = re.search(r"Distance: ([\d.,]+) m$", text)
    assert number, text
    return float(number.group(1).replace(",", ""))


def click_corner(page, corner: list[float], centre: list[float]) -> None:
    """Click 3 pixels inside the model from where `corner` is drawn: on the surface next to it."""
    at, middle = viewer(page, "project", corner), viewer(page, "project", centre)
    away = np.array([middle["x"] - at["x"], middle["y"] - at["y"]])
    step = 3 * away / np.linalg.norm(away)
    page.mouse.click(at["x"] + step[0], at["y"] + step[1])


def test_a_glb_is_turned_measured_cut_and_framed(page):
    # given an analysed GLB plate of known size
    olga = UserFactory(username="olga")
    project, plate = document_with(olga, "plate.glb", plate_glb(), title="Plate")
    sign_in(page, olga)

    # when its page opens
    page.goto(f"/projects/{project.slug}/blueprints/{plate.pk}/")

    # then the model is drawn in place of the server's picture, with its figures beside it
    expect(page.locator(f"{VIEWER}[data-state=ready]")).to_have_count(1)
    expect(page.locator(".preview > figure")).to_be_hidden()
    # and it opened by itself (a small model), showing no section controls yet
    expect(page.get_by_role("button", name="Open the 3D viewer")).to_be_hidden()
    expect(page.get_by_label("Cut across")).to_be_hidden()
    # and its bytes were counted as they came, then the progress bar went away
    progress = page.locator("[data-viewer3d-progress]")
    expect(progress).to_be_hidden()
    assert progress.evaluate("bar => [bar.value, bar.max]") == [plate.current_version.size] * 2
    expect(page.locator("[data-figure=size]")).to_have_text(sized("0.4", "0.25", "0.1", unit="m"))
    expect(page.locator("[data-figure=triangles]")).to_have_text("12")
    expect(page.get_by_role("application", name="3D model of “Plate”")).to_be_visible()
    state = viewer(page, "state")
    assert state["box"] == {"min": [0, 0, 0], "max": pytest.approx(PLATE.tolist())}

    # when it is turned with the mouse
    canvas = page.locator(f"{VIEWER} canvas")
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.move(*middle)
    page.mouse.down()
    page.mouse.move(middle[0] + 80, middle[1] + 30, steps=5)
    page.mouse.up()
    # then the camera moved around the same point, at the same distance
    turned = viewer(page, "state")
    assert turned["camera"] != pytest.approx(state["camera"])
    assert turned["target"] == pytest.approx(state["target"])
    distance = np.linalg.norm(np.subtract(state["camera"], state["target"]))
    assert np.linalg.norm(np.subtract(turned["camera"], turned["target"])) == pytest.approx(
        distance
    )

    # when it is turned, moved and zoomed with the keys
    canvas.focus()
    page.keyboard.press("ArrowLeft")
    keyed = viewer(page, "state")
    assert keyed["camera"] != pytest.approx(turned["camera"])
    assert keyed["target"] == pytest.approx(turned["target"])
    page.keyboard.press("Shift+ArrowUp")
    panned = viewer(page, "state")
    assert panned["target"] != pytest.approx(keyed["target"])
    page.keyboard.press("+")
    zoomed = viewer(page, "state")
    before = np.linalg.norm(np.subtract(panned["camera"], panned["target"]))
    assert np.linalg.norm(np.subtract(zoomed["camera"], zoomed["target"])) < before

    # when a reader measures the long edge at the corner nearest to them
    measure = page.get_by_role("button", name="Measure")
    measure.click()
    expect(measure).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-viewer3d-measure]")).to_contain_text("Pick a first point")
    view = viewer(page, "state")
    corners = [list(corner) for corner in itertools.product(*[(0.0, size) for size in PLATE])]
    near = min(corners, key=lambda corner: np.linalg.norm(np.subtract(corner, view["camera"])))
    far = [PLATE[0] - near[0], near[1], near[2]]
    centre = (PLATE / 2).tolist()
    click_corner(page, near, centre)
    expect(page.locator("[data-viewer3d-measure]")).to_contain_text("second point")
    click_corner(page, far, centre)
    # then the distance shown is the edge's length, in metres, read aloud as it appears
    expect(page.locator("[data-viewer3d-measure]")).to_contain_text("Distance:")
    expect(page.locator("[data-viewer3d-measure]")).to_have_attribute("aria-live", "polite")
    assert measured_distance(page) == pytest.approx(0.4, rel=0.01)

    # when the wireframe is turned on, then only the edges are drawn
    solid = viewer(page, "coverage")
    wireframe = page.get_by_role("button", name="Wireframe")
    wireframe.click()
    expect(wireframe).to_have_attribute("aria-pressed", "true")
    assert viewer(page, "state")["wireframe"] is True
    assert viewer(page, "coverage") < solid / 2
    wireframe.click()
    assert viewer(page, "coverage") == pytest.approx(solid, rel=0.05)

    # when the model is cut across X at a fifth of its length, then less of it is drawn
    section = page.get_by_role("button", name="Section")
    section.click()
    expect(section).to_have_attribute("aria-pressed", "true")
    page.get_by_label("Cut across").select_option("x")
    page.get_by_label("Position of the cut").fill("20")
    assert viewer(page, "state")["clippingPlanes"] == 1
    assert viewer(page, "coverage") < solid * 0.8
    section.click()
    assert viewer(page, "state")["clippingPlanes"] == 0

    # when zoomed far out, then Fit frames the model again: all corners drawn, filling the view
    for _ in range(8):
        canvas.press("-")
    assert viewer(page, "coverage") < solid / 4
    page.get_by_role("button", name="Fit").click()
    drawn = [viewer(page, "project", corner) for corner in corners]
    box = canvas.bounding_box()
    xs, ys = [point["x"] for point in drawn], [point["y"] for point in drawn]
    assert box["x"] <= min(xs) and max(xs) <= box["x"] + box["width"]
    assert box["y"] <= min(ys) and max(ys) <= box["y"] + box["height"]
    assert max(max(xs) - min(xs), (max(ys) - min(ys)) * box["width"] / box["height"]) > (
        0.5 * box["width"]
    )

    # when Reset is pressed, then every mode is off
    page.get_by_role("button", name="Reset").click()
    expect(measure).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-viewer3d-measure]")).to_be_hidden()


def test_an_stl_opens_and_a_new_version_replaces_it_live(page, tmp_path):
    # given an STL cube of 30 mm, not analysed yet, its page open
    olga = UserFactory(username="olga")
    project, bracket = document_with(
        olga, "bracket.stl", stl_binary(cube_triangles(size=30.0)), title="Bracket", index=False
    )
    sign_in(page, olga)
    page.goto(f"/projects/{project.slug}/blueprints/{bracket.pk}/")
    expect(page.locator(f"{VIEWER}[data-state=ready]")).to_have_count(1)
    expect(page.locator("#document-live[data-live=connected]")).to_have_count(1)
    # then the viewer measures what the index has not said yet, in millimetres
    expect(page.locator("[data-figure=size]")).to_have_text(sized("30", "30", "30", unit="mm"))
    expect(page.locator("[data-figure=triangles]")).to_have_text("12")
    expect(page.locator("[data-figure=volume]")).to_have_text("—")
    page.evaluate("window.firstViewer = document.querySelector('[data-viewer3d]').viewer")

    # when a second version, 40 mm, is uploaded from the page
    second = tmp_path / "bracket.stl"
    second.write_bytes(stl_binary(cube_triangles(size=40.0)))
    page.get_by_label("Choose a file").set_input_files(second)

    # then the new version is drawn in the swapped part, and the first viewer let its WebGL go
    expect(page.locator("[data-figure=size]")).to_have_text(sized("40", "40", "40", unit="mm"))
    expect(page.locator(f"{VIEWER}[data-state=ready]")).to_have_count(1)
    assert page.evaluate("window.firstViewer.state().disposed") is True
    assert page.evaluate("window.firstViewer.renderer.getContext().isContextLost()") is True
    assert viewer(page, "state")["box"]["max"] == pytest.approx([40, 40, 40])


def test_a_file_the_viewer_cannot_read_keeps_the_preview(page):
    # given a glTF the server reads, compressed with an extension the viewer has no decoder for
    document = json.loads(gltf_from_triangles({"part": cube_triangles(size=2.0)}))
    document["extensionsUsed"] = document["extensionsRequired"] = ["KHR_draco_mesh_compression"]
    document["meshes"][0]["primitives"][0]["extensions"] = {
        "KHR_draco_mesh_compression": {"bufferView": 0, "attributes": {"POSITION": 0}}
    }
    olga = UserFactory(username="olga")
    project, part = document_with(
        olga, "part.gltf", json.dumps(document).encode(), title="Compressed part"
    )
    sign_in(page, olga)

    # when its page opens
    page.goto(f"/projects/{project.slug}/blueprints/{part.pk}/")

    # then the viewer says it cannot read it, and the server's picture stays
    expect(page.locator(f"{VIEWER}[data-state=failed]")).to_have_count(1)
    expect(page.get_by_role("alert")).to_contain_text("The 3D viewer could not read this file.")
    expect(page.locator(".preview-image")).to_be_visible()
    expect(page.locator(f"{VIEWER} canvas")).to_be_hidden()
    # and the figures of the server's analysis are still there
    expect(page.locator("[data-figure=size]")).to_have_text(sized("2", "2", "2", unit="m"))


def test_the_diff_page_overlays_both_versions_with_a_legend(page):
    # given two versions of a GLB: the plate, then a longer one
    olga = UserFactory(username="olga")
    project, plate = document_with(olga, "plate.glb", plate_glb(), title="Plate", index=False)
    longer = gltf_from_triangles(
        {"plate": cube_triangles(size=1.0) * np.array([0.6, 0.25, 0.1])}, binary=True
    )
    version_create(
        resource=resources_visible_to(user=olga, project=project).get(pk=plate.pk),
        upload=incoming_file(longer, name="plate.glb"),
        actor=olga,
    )
    sign_in(page, olga)

    # when the diff page opens
    page.goto(f"/projects/{project.slug}/blueprints/{plate.pk}/diff/?old=1&new=2")

    # then both versions are drawn in one view, told apart by a legend
    expect(page.locator(f"{VIEWER}[data-state=ready]")).to_have_count(1)
    legend = page.locator(".viewer3d-legend li")
    expect(legend).to_have_text(["Version 1: orange lines", "Version 2: blue, solid"])
    state = viewer(page, "state")
    assert state["shown"] == {"old": True, "new": True}
    assert state["box"]["max"] == pytest.approx([0.6, 0.25, 0.1])
    both = viewer(page, "coverage")

    # when the newer version is hidden, then only the older one is drawn
    show_new = page.get_by_role("button", name="Show Version 2")
    show_new.click()
    expect(show_new).to_have_attribute("aria-pressed", "false")
    assert viewer(page, "state")["shown"] == {"old": True, "new": False}
    assert viewer(page, "coverage") < both


def test_the_open_viewer_fits_a_phone_in_arabic_and_passes_axe(browser, live_server_url):
    # given a GLB's page, read in Arabic on a 390 px phone
    olga = UserFactory(username="olga")
    project, plate = document_with(olga, "plate.glb", plate_glb(), title="Plate")
    context = browser.new_context(
        base_url=live_server_url,
        locale="ar",
        viewport=WIDTHS["phone"],
        bypass_csp=True,  # for axe-core's script only
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(olga.username)
    page.locator("#id_password").fill(DEFAULT_PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("header .user-menu summary")).to_have_text(olga.username)

    # when the viewer is open with its section and measure controls shown
    page.goto(f"/projects/{project.slug}/blueprints/{plate.pk}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(f"{VIEWER}[data-state=ready]")).to_have_count(1)
    page.locator("[data-action=section]").click()
    page.locator("[data-action=measure]").click()
    expect(page.locator("[data-viewer3d-section]")).to_be_visible()
    expect(page.locator("[data-action=measure]")).to_have_accessible_name("قياس")

    # then nothing scrolls sideways and axe-core finds nothing serious
    assert page.evaluate(OVERFLOWING) == []
    page.add_script_tag(content=AXE.read_text())
    assert page.evaluate(AXE_RUN) == []
    context.close()


def test_a_phone_measures_by_taps_and_a_keyboard_by_enter(browser, live_server_url):
    # given an analysed STL cube of 30 mm, open on a touch phone
    olga = UserFactory(username="olga")
    project, cube = document_with(olga, "cube.stl", stl_binary(cube_triangles(30.0)), title="Cube")
    context = browser.new_context(
        base_url=live_server_url, viewport=WIDTHS["phone"], has_touch=True, is_mobile=True
    )
    page = context.new_page()
    sign_in(page, olga)
    page.goto(f"/projects/{project.slug}/blueprints/{cube.pk}/")
    expect(page.locator(f"{VIEWER}[data-state=ready]")).to_have_count(1)

    # when two corners of an edge are tapped in measure mode
    page.get_by_role("button", name="Measure").tap()
    page.locator(f"{VIEWER} canvas").scroll_into_view_if_needed()
    view = viewer(page, "state")
    corners = [list(corner) for corner in itertools.product((0.0, 30.0), repeat=3)]
    near = min(corners, key=lambda corner: np.linalg.norm(np.subtract(corner, view["camera"])))
    far = [near[0], near[1], 30.0 - near[2]]
    for corner in (near, far):
        at = viewer(page, "project", corner)
        middle = viewer(page, "project", [15.0, 15.0, 15.0])
        away = np.array([middle["x"] - at["x"], middle["y"] - at["y"]])
        step = 3 * away / np.linalg.norm(away)
        page.touchscreen.tap(at["x"] + step[0], at["y"] + step[1])

    # then the edge's length is shown in millimetres
    text = page.locator("[data-viewer3d-measure]")
    expect(text).to_contain_text(" mm")
    assert float(re.search(r"Distance: ([\d.]+) mm", text.inner_text()).group(1)) == (
        pytest.approx(30.0, rel=0.01)
    )

    # when a keyboard user presses Enter twice with the canvas focused, turning it in between
    page.locator(f"{VIEWER} canvas").focus()
    page.keyboard.press("Enter")
    # then the point under the cross in the middle is picked, on the surface of the cube
    expect(text).to_contain_text("second point")
    (first,) = viewer(page, "state")["points"]
    assert min(first) == pytest.approx(0.0, abs=1e-3) or max(first) == pytest.approx(30.0)
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(text).to_contain_text("Distance:")
    context.close()
