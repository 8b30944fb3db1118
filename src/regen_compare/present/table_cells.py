"""What the therapy table draws: columns and rows of ready-made, display-safe cells.

Free of Textual: `tui/display.py` turns priced rows into these cells once per pricing, and the
table only lays them out and paints the visible lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, NamedTuple

from rich.cells import cell_len

Tone = Literal["", "good", "bad", "unknown", "dim"]
TONES: tuple[Tone, ...] = ("", "good", "bad", "unknown", "dim")


class Column(NamedTuple):
    key: str
    """The `query.SORT_KEYS` key this column sorts by."""
    title: str
    right: bool = False
    """Right-aligned (figures)."""


class DisplayRow(NamedTuple):
    id: str
    cells: tuple[str, ...]
    """One per column; the first is the full name."""
    tones: tuple[Tone, ...]
    short_name: str = ""
    """The name for a narrow name column (the data's `short_name`); empty: the full name."""

    @property
    def short(self) -> str:
        return self.short_name or self.cells[0]


SORT_GLYPH_WIDTH = 1
"""Room for "▲" / "▼" after a column title."""

_ONE_CELL = str.maketrans(dict.fromkeys("–—≈~…★☆●◐○▲▼←→·×"))
"""Characters the cells are written with that take one column each: a cell of these and
ASCII is as wide as it is long."""


def cell_width(text: str) -> int:
    """How many columns `text` takes (Rich's `cell_len`, which wide characters need), read
    off its length when it holds only ASCII and the cells' own one-column marks: ~10 times
    faster, and measuring every cell of 10,000 rows is part of each pricing."""
    if text.isascii() or text.translate(_ONE_CELL).isascii():
        return len(text)
    return cell_len(text)


def measure(cols: Sequence[Column], rows: Iterable[DisplayRow]) -> list[int]:
    """Each column's natural width over *all* rows, then the widest short name: done once
    per pricing, so filtering costs nothing here and columns do not jump while the user
    types. The list has one entry more than `cols`: the short names' width."""
    widths = [cell_len(c.title) + SORT_GLYPH_WIDTH for c in cols]
    short = cell_len(cols[0].title) + SORT_GLYPH_WIDTH if cols else 0
    for row in rows:
        for i, cell in enumerate(row.cells):
            length = cell_width(cell)
            if length > widths[i]:
                widths[i] = length
        short = max(short, cell_width(row.short))
    return [*widths, short]


class TableData(NamedTuple):
    """Everything the therapy table shows: what `TherapyTable.set_data` takes."""

    columns: tuple[Column, ...]
    rows: tuple[DisplayRow, ...]
    marks: frozenset[str]
    sort_key: str
    descending: bool
    empty_text: str
    widths: tuple[int, ...]
