"""Pages matched by content and lines compared word by word (pure functions, no PDF needed)."""

import pytest

from konnaxion.keenkonnect.analysis import pdf_compare
from konnaxion.keenkonnect.analysis.pdf_compare import (
    PageMatch,
    lines_side_by_side,
    pages_align,
    words_compare,
)

PAGES = [f"Sheet {number}\nRoom {number} of the house\nNotes {number * 7}" for number in range(40)]


def test_pages_removed_added_moved_and_changed_come_in_reading_order():
    # given: page 4 removed, page 11 moved to the front, page 21 edited, a page added at the end
    new = [PAGES[10], *PAGES[:3], *PAGES[4:10], *PAGES[11:20], PAGES[20] + " revised", *PAGES[21:]]
    new.append("Annex")
    # when
    matches, unchanged = pages_align(PAGES, new)
    # then
    assert matches == [
        PageMatch("moved", 11, 1),
        PageMatch("removed", 4, None, 0.0),
        PageMatch("changed", 21, 20, 0.947),
        PageMatch("added", None, 40, 0.0),
    ]
    assert unchanged == 37


def test_reordered_identical_pages_and_blank_pages_are_not_changes():
    assert pages_align(["", "A b", ""], ["", "A  b\n", ""]) == ([], 3)


def test_a_rewrite_too_large_to_compare_pairwise_is_paired_in_order(monkeypatch):
    # given
    monkeypatch.setattr(pdf_compare, "MAX_SIMILARITY_PAIRS", 4)
    calls = []
    monkeypatch.setattr(pdf_compare, "_overlap", lambda a, b: calls.append(1) or 0.9)
    new = [page.replace("house", "home") for page in PAGES[:6]]
    # when
    matches, unchanged = pages_align(PAGES[:6], new)
    # then: six comparisons, not thirty-six
    assert [(m.status, m.old_page, m.new_page) for m in matches] == [
        ("changed", n, n) for n in range(1, 7)
    ]
    assert (len(calls), unchanged) == (6, 0)


@pytest.mark.parametrize(
    ("old", "new", "old_marked", "new_marked"),
    [
        ("Walls 20 cm", "Walls 25 cm", ["20"], ["25"]),
        ("Door, oak", "Door, painted oak", [], ["painted"]),
        ("Roof: slate", "Roof", [": slate"], []),
    ],
)
def test_changed_words_are_marked(old, new, old_marked, new_marked):
    old_segments, new_segments = words_compare(old, new)
    assert "".join(part["text"] for part in old_segments) == old
    assert "".join(part["text"] for part in new_segments) == new
    assert [part["text"] for part in old_segments if part["changed"]] == old_marked
    assert [part["text"] for part in new_segments if part["changed"]] == new_marked


def test_long_unchanged_stretches_are_folded_around_the_changes():
    # given
    old = "\n".join(f"line {n}" for n in range(1, 21))
    new = old.replace("line 10", "line ten")
    # when
    rows, truncated = lines_side_by_side(old, new, max_rows=100)
    # then
    assert [row["kind"] for row in rows] == ["skipped", "same", "same", "changed", "same", "same",
                                             "skipped"]  # fmt: skip
    assert (rows[0]["count"], rows[-1]["count"]) == (7, 8)
    assert (rows[3]["old_line"], rows[3]["new_line"]) == (10, 10)
    assert truncated is False


def test_rows_past_the_cap_are_left_out_and_said_to_be():
    rows, truncated = lines_side_by_side("", "\n".join(f"new {n}" for n in range(50)), max_rows=10)
    assert (len(rows), truncated) == (10, True)
    assert [row["kind"] for row in rows] == ["added"] * 10


def test_a_very_long_line_is_marked_whole():
    old, new = " ".join(["word"] * 3000), " ".join(["word"] * 2999 + ["other"])
    old_segments, new_segments = words_compare(old, new)
    assert old_segments == [{"text": old, "changed": True}]
    assert new_segments == [{"text": new, "changed": True}]
