"""The export dialog (issue 29's smaller items): HTML by default with Markdown one choice away,
"No" to replacing a file goes back to the dialog with the path, the folder and format are
remembered between runs (never a file name), and "Full detail" says on or off in words."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, Static
from tui_helpers import AppFactory, loaded

from regen_compare.engine.costs import Profile
from regen_compare.store import settings
from regen_compare.tui.flows.handout import documents_folder
from regen_compare.tui.screens.compare import CompareScreen
from regen_compare.tui.screens.dialogs import ConfirmDialog, ExportDialog, format_for, saved_path

KNEE = Profile(condition="knee-osteoarthritis", payer="medicare", years=3)


async def _open_dialog(app: object, pilot: object) -> ExportDialog:
    await loaded(pilot)  # type: ignore[arg-type]
    app.consult.set_marks(("prp-injection", "physical-therapy"))  # type: ignore[attr-defined]
    await pilot.press("c")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("e")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    dialog = app.screen  # type: ignore[attr-defined]
    assert isinstance(dialog, ExportDialog)
    return dialog


def _format_label(dialog: ExportDialog) -> str:
    return str(dialog.query_one("#export-format", Static).render())


def _detail_label(dialog: ExportDialog) -> str:
    return dialog.query_one("#export-detailed", Checkbox).label.plain


async def test_html_is_the_default_and_markdown_one_choice_away(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(app, pilot)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == str(documents_folder() / "regen-compare-handout.html")
        assert _format_label(dialog) == "Format: HTML"
        await pilot.click("#fmt-md")
        assert path_input.value.endswith("regen-compare-handout.md")
        assert _format_label(dialog) == "Format: Markdown"
        path_input.value = str(tmp_path / "for-mrs-a")  # no extension: saved as HTML
        await pilot.click("#save")
        await pilot.pause()
    page = (tmp_path / "for-mrs-a.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")


def test_the_typed_ending_decides_the_format() -> None:
    assert format_for("a.md") == format_for("a.MARKDOWN") == "md"
    assert format_for("a.html") == format_for("a.htm") == format_for("a") == "html"
    assert saved_path("/x/handout") == "/x/handout.html"
    assert saved_path("/x/handout.md") == "/x/handout.md"
    assert saved_path("/x/hand.out") == "/x/hand.out"  # an ending typed is kept


async def test_no_to_replace_goes_back_to_the_dialog_with_the_path(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    target = tmp_path / "handout.html"
    target.write_text("keep me", encoding="utf-8")
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(app, pilot)
        dialog.query_one("#export-detailed", Checkbox).value = True
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ExportDialog)  # the dialog, not the side-by-side
        assert again.query_one("#export-path", Input).value == str(target)
        assert again.query_one("#export-detailed", Checkbox).value  # the level is kept too
        assert target.read_text(encoding="utf-8") == "keep me"
        # Change the name and save: the first file is untouched.
        again.query_one("#export-path", Input).value = str(tmp_path / "handout-2.html")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
    assert target.read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "handout-2.html").is_file()


async def test_folder_and_format_are_remembered_between_runs(
    app_factory: AppFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "Mrs A"
    folder.mkdir()
    first = app_factory(profile=KNEE)
    async with first.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(first, pilot)
        dialog.query_one("#export-path", Input).value = str(folder / "mrs-a-knee.md")
        await pilot.press("enter")
        await pilot.pause()
    kept = settings.settings_path()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    text = kept.read_text(encoding="utf-8")
    assert json.loads(text) == {"version": 1, "export": {"folder": str(folder), "format": "md"}}
    assert "mrs-a-knee" not in text  # the file name may name the patient: never kept

    second = app_factory(profile=KNEE)  # the next run
    async with second.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(second, pilot)
        assert dialog.query_one("#export-path", Input).value == str(
            folder / "regen-compare-handout.md"
        )


async def test_a_bad_settings_file_is_ignored(app_factory: AppFactory) -> None:
    kept = settings.settings_path()
    kept.parent.mkdir(parents=True)
    kept.write_text('{"export": {"folder": "relative/x", "format": "pdf"}', encoding="utf-8")
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(app, pilot)
        assert dialog.query_one("#export-path", Input).value == str(
            documents_folder() / "regen-compare-handout.html"
        )


async def test_full_detail_says_on_or_off_in_words_without_colour(
    app_factory: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_factory(profile=KNEE)
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await _open_dialog(app, pilot)
        assert _detail_label(dialog).startswith("Full detail: off")
        checkbox = dialog.query_one("#export-detailed", Checkbox)
        checkbox.focus()
        await pilot.press("space")
        await pilot.pause()
        assert checkbox.value
        assert _detail_label(dialog).startswith("Full detail: on")
        # The words are on screen (the snapshot test_export_dialog_no_color shows them).
        assert "Full detail: on" in app.export_screenshot().replace("&#160;", " ")
