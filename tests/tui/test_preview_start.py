"""A first start on large data draws its first rows (the preview) while the rest is checked,
then the live screen replaces them without anything moving."""

from __future__ import annotations

import os
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bigdata import write_big
from tui_helpers import SMALL, TODAY, FirstApp, hold, loaded

from helpers import python_output
from regen_compare import cli_tui, forked
from regen_compare.cli_parser import build_parser
from regen_compare.costs import Profile
from regen_compare.query import Filters
from regen_compare.tui import loader, preview_frame
from regen_compare.tui.first_start import FirstStart
from regen_compare.tui.screens.first_frame import FirstFrameScreen
from regen_compare.tui.screens.main import MainScreen
from regen_compare.tui.widgets.therapy_table import TherapyTable

SIZE = (120, 40)
PLAIN = {"data_dir": SMALL, "profile": Profile(), "filters": Filters()}


def preview_start(
    arguments: dict[str, Any] = PLAIN, size: tuple[int, int] = SIZE, today: date = TODAY
) -> FirstStart:
    shown = preview_frame.build(arguments, *size, today)
    assert shown is not None
    return FirstStart(shown.screen, lambda: arguments, note=shown.note)


def table_lines(app: Any) -> list[str]:
    table = app.screen.query_one(TherapyTable)
    return [table.line_text(y) for y in range(table.size.height)]


async def test_the_preview_stays_until_the_data_is_there_and_nothing_moves(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    release = hold(monkeypatch, loader, "load_data")
    app = FirstApp(preview_start())
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):
            await pilot.pause(0.02)
        assert isinstance(app.screen, FirstFrameScreen)
        previewed = table_lines(app)
        assert "Corticosteroid j" in previewed[1]  # the first by name, cut to its column
        count = str(app.screen.query_one("#count").render())
        assert count.startswith("loading all 5 therapies…"), count
        assert "pricing all 5 therapies" in str(app.screen.query_one("#detail").render())
        assert app.check_action("compare", ()) is None  # keys wait for the live screen
        release.set()
        await loaded(pilot)
        assert isinstance(app.screen, MainScreen)
        assert table_lines(app) == previewed
        assert str(app.screen.query_one("#count").render()).startswith("5 of 5 therapies")


def test_old_figures_shown_are_flagged_without_a_count_it_cannot_know() -> None:
    fresh = preview_frame.build(PLAIN, *SIZE, TODAY)
    assert fresh is not None and fresh.screen.stale is None
    later = preview_frame.build(PLAIN, *SIZE, date(2031, 1, 1))
    assert later is not None and later.screen.stale == preview_frame.STALE_BANNER


def test_the_note_names_the_key_that_quits() -> None:
    from regen_compare.tui import keys

    (quit_key,) = [k.keys for k in keys.APP if k.action == "quit"]
    assert f"{quit_key} quits" in preview_frame.note(10_000)


@pytest.fixture
def fork_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test runner's own threads would forbid the fork (`forked.available`)."""
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "30")
    if not forked.available():
        pytest.skip("forking is not available here (one CPU, or not Linux)")


def test_the_child_builds_what_this_process_would(fork_allowed: None) -> None:
    calls: list[int] = []
    shown = preview_frame.beside(PLAIN, lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]  # the own part ran here, once
    assert shown == preview_frame.build(PLAIN, 100, 30, date.today())


def test_without_a_fork_the_preview_is_built_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "available", lambda: False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("LINES", "30")
    calls: list[int] = []
    shown = preview_frame.beside(PLAIN, lambda: calls.append(1))
    assert calls == [1]
    assert shown == preview_frame.build(PLAIN, 100, 30, date.today())


def test_a_child_that_fails_gives_no_preview(
    fork_allowed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("the child's own failure")

    monkeypatch.setattr(preview_frame, "build", broken)
    calls: list[int] = []
    assert preview_frame.beside(PLAIN, lambda: calls.append(1)) is None
    assert calls == [1]


def test_a_start_that_asks_for_more_gets_no_preview() -> None:
    calls: list[int] = []
    asks = {**PLAIN, "profile": Profile(payer="medicare")}
    assert preview_frame.beside(asks, lambda: calls.append(1)) is None
    assert preview_frame.beside({**PLAIN, "marked": ("prp-injection",)}, lambda: None) is None
    assert calls == [1]


def test_the_preview_module_imports_no_textual() -> None:
    """The forked child builds it while the parent imports Textual: it has none to share."""
    code = "import sys, regen_compare.tui.preview_frame\nprint('textual' in sys.modules)\n"
    assert python_output(code).strip() == "False"


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_big(tmp_path_factory.mktemp("big") / "data", 1300)
    assert cli_tui._data_size(folder) >= cli_tui.PRELOAD_BELOW_BYTES
    return folder


def started(monkeypatch: pytest.MonkeyPatch, *words: str) -> dict[str, Any]:
    """What `regen-compare WORDS` hands the app (`run_tui`'s keyword arguments)."""
    from regen_compare.tui import app as app_module

    seen: dict[str, Any] = {}

    def run_tui(**kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(app_module, "run_tui", run_tui)
    assert cli_tui.cmd_tui(build_parser().parse_args(list(words))) == 0
    return seen


def test_a_plain_start_on_large_data_draws_the_preview_first(
    big_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = started(monkeypatch, "--data-dir", str(big_data))
    first = seen["first"]
    assert isinstance(first, FirstStart) and first.paint is None
    assert first.shown.rows and "all 1,300 therapies" in first.note
    names = [row.cells[0] for row in first.shown.rows]
    assert names == sorted(names, key=str.casefold)
    assert first.prepare()["data_dir"] == big_data  # the usual start follows


def test_other_starts_start_as_before(big_data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_plan = started(monkeypatch, "--data-dir", str(big_data), "--payer", "medicare")
    assert "first" not in with_plan and with_plan["data_dir"] == big_data
    small = started(monkeypatch, "--data-dir", str(SMALL))
    assert "first" not in small and small["preloaded"] is not None  # small data: loaded first


class FrozenPreviewApp(FirstApp):
    """Stays on the preview (for its snapshot): the usual start never runs."""

    def post_display_hook(self) -> None:
        return


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=lambda s: f"{s[0]}x{s[1]}")
def test_preview_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    assert snap_compare(FrozenPreviewApp(preview_start(PLAIN, size)), terminal_size=size)


def test_preview_with_old_figures_snapshot(snap_compare: Any) -> None:
    first = preview_start(PLAIN, (80, 24), date(2031, 1, 1))
    assert snap_compare(FrozenPreviewApp(first), terminal_size=(80, 24))
