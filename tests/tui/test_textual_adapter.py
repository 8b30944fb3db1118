"""The one module that uses Textual beyond its documented API still works on this Textual.

Each test fails on an upgrade that removes or changes what `tui.textual_adapter` relies on;
the fix then goes in that module (and its `CHECKED_AGAINST`), nowhere else.
"""

from __future__ import annotations

from importlib.metadata import version

import pytest
from textual.app import App, ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Label, OptionList

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


class Exploding(adapter.GuardedApp):
    def on_mount(self) -> None:
        raise RuntimeError("boom")


async def test_an_unhandled_exception_goes_through_the_guard() -> None:
    """Textual still sends every unhandled exception through `App._handle_exception`: the
    guard keeps it, ends the app with 70 and renders nothing for the exit (Textual's own
    handler queued a traceback with locals in `_exit_renderables`)."""
    assert hasattr(App, adapter.HANDLE_EXCEPTION)
    app = Exploding()
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
    except RuntimeError:
        pass
    assert isinstance(app.crash, RuntimeError)
    assert app.return_code == adapter.EXIT_INTERNAL
    assert app._exit_renderables == []


class Listed(App[None]):
    CSS = "OptionList { height: 0; }"

    def compose(self) -> ComposeResult:
        yield OptionList(*[f"option {n}" for n in range(30)])


async def test_page_keys_on_a_list_without_lines() -> None:
    """Textual's own `_move_page` raises `KeyError: 0` on a list that has no lines yet (if
    this fails, Textual fixed it and `page_keys_without_lines` can go); the patched one leaves
    the highlight where it is."""
    app = Listed()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.query_one(OptionList)
        options.highlighted = 0
        with pytest.raises((KeyError, IndexError)):
            adapter._textual_move_page(options, -1)
        adapter.page_keys_without_lines()
        options.action_page_up()
        options.action_page_down()
        assert options.highlighted == 0
