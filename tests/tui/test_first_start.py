"""A start from a remembered first frame: recorded after a start shows its data, drawn first
by the next identical start, then replaced by the live screen without anything moving."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import SMALL, TODAY, FirstApp, RecordingApp, build_app, hold, loaded

from regen_compare import first_frame
from regen_compare.cli_exits import UsageError
from regen_compare.costs import Profile
from regen_compare.query import Filters
from regen_compare.tui import loader
from regen_compare.tui.first_start import FirstStart
from regen_compare.tui.screens.first_frame import FirstFrameScreen
from regen_compare.tui.screens.main import MainScreen
from regen_compare.tui.widgets.therapy_table import TherapyTable

KNEE = Profile(condition="knee-osteoarthritis", payer="medicare", years=3)
WORDS = ("--condition", "knee-osteoarthritis", "--payer", "medicare", "--years", "3")
SIZE = (120, 40)


pytestmark = pytest.mark.usefixtures("cache_folder")  # every start here has its own cache


def pending() -> first_frame.Remember:
    paths = [SMALL / "therapies.toml", SMALL / "payers.toml", SMALL / "regions.toml"]
    return first_frame.Remember(
        first_frame.Request.current(WORDS, TODAY), first_frame.digests(paths)
    )


def table_lines(app: Any) -> list[str]:
    table = app.screen.query_one(TherapyTable)
    return [table.line_text(y) for y in range(table.size.height)]


async def recorded_start(size: tuple[int, int] = SIZE) -> list[str]:
    """A usual start that records its first frame; the table's lines as it showed them."""
    app = build_app(SMALL, KNEE, remember=pending())
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await app.workers.wait_for_complete()  # the record is written in a thread
        return table_lines(app)


def start_arguments() -> dict[str, Any]:
    return {"data_dir": SMALL, "profile": KNEE, "filters": Filters()}


async def test_the_next_identical_start_draws_the_same_table_first() -> None:
    shown_live = await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    seen: dict[str, Any] = {}

    def prepare() -> dict[str, Any]:
        # Runs once the remembered frame is on screen: look at it before the live screen.
        seen["screen"] = app.screen
        seen["lines"] = table_lines(app)
        return start_arguments()

    app = FirstApp(FirstStart(shown, prepare))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert isinstance(seen["screen"], FirstFrameScreen)
        assert isinstance(app.screen, MainScreen)
        assert app.screen_stack == [app.screen]  # the live screen is the base of its stack
        assert table_lines(app) == shown_live
    assert seen["lines"] == shown_live  # nothing moved when the live screen came


async def test_only_a_start_that_asked_records_and_only_once_loaded(cache_folder: Path) -> None:
    app = build_app(SMALL, KNEE)
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await app.workers.wait_for_complete()
    assert not list(cache_folder.glob(first_frame.PREFIX + "*"))
    await recorded_start()
    assert len(list(cache_folder.glob(first_frame.PREFIX + "*"))) == 1


async def test_a_start_changed_before_it_showed_its_data_records_nothing(
    cache_folder: Path,
) -> None:
    app = build_app(SMALL, KNEE, remember=pending())
    app.consult.set_search("prp")  # the patient typed before the data came
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await app.workers.wait_for_complete()
    assert not list(cache_folder.glob(first_frame.PREFIX + "*"))


class TypesOnceRowsShow(RecordingApp):
    def rows_ready(self) -> None:
        super().rows_ready()
        # after the rows came, before the record is taken (on the next refresh)
        self.call_after_refresh(self.consult.set_search, "prp")


async def test_a_start_changed_before_its_record_was_taken_records_nothing(
    cache_folder: Path,
) -> None:
    app = TypesOnceRowsShow(
        SMALL,
        KNEE,
        Filters(),
        remember=pending(),
        watch_files=False,
        today=TODAY,
        cursor_blink=False,
        theme="textual-dark",
    )
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        await app.workers.wait_for_complete()
    assert not list(cache_folder.glob(first_frame.PREFIX + "*"))


async def test_actions_wait_for_the_live_screen() -> None:
    await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    app = FirstApp(FirstStart(shown, start_arguments))
    # None: not run, and its key stays in the footer (shown disabled), so nothing moves.
    assert app.check_action("compare", ()) is None
    assert app.check_action("help", ()) is None
    assert app.check_action("quit", ())
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert app.check_action("help", ())


class QuitsOnItsFirstFrame(FirstApp):
    def post_display_hook(self) -> None:
        super().post_display_hook()
        self.exit(0)  # as a quick "q" (or the benchmark's probe) does


async def test_quitting_on_the_remembered_frame_ends_quietly() -> None:
    """No live screen is built while the app closes (its mount failed with a traceback)."""
    await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    prepared: list[int] = []

    def prepare() -> dict[str, Any]:
        prepared.append(1)
        return start_arguments()

    app = QuitsOnItsFirstFrame(FirstStart(shown, prepare))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
    assert app.return_code == 0 and app.start_error is None
    assert not prepared


async def test_a_failing_start_ends_the_app_and_keeps_the_error() -> None:
    await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None

    def prepare() -> dict[str, Any]:
        raise UsageError("unknown payer 'x'")

    app = FirstApp(FirstStart(shown, prepare))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
    assert isinstance(app.start_error, UsageError)
    assert not app.is_running


class FrozenFirstApp(FirstApp):
    """Stays on the remembered frame (for its snapshot): the usual start never runs."""

    def post_display_hook(self) -> None:
        return


@pytest.mark.parametrize("size", [(80, 24), SIZE], ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_frame_snapshot(snap_compare: Any, size: tuple[int, int]) -> None:
    asyncio.run(recorded_start(size))
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    assert snap_compare(FrozenFirstApp(FirstStart(shown, start_arguments)), terminal_size=size)


class RecordsItsFirstFooter(FirstApp):
    """Notes the footer of the first frame written (the one a painted start copies)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_footer: tuple[str, bool, list[tuple[str, str, bool]]] | None = None

    def post_display_hook(self) -> None:
        super().post_display_hook()
        if self.first_footer is None:
            self.first_footer = footer_of(self.screen)


def footer_of(screen: Any) -> tuple[str, bool, list[tuple[str, str, bool]]]:
    footer = screen.query_one("AppFooter")
    found = [
        (k.key_display, k.description, k.has_class("-disabled")) for k in screen.query("FooterKey")
    ]
    return type(screen).__name__, footer.has_class("-compact"), found


async def test_the_remembered_frame_shows_the_live_screens_keys_from_its_first_frame() -> None:
    """Textual's footer draws its keys a frame late; the remembered (and so the painted)
    first frame had an empty footer line. Its keys are the live screen's, in the same order,
    compact at 80 columns, shown disabled until the live screen is there."""
    size = (80, 24)
    await recorded_start(size)
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    app = RecordsItsFirstFooter(FirstStart(shown, start_arguments))
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        await pilot.pause()
        live = footer_of(app.screen)
    assert app.first_footer is not None
    kind, compact, keys = app.first_footer
    assert kind == "FirstFrameScreen" and compact
    assert [(k, d) for k, d, _ in keys] == [(k, d) for k, d, _ in live[2]]
    assert keys[0][:2] == ("space", "Mark")
    assert all(disabled for _, _, disabled in keys[:-1])  # all but the palette (ctrl+p)
    assert live[0] == "MainScreen" and live[1]
    assert not any(disabled for _, _, disabled in live[2])


class KeepsItsFirstKeys(FrozenFirstApp):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first_keys: list[Any] | None = None

    def post_display_hook(self) -> None:
        if self.first_keys is None:
            self.first_keys = list(self.screen.query("FooterKey"))


async def test_the_remembered_frames_keys_are_drawn_once() -> None:
    """Rebuilt on every bindings signal (Textual's way), they were made three or four times
    while the live screen was being built behind them."""
    await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    app = KeepsItsFirstKeys(FirstStart(shown, start_arguments))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.pause(0.02)
        assert app.first_keys
        assert list(app.screen.query("FooterKey")) == app.first_keys


async def test_the_remembered_frame_stays_until_the_data_is_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not an empty "Loading" table in between: at 10,000 therapies that lasted seconds."""
    shown_live = await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    release = hold(monkeypatch, loader, "load_data")
    prepared: list[int] = []

    def prepare() -> dict[str, Any]:
        prepared.append(1)
        return start_arguments()

    app = FirstApp(FirstStart(shown, prepare))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):
            await pilot.pause(0.02)
        assert prepared  # the usual start ran: its load is what we wait for
        assert isinstance(app.screen, FirstFrameScreen)
        assert table_lines(app) == shown_live
        assert app.check_action("help", ()) is None  # keys still wait
        release.set()
        await loaded(pilot)
        assert isinstance(app.screen, MainScreen)
        assert table_lines(app) == shown_live


async def test_a_failed_first_load_replaces_the_remembered_frame_with_its_errors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from regen_compare.problems import DataError, Problem
    from regen_compare.tui import loader

    await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise DataError([Problem("therapies.toml", 3, "price.max: must be a whole number")])

    monkeypatch.setattr(loader, "load_data", broken)
    app = FirstApp(FirstStart(shown, start_arguments))
    async with app.run_test(size=SIZE) as pilot:
        await loaded(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "must be a whole number" in app.screen.query_one("#problems").render().plain
        assert app.check_action("help", ())


async def test_a_load_that_ends_while_the_app_closes_adds_no_screen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Textual closes every screen stack on exit; a live screen added meanwhile broke that
    (a quick ctrl+q on a remembered frame: "dictionary changed size during iteration")."""
    await recorded_start()
    shown = first_frame.lookup(first_frame.Request.current(WORDS, TODAY))
    assert shown is not None
    release = hold(monkeypatch, loader, "load_data")
    app = FirstApp(FirstStart(shown, start_arguments))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.pause(0.02)
        app.exit()
        app._go_live()  # what the load finishing now does (`_load_done`)
        assert isinstance(app.screen, FirstFrameScreen)
    release.set()
    assert app.return_code == 0
