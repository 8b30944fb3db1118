"""The one module that uses Textual beyond its documented API still works on this Textual.

Each test fails on an upgrade that removes or changes what `tui.textual_adapter` relies on;
the fix then goes in that module (and its `CHECKED_AGAINST`), nowhere else.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Footer, Label, OptionList

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


class KeysHost(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("x", "bell", "Ring")]

    def __init__(self, at_once: bool) -> None:
        super().__init__()
        self.at_once = at_once
        self.first_keys: list[str] | None = None

    def compose(self) -> ComposeResult:
        footer = Footer()
        if self.at_once:
            adapter.footer_keys_at_once(footer)
        yield footer

    def post_display_hook(self) -> None:
        if self.first_keys is None:
            self.first_keys = [k.description for k in self.screen.query("FooterKey")]  # type: ignore[attr-defined]


async def test_a_footer_made_ready_shows_its_keys_in_the_first_frame() -> None:
    """Textual's own footer draws no key in the first frame (if that changes, the adapter
    function can go); one set ready by the adapter does."""
    for at_once, expected in ((False, []), (True, ["Ring", "palette"])):
        app = KeysHost(at_once)
        async with app.run_test() as pilot:
            await pilot.pause()
        assert app.first_keys == expected, at_once


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
