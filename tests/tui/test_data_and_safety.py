"""Reloading edited data, showing broken data, loading off the event loop, markup safety,
and the command palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Input, Select
from tui_helpers import (
    MARKUP,
    SMALL,
    TODAY,
    AppFactory,
    build_app,
    hold,
    loaded,
    panel_ready,
    toasts,
)

from helpers import REGIONS_FL
from regen_compare.data import load as load_module
from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.store.entry import LazyModels
from regen_compare.tui import app as app_module
from regen_compare.tui.commands import entries
from regen_compare.tui.screens.compare import CompareScreen
from regen_compare.tui.widgets.banners import ProblemBanner
from regen_compare.tui.widgets.detail_pane import DetailPane
from regen_compare.tui.widgets.therapy_table import TherapyTable

STEM = "Stem cell [autologous] [/]"


def notices(app: Any) -> list[str]:
    return toasts(app)


async def test_reload_broken_then_fixed_file(app_factory: AppFactory, data_copy: Path) -> None:
    app = app_factory(data_copy, Profile(payer="medicare"))
    therapies = data_copy / "therapies.toml"
    good = therapies.read_text(encoding="utf-8")
    async with app.run_test(size=(120, 30)) as pilot:
        await loaded(pilot)
        table = app.query_one(TherapyTable)
        assert len(table.row_ids) == 5
        app.poll_data_files()  # nothing changed: no reload
        assert not app.workers

        # a typo'd key: an error with file and line, the last good data stays
        therapies.write_text(good.replace("recovery = {", "recovery_dyas = {", 1), "utf-8")
        app.poll_data_files()
        await loaded(pilot)
        banner = app.query_one(ProblemBanner)
        assert banner.display
        shown = str(banner.render())
        assert "still showing the last good data" in shown
        assert "therapies.toml:" in shown and "recovery_dyas" in shown
        assert len(table.row_ids) == 5
        assert any("therapies.toml:" in n for n in notices(app))

        # fixed, with a renamed therapy: recovers and shows the new data
        therapies.write_text(
            good.replace("Total knee replacement", "Knee replacement (TKA)"), "utf-8"
        )
        app.poll_data_files()
        await loaded(pilot)
        assert not banner.display
        assert not app.problems
        assert app.consult.row_by_id["knee-replacement"].therapy.name == "Knee replacement (TKA)"
        # On screen (the name column may cut the end of the name).
        assert any("Knee replac" in line for line in (table.line_text(y) for y in range(1, 7))), [
            table.line_text(y) for y in range(0, 7)
        ]
        assert any("reloaded" in n for n in notices(app))


@pytest.mark.slow  # waits for the real one-second timer; the next test covers the poll itself
async def test_timer_polls_the_files(app_factory: AppFactory, data_copy: Path) -> None:
    app = app_factory(data_copy, watch_files=True)
    async with app.run_test() as pilot:
        await loaded(pilot)
        path = data_copy / "payers.toml"
        path.write_text(path.read_text("utf-8").replace("Original Medicare", "Medicare X"), "utf-8")
        await pilot.pause(1.3)
        await loaded(pilot)
        assert app.catalog is not None
        assert app.catalog.payers["medicare"].name == "Medicare X"


async def test_a_poll_reloads_changed_files_and_only_them(
    app_factory: AppFactory, data_copy: Path
) -> None:
    """What the one-second timer calls, without waiting for it."""
    app = app_factory(data_copy, watch_files=False)
    async with app.run_test() as pilot:
        await loaded(pilot)
        first = app.catalog
        app.poll_data_files()  # nothing changed: no reload
        await loaded(pilot)
        assert app.catalog is first
        path = data_copy / "payers.toml"
        path.write_text(path.read_text("utf-8").replace("Original Medicare", "Medicare X"), "utf-8")
        app.poll_data_files()
        await loaded(pilot)
        assert app.catalog is not None and app.catalog is not first
        assert app.catalog.payers["medicare"].name == "Medicare X"


async def test_broken_data_at_start_shows_errors(app_factory: AppFactory, data_copy: Path) -> None:
    (data_copy / "payers.toml").write_text("schema_version = 1\n[[payer]]\nid = 3\n", "utf-8")
    app = app_factory(data_copy)
    async with app.run_test() as pilot:
        await loaded(pilot)
        banner = app.query_one(ProblemBanner)
        assert banner.display
        assert "could not be loaded" in str(banner.render())
        assert "payers.toml:" in str(banner.render())
        assert app.query_one(TherapyTable).row_ids == []
        assert "No data" in app.query_one(TherapyTable).line_text(1)
        assert str(app.query_one("#count").render()).startswith("no data")  # not "0 of 0"


async def test_slow_load_runs_off_the_loop_with_a_loading_indicator(
    app_factory: AppFactory, monkeypatch: Any
) -> None:
    release = hold(monkeypatch, load_module, "load_catalog")
    app = app_factory()
    async with app.run_test() as pilot:
        await pilot.pause(app_module.LOADING_DELAY + 0.2)
        table = app.query_one(TherapyTable)
        assert table.loading  # the event loop kept running while the thread waited
        count = str(app.query_one("#count").render())
        assert count.startswith("loading the data…"), count  # not "0 of 0 therapies"
        await pilot.press("t")  # keys still work during the load
        assert app.theme == "textual-light"
        release.set()
        await loaded(pilot)
        assert not table.loading
        assert len(table.row_ids) == 5


async def test_markup_in_data_is_shown_literally(app_factory: AppFactory) -> None:
    app = app_factory(MARKUP, Profile(condition="knee-osteoarthritis", payer="medicare"))
    async with app.run_test(size=(160, 45)) as pilot:
        await loaded(pilot)
        table = app.query_one(TherapyTable)
        table.move_to("prp-injection")
        await pilot.pause()
        lines = [table.line_text(y) for y in range(table.size.height)]
        assert any(STEM in line for line in lines), lines
        detail = app.query_one(DetailPane).text
        assert STEM in detail
        assert "[bold]markup[/bold] and [@click=app.quit]a click[/]" in detail
        assert "Notes: [red]not red[/red] [link=file:///etc/passwd]link[/link] [/" in detail
        assert "Coverage under Medicare [Part B] [/]" in detail
        assert "Policy: NCD [270.3]" in detail
        assert "Rule [italic]notes[/italic] [/b]" in detail
        assert "Knee [OA] osteoarthritis" in str(app.query_one("#profile-bar").render())
        assert "Knee [OA] osteoarthritis" in app.screen.status_text()
        payer = app.query_one("#payer", Select)
        assert "Medicare [Part B] [/]" in str(payer.query_one("SelectCurrent #label").render())

        app.consult.set_marks(("prp-injection", "physical-therapy"))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        grid = app.screen.grid_text
        assert "Stem cell" in grid and "[autologous]" in grid and "[/]" in grid
        assert "NCD [270.3]" in grid
        await pilot.press("g")
        await pilot.pause()
        legend = str(app.screen.query_one("#chart-legend").render())
        assert STEM in legend

        await pilot.press("escape")
        await pilot.pause()
        titles = [title for title, _, _ in entries(app.consult, app)]
        assert "plan (payer): Medicare [Part B] [/]" in titles
        assert "condition: Knee [OA] osteoarthritis" in titles


@pytest.mark.slow  # types into the real palette; its entries are also checked in test_keys
async def test_command_palette_switches_payer_and_condition(app_factory: AppFactory) -> None:
    app = app_factory(MARKUP)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        palette_input = app.screen.query_one(Input)
        palette_input.cursor_blink = False
        await pilot.press(*"plan (payer): medicare")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.consult.session.profile.payer == "medicare"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"condition: knee")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.consult.session.profile.condition == "knee-osteoarthritis"
        await pilot.press("f")  # the form is built when first opened (closed at 100 wide)
        await panel_ready(pilot)
        assert app.query_one("#condition", Select).value == "knee-osteoarthritis"
        titles = [title for title, _, _ in entries(app.consult, app)]
        for wanted in (
            "export: save handout (Markdown or HTML)",
            "theme: high contrast",
            "session: clear (next patient)",
            "compare: add usual care",
        ):
            assert wanted in titles


@pytest.mark.slow  # a long end-to-end flow: .ci/run runs it (pytest -m slow)
async def test_clicking_data_that_looks_like_a_click_action_does_nothing(
    app_factory: AppFactory,
) -> None:
    """`[@click=app.quit]` in a name or summary is text: clicking it must not quit."""
    from payloads import CLICK_NAME, hostile_result
    from tui_helpers import TODAY

    result = hostile_result(MARKUP, TODAY)
    clicky = next(t.id for t in result.catalog.therapies.values() if CLICK_NAME in t.name)
    app = app_factory(MARKUP, Profile(payer="medicare"), preloaded=result)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        table = app.query_one(TherapyTable)
        row = table.row_ids.index(clicky) + 1
        assert CLICK_NAME in table.line_text(row)
        for x in (5, 8, 12, 20):  # across the name, [@click=…] included
            await pilot.click(TherapyTable, offset=(x, row))
            await pilot.pause()
        assert table.cursor_id == clicky
        detail = app.query_one(DetailPane)
        assert CLICK_NAME in detail.text
        for y in range(0, 8):
            await pilot.click(DetailPane, offset=(10, y))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_listing_the_plans_builds_no_payer_from_the_cache() -> None:
    """A payer holds a rule per therapy: building all 50 of them to list their names froze a
    10,000-therapy screen for ~0.4 s. From the cache, the form's plan list and the palette read
    the names the entry keeps and build only the payer the patient has."""
    profile = Profile(payer="medicare")
    async with build_app(SMALL, profile).run_test() as pilot:
        await loaded(pilot)  # writes the cache entry
    app = build_app(SMALL, profile)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        payers = app.consult.catalog.payers
        assert isinstance(payers, LazyModels)  # the second start read the cache
        await pilot.press("f")
        await panel_ready(pilot)
        titles = [title for title, _, _ in entries(app.consult, app)]
        for payer in load_catalog(SMALL, today=TODAY).catalog.payers.values():
            assert f"plan (payer): {payer.name}" in titles
        assert repr(payers).endswith(" 1 built>")
        assert app.query_one("#payer", Select).value == "medicare"


async def test_a_second_start_reads_the_regions_without_checking_them_again(
    data_copy: Path, regions_checks: list[Path]
) -> None:
    """Checking regions.toml on every start built pydantic's validator, and its plugin scan's
    file reads in the loading thread held the live screen back ~0.5 s (regions_cache)."""
    (data_copy / "regions.toml").write_text(REGIONS_FL, encoding="utf-8")
    for _ in range(2):
        app = build_app(data_copy, Profile(payer="medicare", region="FL"))
        async with app.run_test() as pilot:
            await loaded(pilot)
            assert app.consult.regions is not None and "FL" in app.consult.regions.regions
    assert len(regions_checks) == 1
