"""Pilot tests of the side-by-side: open, usual care, chart, export, copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input
from tui_helpers import AppFactory, loaded, toasts

from helpers import python_output
from regen_compare.consult import Session
from regen_compare.engine.costs import Profile
from regen_compare.tui.flows.handout import documents_folder
from regen_compare.tui.screens.compare import CompareScreen
from regen_compare.tui.screens.dialogs import ConfirmDialog, ExportDialog

KNEE = Profile(condition="knee-osteoarthritis", payer="medicare", years=3)


def notices(app: object) -> list[str]:
    return toasts(app)


async def test_compare_shows_marked_therapies_side_by_side(app_factory: AppFactory) -> None:
    app = app_factory(profile=Profile(payer="medicare"))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        await pilot.press("c")  # nothing marked: a hint, no screen
        assert not isinstance(app.screen, CompareScreen)
        assert any("Mark therapies first" in n for n in notices(app))
        app.consult.set_marks(("prp-injection", "physical-therapy"))
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        text = screen.grid_text
        assert "Platelet-rich plasma" in text and "Physical therapy course" in text
        assert "★ ✓ covered" in text  # the best coverage is marked with a symbol
        assert "★ strong" in text
        assert "NCD 270.3" in text
        assert "best in the row" in text
        # the order of the columns is the order of marking
        assert text.index("Platelet-rich") < text.index("Physical therapy course")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)


async def test_usual_care_key_adds_alternatives_in_order_up_to_four(
    app_factory: AppFactory,
) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "gene-therapy"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        # usual care for knee OA: physical therapy, steroid injection, knee replacement;
        # two marks are already used, so only the first two fit
        assert app.consult.session.marks == (
            "prp-injection",
            "gene-therapy",
            "physical-therapy",
            "steroid-injection",
        )
        # What was left out is named, not counted.
        assert any("Left out" in n and "Total knee replacement" in n for n in notices(app))
        assert isinstance(app.screen, CompareScreen)
        assert "Corticosteroid joint" in app.screen.grid_text


async def test_usual_care_needs_a_condition(app_factory: AppFactory) -> None:
    app = app_factory()
    async with app.run_test() as pilot:
        await loaded(pilot)
        await pilot.press("u")
        assert app.consult.session.marks == ()
        assert any("Choose a condition first" in n for n in notices(app))


async def test_chart_of_cumulative_cost(app_factory: AppFactory) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("steroid-injection", "physical-therapy", "gene-therapy"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("g")
        await pilot.pause()
        await pilot.pause()
        from regen_compare.tui.widgets.cost_chart import CostChart, series_for

        chart = app.screen.query_one(CostChart)
        legend = str(chart.query_one("#chart-legend").render())
        assert "A/a Corticosteroid joint injection" in legend
        assert "Knee gene therapy (trials only): trials only, not charted" in legend
        series, _skipped = series_for(app.consult.marked_rows())
        assert [s.letter for s in series] == ["A", "B"]
        steroid = series[0]
        assert steroid.low[0] == 0 and len(steroid.low) == 4  # year 0 … year 3
        assert steroid.high == sorted(steroid.high)  # cumulative: never goes down
        await pilot.press("g")
        assert not app.screen.showing_chart


def test_plotext_is_not_imported_at_start() -> None:
    code = (
        "import sys, regen_compare.tui.app; "
        "print('textual_plotext' in sys.modules, 'plotext' in sys.modules)"
    )
    assert python_output(code).strip() == "False False"


@pytest.mark.slow  # a long end-to-end flow: .ci/run runs it (pytest -m slow)
async def test_export_handout_asks_path_and_confirms_overwrite(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory(profile=KNEE)
    target = tmp_path / "handout.html"
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "physical-therapy"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        # Suggested in the documents folder, never the current folder; HTML by default.
        assert path_input.value == str(documents_folder() / "regen-compare-handout.html")
        path_input.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.is_file()
        first = target.read_text(encoding="utf-8")
        assert "Platelet-rich plasma" in first and "Physical therapy course" in first
        assert any(f"Handout saved to {target}" in n for n in notices(app))
        assert isinstance(app.screen, CompareScreen)

        # again: the file exists, so the app asks; "n" leaves it alone and goes back to the
        # dialog with the path; esc closes it
        target.write_text("keep me", encoding="utf-8")
        await pilot.press("e")
        await pilot.pause()
        # The last folder is remembered.
        suggested = app.screen.query_one("#export-path", Input).value
        assert suggested == str(tmp_path / "regen-compare-handout.html")
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me"
        assert app.screen.query_one("#export-path", Input).value == str(target)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)

        # and "y" replaces it
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == first


async def test_export_html_by_extension_and_toggle(app_factory: AppFactory, tmp_path: Path) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("physical-therapy",))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = str(tmp_path / "out.md")
        await pilot.press("ctrl+t")
        assert path_input.value == str(tmp_path / "out.html")
        await pilot.press("enter")
        await pilot.pause()
        html = (tmp_path / "out.html").read_text(encoding="utf-8")
        assert html.lstrip().lower().startswith("<!doctype html")


async def test_export_error_is_a_toast_not_a_traceback(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("physical-therapy",))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "no" / "x.md")
        await pilot.press("enter")
        await pilot.pause()
        assert any("does not exist" in n for n in notices(app))
        assert isinstance(app.screen, CompareScreen)


async def test_copy_comparison_as_markdown(app_factory: AppFactory) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "physical-therapy"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("y")
        assert "Platelet-rich plasma" in app.clipboard
        assert app.clipboard.lstrip().startswith("#")
        assert any("Copied the comparison of 2 therapies" in n for n in notices(app))


@pytest.mark.slow  # a long end-to-end flow: .ci/run runs it (pytest -m slow)
async def test_clear_session_resets_profile_filters_and_marks(app_factory: AppFactory) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(140, 40)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection",))
        await pilot.press("slash", "k", "n", "e", "e")
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # asks first
        await pilot.press("y")
        await pilot.pause()
        assert app.consult.session == Session()
        assert not isinstance(app.screen, CompareScreen)
        assert app.query_one("#search", Input).value == ""
        assert app.query_one("#payer").value is not None  # a Select: blank now
        assert "any condition · no plan" in str(app.query_one("#profile-bar").render())
        assert any("Session cleared" in n for n in notices(app))


async def test_export_remembers_the_format_and_full_detail(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "physical-therapy"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert not dialog.query_one("#export-detailed", Checkbox).value  # the patient's level
        dialog.query_one("#export-path", Input).value = str(tmp_path / "short.html")
        dialog.query_one("#export-detailed", Checkbox).value = True
        await pilot.press("enter")
        await pilot.pause()
        detailed = (tmp_path / "short.html").read_text(encoding="utf-8")
        await pilot.press("e")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ExportDialog)
        assert again.query_one("#export-path", Input).value.endswith(".html")
        assert again.query_one("#export-detailed", Checkbox).value
        again.query_one("#export-detailed", Checkbox).value = False
        again.query_one("#export-path", Input).value = str(tmp_path / "plain.html")
        await pilot.press("enter")
        await pilot.pause()
        plain = (tmp_path / "plain.html").read_text(encoding="utf-8")
    assert len(detailed) > len(plain)  # full detail keeps the worked figures


async def test_the_chart_legend_is_worked_out_for_the_plot_as_it_is_laid_out(
    app_factory: AppFactory,
) -> None:
    """Which lines a row of the plot hides depends on the plot's height: the legend is
    worked out once the plot has it (never on the 5-row floor of an unlaid plot), and again
    when the terminal is resized."""
    from textual_plotext import PlotextPlot

    from regen_compare.tui.widgets.cost_chart import (
        PLOT_FRAME_ROWS,
        CostChart,
        axis_top,
        hidden_along_zero,
        nice_ticks,
        series_for,
    )

    app = app_factory(profile=KNEE)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "physical-therapy", "steroid-injection"))
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("g")
        for size in ((120, 40), (80, 24)):
            await pilot.resize_terminal(*size)
            for _ in range(4):
                await pilot.pause()
            chart = app.screen.query_one(CostChart)
            plot = chart.query_one(PlotextPlot)
            assert plot.size.height > PLOT_FRAME_ROWS
            series, _ = series_for(app.consult.marked_rows())
            row_value = nice_ticks(axis_top(series)[0])[-1] / max(
                plot.size.height - PLOT_FRAME_ROWS, 5
            )
            legend = str(chart.query_one("#chart-legend").render())
            for letter, over in hidden_along_zero(series, row_value).items():
                assert f"its line is under {over}" in legend, (size, letter)
            assert legend.count("its line is under") == len(hidden_along_zero(series, row_value))


async def test_pictures_of_100_people_never_break_a_row_across_lines(
    app_factory: AppFactory,
) -> None:
    """Four pictures at 80 columns (bundled data, knee osteoarthritis): the marks touch so
    every row of ten stays one line."""
    from datetime import date

    from regen_compare.present import chances

    bundled = Path(__file__).parents[2] / "data"
    knee = Profile(condition="knee-osteoarthritis", payer="medicare-original", years=3)
    app = app_factory(bundled, profile=knee, today=date(2026, 12, 7))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot)
        counted = [
            r.id for r in app.consult.rows if r.benefit is not None and r.benefit.with_therapy
        ]
        app.consult.set_marks(tuple(counted[:4]))
        await pilot.press("c")
        await pilot.pause()
        text = app.screen.grid_text
        import re

        whole_row = re.compile(r"(?:[●◐○] ){9}[●◐○]|[●◐○]{10}")
        picture_lines = [line for line in text.splitlines() if whole_row.search(line)]
        assert len(picture_lines) == chances.GRID  # the pictures side by side, ten rows each
        for line in picture_lines:
            marks = sum(line.count(m) for m in "●◐○")
            assert marks == chances.GRID * len(whole_row.findall(line)), line


async def test_p_on_the_side_by_side_goes_to_what_matters(app_factory: AppFactory) -> None:
    """The fit says "not asked yet (p: what matters)": p does what it says, from the
    side-by-side and from a dialog above it."""
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "physical-therapy"))
        await pilot.press("c")
        await pilot.pause()
        assert "not asked yet (p: what matters)" in app.screen.grid_text
        await pilot.press("p")
        for _ in range(4):
            await pilot.pause()
        assert not isinstance(app.screen, CompareScreen)
        assert app.focused is app.query_one("#weight-cost")
        # From the palette, two screens up: back to the list, the panel on what matters.
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        app.action_patient_field("years")
        for _ in range(4):
            await pilot.pause()
        assert len(app.screen_stack) == 1 and app.focused is app.query_one("#years")
