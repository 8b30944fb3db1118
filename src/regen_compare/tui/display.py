"""Rows turned into display cells once, so the table only ever paints visible lines.

Every string from the data passes through `display_safe` here, and the table draws cells as
plain segments (never markup), so a name like `Stem cell [autologous] [/]` shows as written.
Each cell also carries a *tone* (good / bad / unknown / dim) that the table maps to a theme
colour; the words and symbols of `labels` carry the meaning, the tone only reinforces it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len

from regen_compare import labels
from regen_compare.costs import Basis, CostResult, Profile, Status
from regen_compare.query import Row
from regen_compare.safe_text import display_safe

Tone = Literal["", "good", "bad", "unknown", "dim"]


@dataclass(frozen=True)
class Column:
    key: str
    """The `query.SORT_KEYS` key this column sorts by."""
    title: str
    right: bool = False
    """Right-aligned (figures)."""


@dataclass(frozen=True, slots=True)
class DisplayRow:
    id: str
    cells: tuple[str, ...]
    tones: tuple[Tone, ...]


def columns(profile: Profile) -> list[Column]:
    """The table's columns. The patient's own cost and coverage come right after the name
    and type so they are on screen at 80 columns; the rest scroll sideways."""
    span = "1 yr" if profile.years == 1 else f"{profile.years} yrs"
    return [
        Column("name", "Therapy"),
        Column("category", "Type"),
        Column("patient_cost", f"You pay {span}", right=True),
        Column("coverage", "Coverage"),
        Column("downtime", "Downtime", right=True),
        Column("invasiveness", "Invasive"),
        Column("evidence", "Evidence"),
        Column("cost", f"Cost {span}", right=True),
    ]


def coverage_tone(cost: CostResult) -> Tone:
    if cost.status is None:
        return "dim"
    if cost.basis is Basis.PLAN:
        return "good"
    if cost.status is Status.UNKNOWN:
        return "unknown"
    return "bad"


def your_cost_cell(row: Row) -> str:
    """The patient's figure (typical and range; `?` span when coverage is unknown), or the
    cash figure when no plan is chosen."""
    if row.cost.status is None:
        return labels.money_figure(row.cost.cash_total, row.cost)
    return labels.you_pay_figure(row.cost)


def display_row(row: Row) -> DisplayRow:
    """One row's cells, in the order of `columns`."""
    t = row.therapy
    downtime = t.recovery.downtime_days
    cells = (
        display_safe(t.name),
        labels.CATEGORY_SHORT[t.category],
        your_cost_cell(row),
        labels.coverage_label(row.cost),
        labels.days_range(downtime.min, downtime.max, "d"),
        labels.INVASIVENESS_SHORT[t.invasiveness],
        labels.EVIDENCE[row.evidence],
        labels.money_figure(row.cost.cash_total, row.cost),
    )
    tones: tuple[Tone, ...] = ("", "", "", coverage_tone(row.cost), "", "", "", "")
    return DisplayRow(t.id, cells, tones)


def display_rows(rows: Sequence[Row]) -> list[DisplayRow]:
    return [display_row(r) for r in rows]


SORT_GLYPH_WIDTH = 2
"""Room for " ▲" / " ▼" after a column title."""


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
