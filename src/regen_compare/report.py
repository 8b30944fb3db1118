"""Terminal tables for `list` and `compare`, drawn with Rich.

Every cell is a `rich.text.Text` built from display-safe text, so data never reaches Rich's
markup parser and carries no escape sequence to the terminal. Rich drops colour by itself
when the output is not a terminal, and honours NO_COLOR.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from regen_compare import labels
from regen_compare.catalog import Catalog
from regen_compare.comparison import BEST, comparison
from regen_compare.costs import Profile
from regen_compare.formats import list_cells, list_columns
from regen_compare.query import Row
from regen_compare.safe_text import display_safe


def make_console(file: TextIO | None = None) -> Console:
    return Console(file=file, highlight=False, emoji=False, markup=False)


def _t(value: str, style: str = "") -> Text:
    return Text(display_safe(value), style=style)


def profile_line(profile: Profile, catalog: Catalog) -> str:
    parts = []
    if profile.condition:
        parts.append(f"condition: {catalog.conditions[profile.condition].name}")
    if profile.payer:
        parts.append(f"plan: {catalog.payers[profile.payer].name}")
        if profile.deductible_met:
            parts.append(f"deductible met: ${profile.deductible_met:,.0f}")
        if profile.oop_met:
            parts.append(f"out-of-pocket met: ${profile.oop_met:,.0f}")
    else:
        parts.append("no plan chosen (cash prices)")
    parts.append("horizon: 1 year" if profile.years == 1 else f"horizon: {profile.years} years")
    as_of = catalog.as_of
    if as_of is not None:
        parts.append(f"data as of {as_of.isoformat()}")
    return " · ".join(display_safe(p) for p in parts)


def print_list(
    console: Console,
    rows: Sequence[Row],
    total: int,
    profile: Profile,
    catalog: Catalog,
    filters_text: Sequence[str] = (),
) -> None:
    # One space between columns and a floor under each width keep all eight columns legible
    # at 80 columns: ranges and labels wrap at their spaces instead of being squeezed.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, show_edge=False, padding=0)
    columns = list_columns(profile)
    # Below 100 columns, fixed widths for everything but the name: Rich would otherwise
    # squeeze the last column to a few letters.
    fixed = {"Type": 5, "Invasive": 10, "Downtime": 8, "Coverage": 9, "Evidence": 10}
    money_width = 9 if profile.payer is not None else 17
    narrow = console.width < 100

    def width(column: str) -> int | None:
        if not narrow or column == "Therapy":
            return None
        return money_width if column.startswith(("Cash", "You pay")) else fixed.get(column, 8)

    if narrow:
        used = sum(width(c) or 0 for c in columns) + len(columns) - 1
        name_width: int | None = max(12, console.width - used)
    else:
        name_width = None
    for column in columns:
        table.add_column(
            column,
            width=name_width if column == "Therapy" else width(column),
            overflow="fold",
            justify="right" if column.startswith(("Cash", "You pay", "Downtime")) else "left",
        )
    for row in rows:
        cells = list_cells(row, profile, wrap=True)
        table.add_row(*(_t(c) for c in cells))
    console.print(table)
    shown = f"{len(rows)} of {total} therapies"
    if filters_text:
        shown += " · " + "; ".join(display_safe(f) for f in filters_text)
    console.print(_t(shown))
    console.print(_t(profile_line(profile, catalog)), style="dim")
    console.print(_t(labels.DISCLAIMER), style="dim")


def print_compare(
    console: Console, rows: Sequence[Row], profile: Profile, catalog: Catalog
) -> None:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("")
    for row in rows:
        table.add_column(_t(row.therapy.name), overflow="fold")
    for line in comparison(rows, profile):
        cells = [
            _t(f"{BEST} {cell.text}" if cell.best else cell.text, "bold" if cell.best else "")
            for cell in line.cells
        ]
        table.add_row(_t(line.label, "bold"), *cells)
    console.print(table)
    console.print(_t(f"{BEST} best in the row"))
    console.print(_t(profile_line(profile, catalog)), style="dim")
    console.print(_t(labels.DISCLAIMER), style="dim")
