"""What the therapy table draws: columns and rows of ready-made, display-safe cells.

Kept apart from `tui/display.py` (which turns priced rows into these cells) and free of
Textual, so that the table and the remembered first frame (`first_frame.py`) can be imported
without the pricing engine and the data model behind it.
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
    tones: tuple[Tone, ...]


SORT_GLYPH_WIDTH = 1
"""Room for "▲" / "▼" after a column title."""


def measure(cols: Sequence[Column], rows: Iterable[DisplayRow]) -> list[int]:
    """Each column's natural width over *all* rows: done once per pricing, so filtering
    costs nothing here and columns do not jump while the user types."""
    widths = [cell_len(c.title) + SORT_GLYPH_WIDTH for c in cols]
    for row in rows:
        for i, cell in enumerate(row.cells):
            length = cell_len(cell)
            if length > widths[i]:
                widths[i] = length
    return widths


class TableData(NamedTuple):
    """Everything the therapy table shows: what `TherapyTable.set_data` takes."""

    columns: tuple[Column, ...]
    rows: tuple[DisplayRow, ...]
    marks: frozenset[str]
    sort_key: str
    descending: bool
    empty_text: str
    widths: tuple[int, ...]
