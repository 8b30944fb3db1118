"""One list of keys (`tui.keys`): the bindings, the F1 help and the palette cannot drift."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console
from textual.binding import Binding
from textual.widgets import Static
from tui_helpers import build_app, loaded

from regen_compare.tui import commands, keys
from regen_compare.tui.app import RegenCompareApp
from regen_compare.tui.help_text import SECTIONS
from regen_compare.tui.screens.compare import CompareScreen
from regen_compare.tui.screens.help import HelpScreen, help_renderables
from regen_compare.tui.screens.main import MainScreen
from regen_compare.tui.screens.scenarios import ScenariosScreen
from regen_compare.tui.widgets.therapy_table import TherapyTable

OWNERS: list[tuple[type[Any], list[keys.Key]]] = [
    (TherapyTable, keys.TABLE),
    (MainScreen, keys.MAIN),
    (CompareScreen, keys.COMPARE),
    (ScenariosScreen, keys.SCENARIOS),
    (RegenCompareApp, keys.APP),
]


def _bound(cls: type[Any]) -> list[tuple[str, str]]:
    return [(b.key, b.action) for b in cls.BINDINGS if isinstance(b, Binding)]


@pytest.mark.parametrize(("owner", "group"), OWNERS, ids=lambda o: getattr(o, "__name__", ""))
def test_every_binding_is_in_the_help(owner: type[Any], group: list[keys.Key]) -> None:
    listed = {(k, key.action) for key in group for k in key.keys.split(",")}
    numbered = {key.action.split("(")[0] for key in group if "{n}" in key.action}
    for key_names, action in _bound(owner):
        if action.split("(")[0] in numbered:
            continue
        for name in key_names.split(","):
            assert (name, action) in listed, f"{owner.__name__}: {name} → {action} not in the help"
    assert _bound(owner) == [(b.key, b.action) for key in group for b in key.bindings()], (
        f"{owner.__name__}.BINDINGS is not built from tui.keys"
    )


@pytest.mark.parametrize(("owner", "group"), OWNERS, ids=lambda o: getattr(o, "__name__", ""))
def test_every_listed_action_exists(owner: type[Any], group: list[keys.Key]) -> None:
    for key in group:
        # "app." actions and the keys Textual provides (tab, ctrl+p, ctrl+q) are the app's.
        target = RegenCompareApp if key.action.startswith("app.") or not key.bind else owner
        assert hasattr(target, "action_" + key.action_name), (owner.__name__, key.action)


def test_the_help_lists_every_key_of_every_group() -> None:
    assert [title for title, _ in SECTIONS] == [title for title, _ in keys.SECTIONS]
    for (_, lines), (_, group) in zip(SECTIONS, keys.SECTIONS, strict=True):
        assert lines == [(key.display, key.help) for key in group]
    sort = next(key for key in keys.MAIN if "{n}" in key.action)
    assert ("1 … 8", sort.help) in SECTIONS[0][1]


def test_numbered_keys_make_one_binding_each() -> None:
    sort = next(key for key in keys.MAIN if "{n}" in key.action)
    made = sort.bindings()
    assert [(b.key, b.action) for b in made] == [
        (str(n), f"sort_column({n - 1})") for n in range(1, 9)
    ]


async def test_palette_offers_every_palette_key_with_its_keys() -> None:
    app = build_app()
    async with app.run_test() as pilot:
        await loaded(pilot)
        entries = {
            title: (help_text, callback)
            for title, help_text, callback in commands.entries(app.consult, app)
        }
        for key in keys.palette_keys():
            assert key.palette in entries, key.palette
            help_text, callback = entries[key.palette]
            assert help_text.startswith(key.display + " — ")
            assert getattr(callback, "__name__", "") == "action_" + key.action_name


async def test_f1_shows_the_keys_and_the_symbols() -> None:
    app = build_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await loaded(pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
    text = help_plain()
    for needle in ("ctrl+n", "new patient", "≈", "◐ prior auth", "★", "5 hospital", "Fit:"):
        assert needle in text, needle


def help_plain() -> str:
    console = Console(width=100, record=True, color_system=None)
    for part in help_renderables():
        console.print(part)
    return console.export_text()


async def test_the_status_line_points_to_the_symbols() -> None:
    app = build_app()
    async with app.run_test(size=(160, 30)) as pilot:
        await loaded(pilot)
        status = app.screen.query_one("#count", Static).render()
        assert "F1: every key and symbol" in str(status)
        assert "≈ typical" in str(status)
