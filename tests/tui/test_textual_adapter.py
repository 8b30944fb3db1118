"""The one module that uses Textual beyond its documented API still works on this Textual.

Each test fails on an upgrade that removes or changes what `tui.textual_adapter` relies on;
the fix then goes in that module (and its `CHECKED_AGAINST`), nowhere else.
"""

from __future__ import annotations

from importlib.metadata import version

from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label

from regen_compare.tui import textual_adapter as adapter


class Watched(Widget):
    value: reactive[int] = reactive(0)


class Watcher(Label):
    def __init__(self, target: Watched) -> None:
        super().__init__("watching")
        self.target = target

    def on_mount(self) -> None:
        self.watch(self.target, "value", lambda _: None, init=False)


class Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Watched(id="watched")


def test_the_installed_textual_is_the_one_checked() -> None:
    assert version("textual") == adapter.CHECKED_AGAINST, (
        "Textual changed: re-check tui/textual_adapter.py and update CHECKED_AGAINST"
    )


def test_fuzzy_offsets_score_and_place_the_matched_letters() -> None:
    score, offsets = adapter.fuzzy_offsets("pay med", "payer: Medicare [Part B] [/]")
    assert score > 0
    assert list(offsets)[:3] == [0, 1, 2]
    assert adapter.fuzzy_offsets("zzz", "payer: Medicare")[0] == 0
