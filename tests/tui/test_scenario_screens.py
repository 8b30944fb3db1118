"""Saved scenarios in the TUI: save (asking before a replace), open, rename, delete, compare
two side by side, `--scenario` on the command line, and a scenario naming data that is gone.

The shared conftest points XDG_DATA_HOME at a fresh folder per test, so nothing here touches
the developer's own scenarios.
"""

from __future__ import annotations

import stat
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input
from tui_helpers import SMALL, AppFactory, loaded, toasts

from regen_compare import scenarios
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters
from regen_compare.tui.commands import entries
from regen_compare.tui.screens.dialogs import ConfirmDialog
from regen_compare.tui.screens.scenarios import (
    DIFFERS,
    NameDialog,
    ScenarioCompareScreen,
    ScenariosScreen,
)

KNEE = Profile(condition="knee-osteoarthritis", payer="medicare", years=2)
MARKS = ("steroid-injection", "prp-injection")


def notices(app: Any) -> list[str]:
    return toasts(app)


def saved(name: str, profile: Profile = KNEE, marked: tuple[str, ...] = MARKS) -> Path:
    return scenarios.save(scenarios.Scenario(name, profile, Filters(), marked))


async def type_name(pilot: Any, name: str) -> None:
    field = pilot.app.screen.query_one("#scenario-name", Input)
    field.value = name
    await pilot.press("enter")
    await pilot.pause()


async def test_ctrl_s_saves_profile_filters_and_marks(app_factory: AppFactory) -> None:
    app = app_factory(profile=KNEE, filters=Filters(covered_only=True, search="knee"))
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(MARKS)
        assert scenarios.list_names() == []  # nothing is saved unless asked
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        await type_name(pilot, "Knee [OA] — Medicare")
        assert not isinstance(app.screen, NameDialog)
        assert scenarios.list_names() == ["Knee [OA] — Medicare"]
        loaded_back = scenarios.load("Knee [OA] — Medicare")
        assert loaded_back.profile == KNEE
        assert loaded_back.filters.covered_only
        assert loaded_back.filters.search == ""  # a search is for the moment: not kept
        assert loaded_back.marked == MARKS
        path = next(scenarios.scenarios_dir().glob("*.toml"))
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert any("saved to" in n for n in notices(app))
        assert app.consult.scenario_name == "Knee [OA] — Medicare"


@pytest.mark.slow  # a long end-to-end flow: .ci/run runs it (pytest -m slow)
async def test_saving_over_a_scenario_asks_first(app_factory: AppFactory) -> None:
    saved("Knee", Profile(payer="ppo"))
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_name(pilot, "Knee")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert scenarios.load("Knee").profile.payer == "ppo"  # kept
        await pilot.press("ctrl+s")
        await pilot.pause()
        await type_name(pilot, "Knee")
        await pilot.press("y")
        await pilot.pause()
        assert scenarios.load("Knee").profile == KNEE  # replaced


async def test_open_applies_a_scenario(app_factory: AppFactory) -> None:
    saved("Employer", Profile("knee-osteoarthritis", "ppo", Decimal(500), Decimal(0), 3))
    saved("Medicare")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScenariosScreen)
        assert screen.names == ["Employer", "Medicare"]
        preview = str(screen.query_one("#scenario-preview").render())
        assert "Employer PPO" in preview
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ScenariosScreen)
        profile = app.consult.session.profile
        assert profile.payer == "ppo" and profile.years == 3
        assert profile.deductible_met == Decimal(500)
        assert app.consult.session.marks == MARKS
        assert app.consult.scenario_name == "Employer"
        assert "Employer PPO" in str(app.screen.query_one("#profile-bar").render())
        assert any("Opened scenario" in n for n in notices(app))


async def test_a_scenario_naming_data_that_is_gone_opens_with_a_note(
    app_factory: AppFactory,
) -> None:
    path = saved("Old")
    text = path.read_text("utf-8").replace('payer = "medicare"', 'payer = "gone-plan"')
    path.write_text(text.replace('"prp-injection",', '"prp-injection",\n    "gone-therapy",'))
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert app.open_scenario("Old")
        await pilot.pause()
        assert app.consult.session.profile.payer is None
        assert app.consult.session.profile.condition == "knee-osteoarthritis"
        assert app.consult.session.marks == MARKS
        note = "\n".join(notices(app))
        assert "gone-plan" in note and "gone-therapy" in note
        assert "no longer in the data" in note


@pytest.mark.slow  # a long end-to-end flow: .ci/run runs it (pytest -m slow)
async def test_rename_and_delete_ask_and_update_the_list(app_factory: AppFactory) -> None:
    saved("First")
    saved("Second")
    app = app_factory()
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScenariosScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, NameDialog)
        await type_name(pilot, "Renamed")
        assert scenarios.list_names() == ["Renamed", "Second"]
        assert screen.names == ["Renamed", "Second"]
        await pilot.press("down", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert scenarios.list_names() == ["Renamed", "Second"]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert scenarios.list_names() == ["Renamed"]
        assert screen.names == ["Renamed"]


@pytest.mark.slow  # a long end-to-end flow: .ci/run runs it (pytest -m slow)
async def test_compare_two_scenarios_marks_the_differences(app_factory: AppFactory) -> None:
    saved("Medicare")
    saved("Employer", replace(KNEE, payer="ppo"))
    app = app_factory()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("c")  # nothing picked: a hint
        assert any("Pick two" in n for n in notices(app))
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScenarioCompareScreen)
        text = screen.grid_text
        lines = text.splitlines()
        plan = next(line for line in lines if "Plan" in line)
        assert plan.lstrip().startswith(DIFFERS)
        assert "Original Medicare" in plan and "Employer PPO" in plan
        years = next(line for line in lines if "Years" in line)
        assert DIFFERS not in years  # the same on both sides
        assert "Corticosteroid joint injection" in text
        assert any(DIFFERS in line and "You pay" in line for line in lines)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ScenariosScreen)


async def test_palette_lists_the_scenario_actions(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await loaded(pilot)
        titles = {title: callback for title, _, callback in entries(app.consult, app)}
        for wanted in ("scenario: save…", "scenario: open…", "scenario: compare two…"):
            assert wanted in titles
        titles["scenario: compare two…"]()
        await pilot.pause()
        assert isinstance(app.screen, ScenariosScreen)
        hint = str(app.screen.query_one("#scenarios-hint").render())
        assert "Pick two" in hint or "No saved scenarios" in hint


async def test_start_from_a_scenario_shows_its_notes(app_factory: AppFactory) -> None:
    app = app_factory(
        profile=KNEE,
        marked=MARKS,
        scenario="From CLI",
        scenario_notes=["therapy 'gone' is no longer in the data; it was unmarked"],
    )
    async with app.run_test() as pilot:
        await loaded(pilot)
        assert app.consult.session.marks == MARKS
        assert app.consult.scenario_name == "From CLI"
        assert any("gone" in n for n in notices(app))


def test_command_line_scenario_reaches_the_tui(monkeypatch: pytest.MonkeyPatch) -> None:
    from regen_compare.cli import main as cli
    from regen_compare.tui import app as app_module

    saved("Consult", replace(KNEE, payer="ppo"))
    seen: dict[str, Any] = {}

    def fake_run_tui(
        data_dir: Path, profile: Profile, filters: Filters, marked: Any = (), **kw: Any
    ) -> int:
        seen.update(profile=profile, marked=tuple(marked))
        return 0

    monkeypatch.setattr(app_module, "run_tui", fake_run_tui)
    assert cli.main(["--data-dir", str(SMALL), "--scenario", "Consult"]) == 0
    assert seen["profile"].payer == "ppo" and seen["profile"].years == 2
    assert seen["marked"] == MARKS


async def test_compare_two_scenarios_with_a_region_names_each_region(
    app_factory: AppFactory, data_copy: Path
) -> None:
    """`o`, mark two scenarios (one saved with a region), `c`: the side by side, priced for
    each scenario's region, with the region's name; not a crash."""
    from helpers import REGIONS_FL

    (data_copy / "regions.toml").write_text(REGIONS_FL, encoding="utf-8")
    saved("In Florida", replace(KNEE, region="FL"))
    saved("Nationally", replace(KNEE, payer="ppo"))
    app = app_factory(data_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("space", "down", "space", "c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ScenarioCompareScreen)
        region = next(line for line in screen.grid_text.splitlines() if "Region" in line)
        assert DIFFERS in region and "Florida (FL)" in region and "national" in region
