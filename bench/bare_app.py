"""A second reference for start-up: a bare Textual app with what the main screen is made of at
its simplest, an Input, a DataTable of the same rows and a Footer (issue 26: regen-compare
should answer a key sooner than this does).

    python bench/bare_app.py ROWS.csv   # the CSV of `regen-compare list --format csv`
"""

from __future__ import annotations

import csv
import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Input

COLUMNS = ("name", "category", "modality", "invasiveness", "evidence", "cost_min", "cost_max")


class Bare(App[None]):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Input(placeholder="Search name, condition, summary…")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        with open(self.path, encoding="utf-8", newline="") as handle:
            table.add_rows([row[c] for c in COLUMNS] for row in csv.DictReader(handle))
        table.focus()


if __name__ == "__main__":
    Bare(sys.argv[1]).run()
