"""Issue 16 end to end in the TUI: weights and region reach the figures, the panel, the
handout and scenarios; ctrl+n asks first and leaves nothing of the patient on screen."""

from __future__ import annotations

import gc
import shutil
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Select
from tui_helpers import SMALL, AppFactory, loaded, panel_ready, toasts

from regen_compare import consult as consult_mod
from regen_compare.consult import Session
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import BALANCED, Weights
from regen_compare.tui.detail_text import detail_text
from regen_compare.tui.flows import handout
from regen_compare.tui.screens.dialogs import ConfirmDialog, ExportChoice
from regen_compare.tui.widgets.detail_pane import DetailPane
from regen_compare.tui.widgets.therapy_table import TherapyTable

REPO = Path(__file__).resolve().parents[2]
REGIONS_DAY = date(2026, 12, 7)
"""The bundled regions file is dated 2026-11-25 (a later "today" than the other TUI tests)."""
MEDICARE = Profile(condition="knee-osteoarthritis", payer="medicare")
COST_ONLY = Weights(cost=3, recovery=0, invasiveness=0, evidence=0, safety=0)


def with_regions(tmp_path: Path) -> Path:
    """The small data with the bundled regions file next to it."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    shutil.copy(REPO / "data" / "regions.toml", target / "regions.toml")
    return target


async def test_no_regions_file_disables_the_region_picker(app_factory: AppFactory) -> None:
    app = app_factory(profile=MEDICARE)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        assert app.consult.regions is None
        assert app.query_one("#region", Select).disabled


async def test_region_from_the_command_line_prices_medicare_for_that_state(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    data = with_regions(tmp_path)
    national = app_factory(data, MEDICARE, today=REGIONS_DAY)
    async with national.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        before = {r.id: r.cost.patient_total for r in national.consult.rows}
    app = app_factory(data, MEDICARE, region="ak", today=REGIONS_DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        assert app.consult.session.profile.region == "AK"
        picker = app.query_one("#region", Select)
        assert not picker.disabled and picker.value == "AK"
        after = {r.id: r.cost.patient_total for r in app.consult.rows}
        assert after != before
        assert "AK" in str(app.query_one("#profile-bar").render()) or "Alaska" in str(
            app.query_one("#profile-bar").render()
        )


async def test_weights_from_the_command_line_and_the_panel_reach_the_fit(
    app_factory: AppFactory,
) -> None:
    app = app_factory(profile=MEDICARE, weights=COST_ONLY)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        assert app.consult.session.weights == COST_ONLY
        assert app.query_one("#weight-cost", Select).value == 3
        fits = {r.id: r.fit for r in app.consult.rows}
        app.query_one("#weight-cost", Select).value = 0
        app.query_one("#weight-evidence", Select).value = 3
        await pilot.pause()
        assert app.consult.session.weights == Weights(0, 0, 0, 3, 0)
        assert {r.id: r.fit for r in app.consult.rows} != fits
        table = app.query_one(TherapyTable)
        assert table.row_ids  # the table repainted with the new rows


async def test_the_panel_says_on_screen_whether_the_patient_said_what_matters(
    app_factory: AppFactory,
) -> None:
    from textual.widgets import Label

    from regen_compare.tui.widgets.filter_panel import WEIGHTS_ASKED, WEIGHTS_NOT_ASKED

    app = app_factory(profile=MEDICARE)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        await panel_ready(pilot)
        state = app.query_one("#weights-state", Label)
        assert state.display and state.region.height >= 1  # on screen, not a hidden message
        assert str(state.render()) == WEIGHTS_NOT_ASKED
        app.query_one("#weight-cost", Select).value = 3
        await pilot.pause()
        assert app.consult.session.weights_asked
        assert str(state.render()) == WEIGHTS_ASKED


async def test_the_handout_from_the_tui_carries_the_weights(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory(profile=MEDICARE, weights=COST_ONLY)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "physical-therapy"))
        flow = handout.Handout(app.consult, app, app.today)
        weighted = flow.render("md")
        app.consult.set_weights(BALANCED)
        balanced = flow.render("md")
        assert "What matters to you" in weighted
        assert weighted != balanced
        written = flow.write(ExportChoice(tmp_path / "h.md", "md"), force=False)
        assert written is not None and "What matters to you" in written.read_text("utf-8")


async def test_new_patient_asks_first_and_clears_the_detail_pane(
    app_factory: AppFactory,
) -> None:
    app = app_factory(profile=MEDICARE, weights=COST_ONLY)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection",))
        await pilot.press("down")
        await pilot.pause()
        pane = app.query_one(DetailPane)
        assert "No therapy highlighted" not in pane.text
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # no: nothing changes
        await pilot.pause()
        assert app.consult.session.marks == ("prp-injection",)
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.consult.session == Session()
        assert "No therapy highlighted" in app.query_one(DetailPane).text
        assert any("Session cleared" in t for t in toasts(app))
        await pilot.press("down")  # moving in the table shows a therapy again
        await pilot.pause()
        assert "No therapy highlighted" not in app.query_one(DetailPane).text


async def test_a_scenario_keeps_weights_and_region(app_factory: AppFactory, tmp_path: Path) -> None:
    data = with_regions(tmp_path)
    app = app_factory(data, MEDICARE, weights=COST_ONLY, region="CA", today=REGIONS_DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        app.action_save_scenario()
        await pilot.pause()
        await pilot.press("enter")  # the dialog's name field is empty: type one
        app.screen.query_one("#scenario-name").value = "Weighted"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        app.clear_session()
        await pilot.pause()
        assert app.consult.session.weights == BALANCED
        assert app.open_scenario("Weighted")
        await pilot.pause()
        assert app.consult.session.weights == COST_ONLY
        assert app.consult.session.profile.region == "CA"


async def test_adding_a_regions_file_reloads_and_enables_the_picker(
    app_factory: AppFactory, data_copy: Path
) -> None:
    app = app_factory(data_copy, MEDICARE, today=REGIONS_DAY)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        assert app.query_one("#region", Select).disabled
        shutil.copy(REPO / "data" / "regions.toml", data_copy / "regions.toml")
        app.poll_data_files()
        await loaded(pilot)
        assert app.consult.regions is not None
        assert not app.query_one("#region", Select).disabled


async def test_large_data_rescores_in_a_worker_and_the_table_follows(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consult_mod, "BACKGROUND_ROWS", 1)  # the small data counts as large
    app = app_factory(profile=MEDICARE)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        before = app.consult.rows
        app.consult.set_weights(COST_ONLY, "panel")
        assert app.consult.rows is before  # nothing scored on the event loop
        await loaded(pilot)  # the pricing worker, then the repaint
        assert app.consult.pending is None and app.consult.rows is not before
        shown = app.view.cells
        assert shown.rows is app.consult.rows  # the worker's display cells are used
        fits = {r.id: r.fit for r in app.consult.rows}
        assert fits != {r.id: r.fit for r in before}


async def test_large_data_new_prices_reach_the_table_then_the_detail_pane(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prices from the worker: the table shows them in the next frame, the detail pane (the
    costliest redraw) in the one after; both end up showing the new plan's figures."""
    monkeypatch.setattr(consult_mod, "BACKGROUND_ROWS", 1)
    app = app_factory(profile=MEDICARE)
    async with app.run_test(size=(160, 40)) as pilot:
        await loaded(pilot)
        table = app.query_one(TherapyTable)
        pane = app.query_one(DetailPane)
        before = table.line_text(1)
        app.consult.set_payer("self-pay")
        assert app.consult.pending is not None
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.consult.pending is None
        assert table.line_text(1) != before  # the new prices
        await pilot.pause()
        await pilot.pause()
        c = app.consult
        row = c.row_by_id[table.cursor_id or ""]
        expected = detail_text(row, c.catalog, c.session.profile, app.view.stale_lines(row))
        assert pane.text == expected.plain


async def test_the_first_load_and_new_prices_are_kept_out_of_the_gc_until_a_reload(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first load and new prices are frozen out of the cyclic GC (no collection walks
    them on the loop); a reload gives everything back, so what was frozen along is freed."""
    monkeypatch.setattr(consult_mod, "BACKGROUND_ROWS", 1)
    gc.unfreeze()
    app = app_factory(profile=MEDICARE)
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            await loaded(pilot)
            assert gc.get_freeze_count() > 0  # the first load is kept
            app.reload_data()
            await loaded(pilot)
            assert gc.get_freeze_count() == 0  # a reload is not
            app.consult.set_payer("self-pay")
            await loaded(pilot)
            assert gc.get_freeze_count() > 0
            app.reload_data()
            await loaded(pilot)
            assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
