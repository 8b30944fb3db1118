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

from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import Weights
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.text import display_safe
from regen_compare.present import figures
from regen_compare.present.comparison import BEST, comparison
from regen_compare.present.formats import list_cells, list_columns


def make_console(file: TextIO | None = None) -> Console:
    return Console(file=file, highlight=False, emoji=False, markup=False)


def _t(value: str, style: str = "") -> Text:
    return Text(display_safe(value), style=style)


def profile_line(profile: Profile, catalog: Catalog) -> str:
    parts = [f"{what}: {value}" for what, value in figures.profile_facts(catalog, profile)]
    as_of = catalog.as_of
    if as_of is not None:
        parts.append(f"data as of {as_of.isoformat()}")
    return " · ".join(display_safe(p) for p in parts)


NARROW_BELOW = 100
"""Below this many columns the table gets fixed widths; above, Rich sizes every column."""
_FIXED = {"Type": 5, "Invasive": 10, "Downtime": 8, "Coverage": 9, "Evidence": 10, "Fit": 5}
_GIVE_WAY = (("Evidence", 8), ("Invasive", 9), ("Coverage", 8), ("Cash", 8), ("You pay", 8))
"""When a word of a therapy's name would not fit, these columns narrow first (to the width
of their own longest word), in this order."""
_LONGEST_NAME_WORD = 20


def _longest_word(rows: Sequence[Row]) -> int:
    words = (len(w) for r in rows for w in display_safe(r.therapy.name).split())
    return min(max(words, default=0), _LONGEST_NAME_WORD)


def _narrow_widths(
    columns: Sequence[str], width: int, rows: Sequence[Row], money: int
) -> dict[str, int]:
    """Fixed widths for a narrow terminal (or a pipe), the name taking what is left: never
    less than its longest word, so a pipe never splits "Radiofrequency" mid-word."""
    widths = {
        c: money if c.startswith(("Cash", "You pay")) else _FIXED.get(c, 8)
        for c in columns
        if c != "Therapy"
    }

    def left() -> int:
        return width - sum(widths.values()) - (len(columns) - 1)

    need = max(12, _longest_word(rows))
    for prefix, floor in _GIVE_WAY:
        for column in widths:
            if left() < need and column.startswith(prefix) and widths[column] > floor:
                widths[column] = floor
    widths["Therapy"] = max(need, left())
    return widths


def _list_table(console: Console, rows: Sequence[Row], profile: Profile, fit: bool) -> Table:
    # One space between columns and a floor under each width keep every column legible at
    # 80 columns: ranges and labels wrap at their spaces instead of being squeezed.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False, show_edge=False, padding=0)
    columns = list_columns(profile, fit=fit)
    keep = list(range(len(columns)))
    narrow = console.width < NARROW_BELOW
    if narrow and fit:  # the fit sums them up; the wide table and the JSON keep them
        keep = [i for i, c in enumerate(columns) if c not in ("Type", "Invasive")]
    shown = [columns[i] for i in keep]
    money = 9 if profile.payer is not None else 17
    widths = _narrow_widths(shown, console.width, rows, money) if narrow else {}
    for column in shown:
        table.add_column(
            column,
            width=widths.get(column),
            overflow="fold",
            justify="right" if column.startswith(("Cash", "You pay", "Downtime")) else "left",
        )
    for row in rows:
        cells = list_cells(row, profile, wrap=True, fit=fit)
        table.add_row(*(_t(cells[i]) for i in keep))
    return table


def print_list(
    console: Console,
    rows: Sequence[Row],
    total: int,
    profile: Profile,
    catalog: Catalog,
    *,
    filters_text: Sequence[str] = (),
    fit: bool = False,
) -> None:
    """The list as a table, then what was kept, who is asking and the disclaimer. `fit`
    adds the fit column (the rows carry their fit under the patient's weights)."""
    console.print(_list_table(console, rows, profile, fit))
    for hint in figures.symbol_hints(r.cost for r in rows):
        console.print(_t(hint))
    shown = f"{len(rows)} of {total} therapies"
    if filters_text:
        shown += " · " + "; ".join(display_safe(f) for f in filters_text)
    console.print(_t(shown))
    console.print(_t(profile_line(profile, catalog)), style="dim")
    console.print(_t(labels.DISCLAIMER), style="dim")


def print_compare(
    console: Console,
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    weights: Weights | None = None,
) -> None:
    """The side-by-side: one column per therapy, ★ on the best of each line (with `weights`,
    the patient's, the fit lines lead, ★ on the best fit)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("")
    for row in rows:
        # Never narrower than the name's longest word: a pipe must not split "Radiofrequency".
        table.add_column(_t(row.therapy.name), overflow="fold", min_width=_longest_word([row]))
    for line in comparison(rows, profile, weights):
        cells = [
            _t(f"{BEST} {cell.text}" if cell.best else cell.text, "bold" if cell.best else "")
            for cell in line.cells
        ]
        table.add_row(_t(line.label, "bold"), *cells)
    console.print(table)
    console.print(_t(f"{BEST} best in the row"))
    for hint in figures.symbol_hints(r.cost for r in rows):
        console.print(_t(hint))
    console.print(_t(profile_line(profile, catalog)), style="dim")
    console.print(_t(labels.DISCLAIMER), style="dim")
