"""SVG snapshots of every screen at 80×24, and of the main screen, the side-by-side and the
help at 120×40 and 160×50 too (the patient panel is open from 140 columns).

Deterministic by construction: the theme is set in code, "today" is fixed, files are not
watched, Input cursors do not blink, and every snapshot waits for the data load to finish.
Review the SVGs (pytest --snapshot-report) before accepting changes with --snapshot-update.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import build_app, loaded, panel_ready

from regen_compare.engine.costs import Profile
from regen_compare.tui.widgets.therapy_table import TherapyTable

SIZES = [(80, 24), (120, 40), (160, 50)]
KNEE = Profile(condition="knee-osteoarthritis", payer="medicare", years=3)


def _marked(*ids: str) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await panel_ready(pilot)  # where the panel is open, its fields come a frame later
        app: Any = pilot.app
        app.consult.set_marks(ids)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    app = build_app(profile=KNEE)
    assert snap_compare(app, terminal_size=size, run_before=_marked("prp-injection"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    app = build_app(profile=KNEE)
    assert snap_compare(
        app,
        terminal_size=size,
        run_before=_marked("prp-injection", "physical-therapy", "steroid-injection"),
        press=["c"],
    )


def test_compare_four_therapies_80x24(snap_compare: Any) -> None:
    """Four columns at 80×24: money wraps at the dash and long words fold, no figure is cut."""
    app = build_app(profile=KNEE)
    assert snap_compare(
        app,
        terminal_size=(80, 24),
        run_before=_marked(
            "prp-injection", "physical-therapy", "steroid-injection", "knee-replacement"
        ),
        press=["c"],
    )


def test_cost_chart_four_therapies_80x24(snap_compare: Any) -> None:
    """Every marked therapy has its own letter, colour and legend line."""
    app = build_app(profile=KNEE)
    assert snap_compare(
        app,
        terminal_size=(80, 24),
        run_before=_marked(
            "prp-injection", "physical-therapy", "steroid-injection", "knee-replacement"
        ),
        press=["c", "g"],
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare: Any, size: tuple[int, int]) -> None:
    app = build_app(profile=KNEE)
    assert snap_compare(app, terminal_size=size, run_before=_marked(), press=["f1"])


def test_cost_chart_80x24(snap_compare: Any) -> None:
    app = build_app(profile=KNEE)
    assert snap_compare(
        app,
        terminal_size=(80, 24),
        run_before=_marked("prp-injection", "physical-therapy", "knee-replacement"),
        press=["c", "g"],
    )


def test_high_contrast_with_filters_open_80x24(snap_compare: Any) -> None:
    app = build_app(profile=KNEE, theme="regen-high-contrast")

    async def open_filters(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await pilot.press("f")
        await panel_ready(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_filters)


def test_export_dialog_no_color_80x24(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export dialog without colour (NO_COLOR=1): HTML is offered first, and "Full detail"
    says "off" in words (its box looks the same on and off; only its colour changed)."""
    from pathlib import Path

    from regen_compare.tui.flows import handout

    monkeypatch.setattr(handout, "documents_folder", lambda: Path("/home/you/Documents"))
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(profile=KNEE)
    assert snap_compare(
        app,
        terminal_size=(80, 24),
        run_before=_marked("prp-injection", "physical-therapy"),
        press=["c", "e"],
    )


@pytest.fixture
def two_scenarios(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """Two saved scenarios in a folder shown as plain `scenarios` (the path is on screen)."""
    from datetime import date

    from regen_compare import scenarios
    from regen_compare.engine.query import Filters

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(scenarios.SCENARIO_ENV, "scenarios")
    marks = ("prp-injection", "steroid-injection")
    for name, payer in (("Knee OA — Medicare", "medicare"), ("Knee OA — employer PPO", "ppo")):
        profile = replace(KNEE, payer=payer)
        scenario = scenarios.Scenario(name, profile, Filters(), marks)
        scenarios.save(scenario, today=date(2026, 11, 22))


def test_scenarios_list_80x24(snap_compare: Any, two_scenarios: None) -> None:
    app = build_app(profile=KNEE)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_marked(), press=["o"])


def test_scenarios_side_by_side_80x24(snap_compare: Any, two_scenarios: None) -> None:
    app = build_app(profile=KNEE)
    assert snap_compare(
        app,
        terminal_size=(80, 24),
        run_before=_marked(),
        press=["o", "space", "down", "space", "c"],
    )


def test_no_color_marks_the_focused_field_160x50(
    snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: the focused field of the patient panel is marked ▶, not only tinted."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(profile=KNEE)

    async def focus_plan(pilot: Pilot[Any]) -> None:
        await loaded(pilot)
        await panel_ready(pilot)
        app.screen.open_patient("payer")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 50), run_before=focus_plan)


def test_units_dialog_80x24(snap_compare: Any) -> None:
    """n: the units the patient expects for the therapy under the cursor."""
    app = build_app(profile=KNEE)

    async def on_prp(pilot: Pilot[Any]) -> None:
        await _marked()(pilot)
        app.screen.query_one(TherapyTable).move_to("prp-injection")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=on_prp, press=["n"])
