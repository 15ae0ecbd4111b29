import io
import json
from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.db import connection
from PIL import Image

from konnaxion.files.models import Blob
from konnaxion.files.services import blob_read
from konnaxion.keenkonnect.services.document_diff import _cache_key, document_diff
from konnaxion.keenkonnect.tests.analysis_files import (
    cube_triangles,
    gltf_from_triangles,
    image_with_rectangle,
    multipage_pdf,
    pdf_self_referencing,
    stl_binary,
    uv_sphere,
)
from konnaxion.keenkonnect.tests.files import stored_blob

pytestmark = pytest.mark.django_db


def _meta(version: int, uploader: str, day: int, name: str) -> dict:
    return {
        "version": version,
        "uploaded_by": uploader,
        "uploaded_at": datetime(2025, 3, day, 9, 30, tzinfo=UTC),
        "file_name": name,
    }


OLD_META = _meta(1, "ana", 1, "plan.pdf")
NEW_META = _meta(2, "ben", 4, "plan.pdf")


def test_pdf_diff_lists_changed_pages_with_a_unified_diff():
    # given
    old = stored_blob(multipage_pdf(["Cover", "Walls 20 cm", "Roof"], title="House"))
    new = stored_blob(
        multipage_pdf(["Cover", "Walls 25 cm", "Roof", "Annex"], title="House B", author="Ben")
    )
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert diff["kind"] == "pdf"
    assert diff["same_content"] is False
    assert diff["old"]["version"] == 1 and diff["new"]["version"] == 2
    assert diff["uploader"] == {"old": "ana", "new": "ben", "changed": True}
    assert diff["dates"]["new"] == "2025-03-04T09:30:00+00:00"
    assert diff["size"]["delta"] == new.size - old.size
    assert diff["content_type"] == {
        "old": "application/pdf", "new": "application/pdf", "changed": False
    }  # fmt: skip
    section = diff["pdf"]
    assert section["page_count"] == {"old": 3, "new": 4, "changed": True, "delta": 1}
    assert section["metadata"] == {
        "added": {"Author": "Ben"},
        "removed": {},
        "changed": {"Title": {"old": "House", "new": "House B"}},
    }
    assert [(page["status"], page["old_page"], page["new_page"]) for page in section["pages"]] == [
        ("changed", 2, 2),
        ("added", None, 4),
    ]
    assert [page["page"] for page in section["pages"]] == [2, 4]
    (row,) = section["pages"][0]["rows"]
    assert row["kind"] == "changed"
    assert row["old"] == [{"text": "Walls ", "changed": False}, {"text": "20", "changed": True},
                          {"text": " cm", "changed": False}]  # fmt: skip
    assert row["new"][1] == {"text": "25", "changed": True}
    assert "-Walls 20 cm\n+Walls 25 cm" in section["pages"][0]["diff"]  # kept for older clients
    assert section["unchanged_pages"] == 2
    assert json.loads(json.dumps(diff)) == diff


def sheets(count: int) -> list[str]:
    """Pages of a drawing set, each with its own text."""
    return [f"Sheet {number}\nDetail of room {number}\nScale 1:{number * 10}" for number in
            range(1, count + 1)]  # fmt: skip


def pdf_pages(diff: dict) -> list[tuple[str, int | None, int | None]]:
    return [(page["status"], page["old_page"], page["new_page"]) for page in diff["pdf"]["pages"]]


def test_a_removed_page_is_reported_as_exactly_one_removed_page():
    # given
    pages = sheets(12)
    old = stored_blob(multipage_pdf(pages))
    new = stored_blob(multipage_pdf(pages[:2] + pages[3:]))
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert pdf_pages(diff) == [("removed", 3, None)]
    assert diff["pdf"]["unchanged_pages"] == 11
    (page,) = diff["pdf"]["pages"]
    assert page["page"] == 3
    assert [row["kind"] for row in page["rows"]] == ["removed"] * 3
    assert "@@" not in str(page["rows"]) and "old/page" not in str(page["rows"])


def test_an_inserted_page_is_reported_as_added_where_it_stands():
    # given
    pages = sheets(8)
    old = stored_blob(multipage_pdf(pages))
    new = stored_blob(multipage_pdf([*pages[:5], "Annex\nStair detail", *pages[5:]]))
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert pdf_pages(diff) == [("added", None, 6)]
    assert diff["pdf"]["unchanged_pages"] == 8


def test_a_moved_page_is_reported_as_moved_with_both_numbers():
    # given
    pages = sheets(10)
    moved = [*pages[:2], *pages[3:8], pages[2], *pages[8:]]
    old, new = stored_blob(multipage_pdf(pages)), stored_blob(multipage_pdf(moved))
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert pdf_pages(diff) == [("moved", 3, 8)]
    assert diff["pdf"]["pages"][0]["rows"] == []
    assert diff["pdf"]["unchanged_pages"] == 9


def test_a_page_edited_and_moved_is_one_changed_page_and_offers_an_overlay():
    # given
    pages = sheets(6)
    edited = pages[4].replace("Scale 1:50", "Scale 1:20")
    old = stored_blob(multipage_pdf(pages))
    new = stored_blob(multipage_pdf([edited, *pages[:4], pages[5]]))
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert pdf_pages(diff) == [("changed", 5, 1)]
    page = diff["pdf"]["pages"][0]
    assert page["overlay"] is True
    changed = [row for row in page["rows"] if row["kind"] == "changed"]
    assert [part["text"] for row in changed for part in row["new"] if part["changed"]] == ["20"]


def test_image_diff_boxes_the_change_and_stores_the_highlight_as_a_blob():
    # given
    old = stored_blob(image_with_rectangle((200, 100)), content_type="image/png")
    new = stored_blob(
        image_with_rectangle((200, 100), box=(10, 10, 30, 30), image_format="JPEG"),
        content_type="image/jpeg",
    )
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    section = diff["image"]
    assert diff["kind"] == "image"
    assert section["format"] == {"old": "PNG", "new": "JPEG", "changed": True}
    assert section["width"]["changed"] is False
    assert section["box_count"] == 1
    assert section["hash_distance"] > 0
    highlight = Blob.objects.get(sha256=section["highlight"]["sha256"])
    assert highlight.content_type == "image/png"
    image = Image.open(io.BytesIO(b"".join(blob_read(blob=highlight))))
    assert image.size == (200, 100)


def test_gltf_diff_names_added_removed_and_changed_items():
    # given
    old = stored_blob(
        gltf_from_triangles(
            {"frame": cube_triangles(), "door": cube_triangles(0.5)},
            materials={"oak": {"pbrMetallicRoughness": {"roughnessFactor": 0.8}}},
        ),
        content_type="model/gltf+json",
    )
    new = stored_blob(
        gltf_from_triangles(
            {"frame": cube_triangles(), "window": uv_sphere(4, 8)},
            materials={"oak": {"pbrMetallicRoughness": {"roughnessFactor": 0.5}}},
            translations={"frame": [0, 0, 1]},
        ),
        content_type="model/gltf+json",
    )
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    section = diff["mesh"]
    assert section["meshes"] == {"added": ["window"], "removed": ["door"], "changed": []}
    assert section["nodes"] == {
        "added": ["window node"], "removed": ["door node"], "changed": ["frame node"]
    }  # fmt: skip
    assert section["materials"] == {"added": [], "removed": [], "changed": ["oak"]}
    assert section["triangle_count"]["old"] == 24
    assert section["closed"] == {"old": True, "new": True, "changed": False}


def test_stl_diff_compares_measures():
    # given
    old = stored_blob(stl_binary(cube_triangles(1.0)), content_type="model/stl")
    new = stored_blob(stl_binary(cube_triangles(2.0)), content_type="model/stl")
    # when
    section = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)["mesh"]
    # then
    assert section["volume"] == {"old": 1.0, "new": 8.0, "changed": True, "delta": 7.0}
    assert section["surface_area"]["delta"] == 18.0
    assert section["bounding_box"]["new"]["size"] == [2.0, 2.0, 2.0]
    assert "nodes" not in section


def test_different_types_get_only_the_common_fields():
    # given
    old = stored_blob(multipage_pdf(["Plan"]))
    new = stored_blob(image_with_rectangle((20, 20)), content_type="image/png")
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert diff["kind"] == "mixed"
    assert diff["content_type"]["changed"] is True
    assert not {"pdf", "image", "mesh"} & diff.keys()


def test_same_content_is_flagged_without_analysis():
    # given
    blob = stored_blob(multipage_pdf(["Same"]))
    # when
    diff = document_diff(old=blob, new=blob, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert diff["same_content"] is True
    assert diff["size"] == {"old": blob.size, "new": blob.size, "changed": False, "delta": 0}
    assert "pdf" not in diff


def test_a_file_that_cannot_be_analysed_is_reported_in_its_section():
    # given
    old = stored_blob(multipage_pdf(["Good"]))
    new = stored_blob(pdf_self_referencing())
    # when
    diff = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert diff["pdf"]["error"]["side"] == "new"
    assert diff["pdf"]["error"]["reason"] == "pdf_invalid"
    assert diff["size"]["changed"] is True


def test_the_content_part_is_cached_by_both_hashes_and_the_metadata_is_not():
    # given
    old = stored_blob(stl_binary(cube_triangles(1.0)), content_type="model/stl")
    new = stored_blob(stl_binary(cube_triangles(3.0)), content_type="model/stl")
    first = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    cached = cache.get(_cache_key(old, new))
    assert cached == first["mesh"]
    cache.set(_cache_key(old, new), {"marker": True})
    # when
    second = document_diff(old=old, new=new, old_meta=_meta(7, "cy", 9, "b.stl"), new_meta=NEW_META)
    # then
    assert second["mesh"] == {"marker": True}
    assert second["old"]["version"] == 7
    assert second["uploader"]["old"] == "cy"


def test_a_cached_image_diff_whose_highlight_was_collected_is_computed_again():
    # given
    old = stored_blob(image_with_rectangle((40, 40)), content_type="image/png")
    new = stored_blob(image_with_rectangle((40, 40), box=(5, 5, 9, 9)), content_type="image/png")
    first = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    with connection.cursor() as cursor:
        # As garbage collection would; in SQL because test_blob_garbage_collection registers a
        # test-only model referring to Blob, whose table the ORM's cascade would look for.
        cursor.execute(
            f"DELETE FROM {Blob._meta.db_table} WHERE sha256 = %s",  # noqa: S608
            [first["image"]["highlight"]["sha256"]],
        )
    assert not Blob.objects.filter(sha256=first["image"]["highlight"]["sha256"]).exists()
    # when
    second = document_diff(old=old, new=new, old_meta=OLD_META, new_meta=NEW_META)
    # then
    assert Blob.objects.filter(sha256=second["image"]["highlight"]["sha256"]).exists()
