"""F1: every key, what the symbols mean, and the disclaimer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from regen_compare.model import vocabulary as labels
from regen_compare.model.problems import Problem
from regen_compare.tui import stale
from regen_compare.tui.help_text import NOTES, SECTIONS
from regen_compare.tui.widgets.footer import AppFooter

MAX_WARNINGS_SHOWN = 30


def warnings_text(warnings: list[Problem]) -> Text:
    """The load's warnings (old figures), one line each, for the help screen."""
    text = Text()
    text.append(f"Data warnings ({len(warnings)})\n", "bold")
    for problem in warnings[:MAX_WARNINGS_SHOWN]:
        text.append("⚠ " + stale.line(problem) + "\n")
    more = len(warnings) - MAX_WARNINGS_SHOWN
    if more > 0:
        text.append(f"…and {more} more (run: regen-compare validate)\n")
    text.rstrip()
    return text


def help_renderables() -> list[Table | Text]:
    out: list[Table | Text] = []
    for title, keys in SECTIONS:
        table = Table(
            title=Text(title, style="bold"),
            title_justify="left",
            show_header=False,
            box=None,
            padding=(0, 1),
            expand=True,
        )
        table.add_column(style="bold", no_wrap=True, ratio=2)
        table.add_column(ratio=3)
        for key, what in keys:
            table.add_row(Text(key), Text(what))
        out.append(table)
    notes = Text()
    for note in NOTES:
        notes.append("• " + note + "\n")
    notes.append(labels.DISCLAIMER, "italic")
    out.append(notes)
    return out


class HelpScreen(ModalScreen[None]):
    def __init__(self, warnings: Sequence[Problem] = ()) -> None:
        super().__init__()
        self._warnings = list(warnings)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "app.pop_screen", "Close help"),
    ]

    def compose(self) -> ComposeResult:
        yield AppFooter()  # this screen's keys, over the footer of the screen beneath
        with VerticalScroll(id="help-body"):
            yield Static(Text("regen-compare — keys", style="bold"), id="help-title")
            for renderable in help_renderables():
                yield Static(renderable, classes="help-section")
            if self._warnings:
                yield Static(
                    warnings_text(self._warnings), classes="help-section", id="help-warnings"
                )

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
