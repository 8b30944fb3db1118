"""The side-by-side as a Rich table: therapies as columns, attributes as rows.

The best value in a row carries `comparison.BEST` (★) and bold; rows where every option is
the same are dimmed so the differences stand out. All cells are `Text` (no markup).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from regen_compare.engine.query import Row
from regen_compare.model.text import display_safe
from regen_compare.present import chances, figures
from regen_compare.present.comparison import BEST, CompareLine


def compare_table(rows: Sequence[Row], lines: Sequence[CompareLine]) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        expand=True,
        pad_edge=False,
        padding=(0, 1),
        show_edge=False,
    )
    table.add_column(Text(""), no_wrap=True, ratio=None, min_width=10, max_width=20)
    for index, row in enumerate(rows):
        texts = [row.therapy.name, *(line.cells[index].text for line in lines)]
        table.add_column(
            Text(display_safe(row.therapy.name), style="bold", overflow="fold"),
            ratio=1,
            min_width=longest_word(texts),
        )
    for line in lines:
        same = not line.differs
        label = Text(line.label, style="dim" if same else "bold")
        cells: list[Text] = []
        for cell in line.cells:
            text = display_safe(cell.text)
            # Fold, never cut: a narrow column breaks a long word rather than hide a figure.
            if cell.best:
                cells.append(Text(f"{BEST} {text}", style="bold", overflow="fold"))
            else:
                cells.append(Text(text, style="dim" if same else "", overflow="fold"))
        table.add_row(label, *cells)
    return table


WORD_MAX = 24
"""A column is never narrower than its longest word (up to this), so words wrap whole."""


def longest_word(texts: Sequence[str]) -> int:
    """The width of the longest word in `texts` (at most `WORD_MAX`): a column this wide
    wraps every line at word boundaries and never splits a word."""
    longest = max((cell_len(w) for t in texts for w in display_safe(t).split()), default=1)
    return min(WORD_MAX, longest + (len(BEST) + 1))


PICTURE_SPACED = 19
"""Cells a row of the picture takes with a space between the marks (10 without)."""
PICTURE_GAP = 2
"""Cells between two pictures."""


def icon_arrays(rows: Sequence[Row], width: int | None = None) -> Table | None:
    """A picture of 100 people for each option with a known chance of benefit: `●` helped
    with it, `◐` helped with the comparison too, `○` not helped; a sentence under each says
    the same in words. None when no option has a figure. Where the pictures side by side
    would not fit in `width` with a space between marks, the marks touch: a row of the
    picture is never broken across two lines."""
    shown = [r for r in rows if r.benefit is not None]
    if not shown:
        return None
    spaced = width is None or len(shown) * (PICTURE_SPACED + PICTURE_GAP) <= width
    gap, row_width = (" ", PICTURE_SPACED) if spaced else ("", chances.GRID)
    table = Table(box=None, expand=False, pad_edge=False, padding=(0, PICTURE_GAP), show_edge=False)
    for row in shown:
        table.add_column(
            Text(display_safe(row.therapy.label), style="bold"), min_width=row_width, max_width=30
        )
    cells = []
    for row in shown:
        assert row.benefit is not None
        grid = "\n".join(chances.icon_rows(row.benefit, gap=gap))
        words = chances.icon_sentence(row.benefit)
        found = f"{display_safe(row.benefit.measure)}, {display_safe(row.benefit.timeframe)}"
        cells.append(Text(f"{grid}\n{words}\n({found})" if grid else words))
    table.add_row(*cells)
    return table


def legend(rows: Sequence[Row] = ()) -> Text:
    text = Text(
        f"{BEST} best in the row (ranges by their typical figure) · ≈ typical · dimmed rows are "
        "the same for every option",
        style="italic",
    )
    for hint in figures.symbol_hints(r.cost for r in rows):
        text.append("\n" + hint, style="italic")
    return text


def ethics_notes(rows: Sequence[Row]) -> Text:
    """The ethics points of the compared cell and gene therapies, in full, under the grid: a
    count in a cell would hide exactly what a patient should read."""
    text = Text()
    for row in rows:
        if not row.therapy.ethics:
            continue
        text.append(f"\nEthics to know · {display_safe(row.therapy.name)}\n", style="bold")
        for point in row.therapy.ethics:
            text.append("• " + display_safe(point, multiline=True) + "\n")
    return text
