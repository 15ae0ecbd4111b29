"""Fixed-width result tables shared by the benchmarks: a title, columns, rows and a footer."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO


def format_cell(value: object, *, decimals: int = 3) -> str:
    if isinstance(value, float):
        return f"{value:.{decimals}f}"
    return str(value)


def format_table(
    *,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    footer: str | None = None,
    decimals: int = 3,
) -> str:
    """The table as text: text cells left-aligned, numbers right-aligned, columns padded."""
    cells = [[format_cell(value, decimals=decimals) for value in row] for row in rows]
    for row in cells:
        if len(row) != len(columns):
            raise ValueError(f"row {row} has {len(row)} cells for {len(columns)} columns")
    widths = [
        max([len(column), *(len(row[position]) for row in cells)])
        for position, column in enumerate(columns)
    ]
    numeric = [
        bool(rows) and all(isinstance(row[position], int | float) for row in rows)
        for position in range(len(columns))
    ]

    def line(values: Sequence[str]) -> str:
        padded = [
            value.rjust(width) if is_number else value.ljust(width)
            for value, width, is_number in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(padded).rstrip()

    rule = "-" * (sum(widths) + 2 * (len(columns) - 1))
    lines = [title, rule, line(columns), rule, *(line(row) for row in cells), rule]
    if footer:
        lines.append(footer)
    return "\n".join(lines)


def print_table(
    *,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    footer: str | None = None,
    decimals: int = 3,
    stream: TextIO | None = None,
) -> None:
    """Print `format_table(...)` followed by a blank line."""
    text = format_table(title=title, columns=columns, rows=rows, footer=footer, decimals=decimals)
    print(text + "\n", file=stream or sys.stdout, flush=True)
