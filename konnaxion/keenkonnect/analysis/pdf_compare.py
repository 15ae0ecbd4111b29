"""Two PDFs' texts compared as a reader compares them: pages matched by content, then the lines
of a matched pair side by side with the changed words marked.

Pure functions over the page texts `pdf_analyse` extracts; the results are JSON-safe.

Pages are matched in three passes. First `difflib.SequenceMatcher` over per-page fingerprints
(the text with its whitespace collapsed) finds the pages that kept their text and their order.
Then a page whose exact text left one place and reappears at another is *moved*. Last, the pages
still unmatched are paired by word similarity (the share of words two pages have in common,
counted with repetitions) when it reaches `SIMILAR_PAGES`: *changed*. What remains is *removed*
(old page) or *added* (new page).
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

# Two pages are one page edited when at least this share of their words is common.
SIMILAR_PAGES = 0.5
# Unmatched old x new pages compared by similarity at most; past it, pages are paired inside each
# replaced stretch only (a 2,000-page rewrite must not cost four million comparisons).
MAX_SIMILARITY_PAIRS = 40_000
# Unchanged lines shown around a change; longer unchanged stretches are folded.
CONTEXT_LINES = 2
# Lines longer than this many tokens (words, spaces, signs) are marked whole, not word by word:
# comparing token sequences costs up to the square of their length.
MAX_WORD_DIFF_TOKENS = 2000
TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class PageMatch:
    """One page's fate: `old_page` / `new_page` are 1-based, None on the side it is missing."""

    status: str  # removed | added | moved | changed
    old_page: int | None
    new_page: int | None
    similarity: float = 1.0


def fingerprint(text: str) -> str:
    """A page's text with its whitespace collapsed: equal fingerprints are the same text."""
    return " ".join(text.split())


def _overlap(old_words: Counter, new_words: Counter) -> float:
    total = old_words.total() + new_words.total()
    return 2 * (old_words & new_words).total() / total if total else 1.0


def similarity(first: str, second: str) -> float:
    """The share of words two texts have in common (0: none, 1: the same words)."""
    return _overlap(Counter(first.split()), Counter(second.split()))


def _similar_pairs(
    words: tuple[list[Counter], list[Counter]], pairs: list[tuple[int, int]]
) -> list[tuple[float, int, int]]:
    """Best-first, each page at most once: (similarity, old index, new index) above the bar;
    between equals, the pages closest in place."""
    old_words, new_words = words
    candidates = sorted(
        (
            (score, -abs(old_index - new_index), old_index, new_index)
            for old_index, new_index in pairs
            if (score := _overlap(old_words[old_index], new_words[new_index])) >= SIMILAR_PAGES
        ),
        reverse=True,
    )
    chosen, used_old, used_new = [], set(), set()
    for score, _distance, old_index, new_index in candidates:
        if old_index not in used_old and new_index not in used_new:
            used_old.add(old_index)
            used_new.add(new_index)
            chosen.append((score, old_index, new_index))
    return chosen


def pages_align(old_pages: list[str], new_pages: list[str]) -> tuple[list[PageMatch], int]:
    """Match the pages of two documents by content. Returns the pages that differ, in the new
    document's reading order (a removed page where it used to be), and how many are unchanged.
    """
    old_prints = [fingerprint(text) for text in old_pages]
    new_prints = [fingerprint(text) for text in new_pages]
    matcher = difflib.SequenceMatcher(None, old_prints, new_prints, autojunk=False)
    unchanged = 0
    old_left: list[int] = []
    new_left: list[int] = []
    blocks: list[tuple[list[int], list[int]]] = []
    # Where a removed page belongs in the new document: after the new pages before it.
    anchor: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            unchanged += i2 - i1
            continue
        old_left += range(i1, i2)
        new_left += range(j1, j2)
        anchor.update((index, j1) for index in range(i1, i2))
        blocks.append((list(range(i1, i2)), list(range(j1, j2))))
    matches: list[PageMatch] = []
    # Moved: the same text, elsewhere.
    waiting: dict[str, list[int]] = {}
    for index in old_left:
        waiting.setdefault(old_prints[index], []).append(index)
    for new_index in list(new_left):
        same = waiting.get(new_prints[new_index])
        if same:
            old_index = same.pop(0)
            old_left.remove(old_index)
            new_left.remove(new_index)
            matches.append(PageMatch("moved", old_index + 1, new_index + 1))
    # Changed: similar text, anywhere when that is affordable, else inside each replaced stretch.
    if len(old_left) * len(new_left) <= MAX_SIMILARITY_PAIRS:
        groups = [(old_left, new_left)]
    else:
        old_set, new_set = set(old_left), set(new_left)
        groups = [
            ([i for i in olds if i in old_set], [j for j in news if j in new_set])
            for olds, news in blocks
        ]
    words = (
        [Counter(text.split()) for text in old_pages],
        [Counter(text.split()) for text in new_pages],
    )
    paired_old, paired_new = set(), set()
    for olds, news in groups:
        if len(olds) * len(news) <= MAX_SIMILARITY_PAIRS:
            candidates = [(i, j) for i in olds for j in news]
        else:  # too many to compare pairwise: the stretch's pages in order, one to one
            candidates = list(zip(olds, news, strict=False))
        pairs = _similar_pairs(words, candidates)
        for score, old_index, new_index in pairs:
            paired_old.add(old_index)
            paired_new.add(new_index)
            matches.append(PageMatch("changed", old_index + 1, new_index + 1, round(score, 3)))
    matches += [PageMatch("removed", i + 1, None, 0.0) for i in old_left if i not in paired_old]
    matches += [PageMatch("added", None, j + 1, 0.0) for j in new_left if j not in paired_new]

    def reading_order(match: PageMatch) -> tuple[float, int]:
        if match.new_page is not None:
            return (match.new_page, 0)
        return (anchor[match.old_page - 1] + 0.5, match.old_page)

    return sorted(matches, key=reading_order), unchanged


def _segments(tokens: list[str], changed: set[int]) -> list[dict[str, Any]]:
    """Consecutive tokens merged into `{"text", "changed"}` segments."""
    segments: list[dict[str, Any]] = []
    for index, token in enumerate(tokens):
        # Spaces are marked only inside a changed run, so a mark never starts or ends blank.
        flag = index in changed and (
            not token.isspace() or (index - 1 in changed and index + 1 in changed)
        )
        if segments and segments[-1]["changed"] == flag:
            segments[-1]["text"] += token
        else:
            segments.append({"text": token, "changed": flag})
    return segments


def words_compare(old_line: str, new_line: str) -> tuple[list[dict], list[dict]]:
    """Two versions of a line as segments, the words that differ marked `changed`."""
    old_tokens, new_tokens = TOKENS.findall(old_line), TOKENS.findall(new_line)
    if max(len(old_tokens), len(new_tokens)) > MAX_WORD_DIFF_TOKENS:
        return [{"text": old_line, "changed": True}], [{"text": new_line, "changed": True}]
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old_changed, new_changed = set(), set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old_changed.update(range(i1, i2))
            new_changed.update(range(j1, j2))
    return _segments(old_tokens, old_changed), _segments(new_tokens, new_changed)


def _row(kind: str, old: tuple[int, str] | None, new: tuple[int, str] | None) -> dict[str, Any]:
    if kind == "changed" and old and new:
        old_segments, new_segments = words_compare(old[1], new[1])
    else:
        flag = kind != "same"
        old_segments = [{"text": old[1], "changed": flag}] if old else None
        new_segments = [{"text": new[1], "changed": flag}] if new else None
    return {
        "kind": kind,
        "old_line": old[0] if old else None,
        "new_line": new[0] if new else None,
        "old": old_segments,
        "new": new_segments,
    }


def _same_rows(old: list[str], new: list[str], i1: int, i2: int, j1: int, first: bool, last: bool):
    """Unchanged lines: the few next to a change, the rest folded into one `skipped` row."""
    count = i2 - i1
    head = 0 if first else min(CONTEXT_LINES, count)
    tail = 0 if last else min(CONTEXT_LINES, count - head)
    rows = [_row("same", (i1 + k + 1, old[i1 + k]), (j1 + k + 1, new[j1 + k])) for k in range(head)]
    if count - head - tail:
        rows.append({"kind": "skipped", "count": count - head - tail})
    rows += [
        _row("same", (i1 + k + 1, old[i1 + k]), (j1 + k + 1, new[j1 + k]))
        for k in range(count - tail, count)
    ]
    return rows


def lines_side_by_side(
    old_text: str, new_text: str, *, max_rows: int
) -> tuple[list[dict[str, Any]], bool]:
    """The lines of two texts as rows `{"kind", "old_line", "new_line", "old", "new"}` (kind:
    same, changed, removed, added; `old` / `new` are segment lists or None), unchanged stretches
    folded into `{"kind": "skipped", "count"}` rows; at most `max_rows`, and whether some were
    left out."""
    old, new = old_text.splitlines(), new_text.splitlines()
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    rows: list[dict[str, Any]] = []
    for position, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if len(rows) >= max_rows:
            return rows[:max_rows], True
        if tag == "equal":
            first, last = position == 0, position == len(opcodes) - 1
            rows += _same_rows(old, new, i1, i2, j1, first, last)
            continue
        for k in range(max(i2 - i1, j2 - j1)):
            old_line = (i1 + k + 1, old[i1 + k]) if i1 + k < i2 else None
            new_line = (j1 + k + 1, new[j1 + k]) if j1 + k < j2 else None
            kind = "changed" if old_line and new_line else "removed" if old_line else "added"
            rows.append(_row(kind, old_line, new_line))
            if len(rows) > max_rows:
                return rows[:max_rows], True
    return rows[:max_rows], len(rows) > max_rows
