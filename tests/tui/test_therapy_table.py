"""The therapy table's layout: whole names (or the data's short names), whole columns under
their own headers, `→ N more` when columns are off screen, and no word cut in half."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from regen_compare.present.table_cells import Column, DisplayRow, measure
from regen_compare.tui.widgets.therapy_table import NAME_MIN, TherapyTable, _fit

COLUMNS = (
    Column("name", "Therapy"),
    Column("patient_cost", "You pay", right=True),
    Column("coverage", "Coverage"),
    Column("downtime", "Downtime", right=True),
    Column("evidence", "Evidence"),
    Column("fit", "Fit", right=True),
)
LONG = "Bone marrow aspirate concentrate (BMAC) injection"
ROWS = (
    DisplayRow(
        "bmac",
        (LONG, "≈$31.7k", "✗ not covered", "1–2 d", "too little", "44–61"),
        ("",) * 6,
        "Bone marrow 'stem cell'",
    ),
    DisplayRow(
        "pt",
        ("Physical therapy course", "≈$640", "✓ covered", "0 d", "strong", "96"),
        ("",) * 6,
    ),
)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TherapyTable(id="table")

    def on_mount(self) -> None:
        table = self.query_one(TherapyTable)
        table.set_data(
            COLUMNS, ROWS, marks=frozenset(), sort_key="name", descending=False,
            widths=measure(COLUMNS, ROWS),
        )  # fmt: skip


def lines(table: TherapyTable) -> list[str]:
    return [table.line_text(y) for y in range(3)]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 140])
async def test_columns_are_whole_and_under_their_headers(width: int) -> None:
    app = TableApp()
    async with app.run_test(size=(width, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(TherapyTable)
        header, *rows = lines(table)
        for column in COLUMNS[1:]:
            title = column.title
            shown = title in header
            for row, cells in zip(rows, ROWS, strict=True):
                value = cells.cells[COLUMNS.index(column)]
                assert (value in row) == shown, (width, title, row)
                if shown:  # the value sits under its header
                    start = header.index(title)
                    span = range(start - 8, start + len(title) + 8)
                    assert row.index(value) in span, (width, title)
        hidden = sum(1 for c in COLUMNS[1:] if c.title not in header)
        assert table.hidden_columns == hidden
        if hidden:
            assert header.rstrip().endswith(f"→ {hidden} more")


async def test_a_name_is_whole_or_the_short_name_never_less_than_twenty_cells() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 10)) as pilot:
        await pilot.pause()
        _, bmac, pt = lines(app.query_one(TherapyTable))
        assert "Bone marrow 'stem cell'" in bmac  # the short name: the full one does not fit
        assert "Physical therapy course" in pt
    app = TableApp()
    async with app.run_test(size=(160, 10)) as pilot:
        await pilot.pause()
        _, bmac, _ = lines(app.query_one(TherapyTable))
        assert LONG in bmac  # room enough: the full name


async def test_arrows_move_the_columns_in_view_a_whole_column_at_a_time() -> None:
    app = TableApp()
    async with app.run_test(size=(50, 10)) as pilot:
        await pilot.pause()
        table = app.query_one(TherapyTable)
        table.focus()
        first = lines(table)[0]
        assert "You pay" in first and "→" in first
        await pilot.press("right")
        moved = lines(table)[0]
        assert "You pay" not in moved and "← 1 more" in moved
        await pilot.press("left")
        assert lines(table)[0] == first


def test_cutting_a_name_keeps_whole_words() -> None:
    assert _fit("Bone marrow aspirate concentrate", 22) == "Bone marrow aspirate… "
    assert _fit("Supercalifragilistic", 8) == "Superca…"
    assert len(_fit("abc", NAME_MIN)) == NAME_MIN
