"""Export under textual-serve (a download, not a server-side file), the stale-data warnings
(figures more than 2 years old) in the banner, the detail pane and F1, and the benchmark
hook that reports the first frame with rows."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static
from tui_helpers import AppFactory, loaded, toasts

from regen_compare.engine.costs import Profile
from regen_compare.tui import app as app_module
from regen_compare.tui.app import RegenCompareApp
from regen_compare.tui.screens.compare import CompareScreen
from regen_compare.tui.screens.dialogs import ExportDialog
from regen_compare.tui.screens.help import HelpScreen
from regen_compare.tui.widgets.detail_pane import DetailPane
from regen_compare.tui.widgets.therapy_table import TherapyTable

KNEE = Profile(condition="knee-osteoarthritis", payer="medicare")


def notices(app: Any) -> list[str]:
    return toasts(app)


@pytest.mark.slow  # a long end-to-end flow: .ci/run runs it (pytest -m slow)
async def test_export_in_a_browser_is_a_download(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(RegenCompareApp, "is_web", property(lambda self: True))
    delivered: list[dict[str, Any]] = []

    def deliver_text(self: Any, file: io.StringIO, **kwargs: Any) -> str:
        delivered.append({"text": file.getvalue(), **kwargs})
        return "key"

    monkeypatch.setattr(RegenCompareApp, "deliver_text", deliver_text)
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        app.consult.set_marks(("prp-injection", "physical-therapy"))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert "Download" in str(dialog.query_one("#save").render())
        await pilot.press("enter")  # HTML, the default
        await pilot.pause()
        assert len(delivered) == 1
        got = delivered[0]
        assert got["save_filename"] == "regen-compare-handout.html"
        assert got["mime_type"] == "text/html"
        assert got["open_method"] == "download"
        assert "<html" in got["text"].lower() and "Platelet-rich plasma" in got["text"]
        assert list(tmp_path.iterdir()) == []  # nothing written on the server
        assert any("download" in n and "regen-compare-handout.html" in n for n in notices(app))

        # copy still works through the clipboard
        await pilot.press("y")
        assert "Platelet-rich plasma" in app.clipboard


def _make_stale(data: Path) -> None:
    therapies = data / "therapies.toml"
    text = therapies.read_text("utf-8")
    # the first therapy (prp-injection): its figures checked in 2023
    therapies.write_text(text.replace("as_of = 2026-06-01", "as_of = 2023-03-01", 1), "utf-8")
    payers = data / "payers.toml"
    payers.write_text(
        payers.read_text("utf-8").replace("as_of = 2026-01-01", "as_of = 2024-01-02", 1), "utf-8"
    )


async def test_stale_figures_are_shown_as_text(app_factory: AppFactory, data_copy: Path) -> None:
    _make_stale(data_copy)
    app = app_factory(data_copy, KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert len(app.view.load_warnings) == 2
        banner = app.screen.query_one("#stale-banner", Static)
        assert banner.display
        assert "2 figures need checking" in str(banner.render())
        table = app.query_one(TherapyTable)
        table.move_to("prp-injection")
        await pilot.pause()
        detail = app.query_one(DetailPane).text
        assert "⚠ Old figures" in detail
        assert "therapy[prp-injection].as_of" in detail
        assert "payer[medicare].as_of" in detail  # the chosen plan's own figures
        table.move_to("physical-therapy")
        await pilot.pause()
        detail = app.query_one(DetailPane).text
        assert "therapy[prp-injection]" not in detail
        assert "payer[medicare].as_of" in detail
        app.consult.set_payer("ppo")  # another plan: only the therapy's own warning is left
        await pilot.pause()
        assert "payer[medicare]" not in app.query_one(DetailPane).text
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = str(app.screen.query_one("#help-warnings").render())
        assert "Data warnings (2)" in listed and "more than 2 years old" in listed


async def test_fresh_data_shows_no_stale_banner(app_factory: AppFactory) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        assert not app.screen.query_one("#stale-banner").display
        assert "Old figures" not in app.query_one(DetailPane).text


async def test_the_app_has_no_benchmark_code(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The app holds no benchmark code: bench/ measures it from outside, in a real terminal."""
    monkeypatch.setenv("REGEN_COMPARE_BENCH_FIRST_FRAME", str(tmp_path / "bench.jsonl"))
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        await loaded(pilot)
        await pilot.pause()
        assert app.is_running
    assert not (tmp_path / "bench.jsonl").exists()
    source = Path(app_module.__file__).read_text(encoding="utf-8")
    assert "BENCH" not in source
