"""No traceback can reach a patient's screen: an unexpected error in the app ends it at once
with the one-line `internal error` message on stderr and exit code 70, and the profile never
appears (Textual's own handler printed a Rich traceback with every local, the profile's
amounts and plan among them, and exited 0 or 1). REGEN_COMPARE_DEBUG=1 shows the traceback."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from textual.app import App
from textual.pilot import Pilot

from helpers import SMALL_DATA
from regen_compare.cli.main import main
from regen_compare.engine.costs import Profile
from regen_compare.tui import app as app_module
from regen_compare.tui.screens.compare import CompareScreen

PROFILE_WORDS = ("deductible_met", "Decimal(", "Profile(", "medicare", "Medicare", "800", "Mrs")


def _explode_on_mount(self: CompareScreen) -> None:
    profile = Profile(payer="medicare", deductible_met=Decimal(800))  # a local a traceback shows
    raise ValueError(f"cannot draw the comparison for {profile}")


def _headless(monkeypatch: pytest.MonkeyPatch, keys: tuple[str, ...]) -> None:
    """`run_tui` as in a terminal, but headless, with `keys` pressed once the screen is up."""

    async def press(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()

    def run(self: App[Any], **_: Any) -> Any:
        return App.run(self, headless=True, size=(80, 24), auto_pilot=press)

    monkeypatch.setattr(app_module, "has_terminal", lambda: True)
    monkeypatch.setattr(app_module.RegenCompareApp, "run", run)
    monkeypatch.setattr(CompareScreen, "on_mount", _explode_on_mount)


ARGS = ["--data-dir", str(SMALL_DATA), "--payer", "medicare", "--deductible-met", "800"]


def test_an_error_inside_a_screen_ends_in_one_line_and_exit_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _headless(monkeypatch, ("space", "c"))  # mark, then the side by side raises
    code = main(ARGS)
    out = capsys.readouterr()
    assert code == 70
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "internal error (ValueError in " in lines[0], out.err
    assert "Traceback" not in out.err + out.out
    for word in PROFILE_WORDS:
        assert word not in out.err, f"{word!r} reached the screen: {out.err}"


def test_with_the_debug_switch_the_traceback_is_shown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _headless(monkeypatch, ("space", "c"))
    monkeypatch.setenv("REGEN_COMPARE_DEBUG", "1")
    with pytest.raises(ValueError, match="cannot draw the comparison"):
        main(ARGS)


async def test_pilot_still_sees_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests keep failing on a crash: `run_test` re-raises what ended the app."""
    from tui_helpers import build_app, loaded

    app = build_app(SMALL_DATA, Profile(payer="medicare"))
    monkeypatch.setattr(CompareScreen, "on_mount", _explode_on_mount)
    with pytest.raises(ValueError, match="cannot draw"):
        async with app.run_test() as pilot:
            await loaded(pilot)
            await pilot.press("space", "c")
            await pilot.pause()
    assert app.return_code == 70
