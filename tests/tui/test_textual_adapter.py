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


async def test_watchers_of_a_closed_widget_are_found_and_pruned() -> None:
    app = Host()
    async with app.run_test() as pilot:
        watched = app.query_one(Watched)
        watcher = Watcher(watched)
        await app.mount(watcher)
        await pilot.pause()
        stored = getattr(watched, adapter.WATCHERS_ATTRIBUTE, None)
        assert stored, "Textual no longer stores watchers where the adapter looks"
        assert any(entry[0] is watcher for entries in stored.values() for entry in entries)
        await watcher.remove()
        await pilot.pause()
        still = getattr(watched, adapter.WATCHERS_ATTRIBUTE)
        # Textual #6666: the closed watcher is still held (if this fails, Textual fixed it
        # and the pruning can go).
        assert any(entry[0] is watcher for entries in still.values() for entry in entries)
        assert adapter.prune_closed_watchers(app.screen) >= 1
        left = getattr(watched, adapter.WATCHERS_ATTRIBUTE)
        assert not any(entry[0] is watcher for entries in left.values() for entry in entries)


def test_fuzzy_offsets_score_and_place_the_matched_letters() -> None:
    score, offsets = adapter.fuzzy_offsets("pay med", "payer: Medicare [Part B] [/]")
    assert score > 0
    assert list(offsets)[:3] == [0, 1, 2]
    assert adapter.fuzzy_offsets("zzz", "payer: Medicare")[0] == 0
