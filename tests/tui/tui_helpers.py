"""Helpers for the TUI tests: a deterministic app (fixed theme, fixed "today", no file
watching, no blinking cursor) on the small test data, and a helper that waits for loading."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from regen_compare.costs import Profile
from regen_compare.query import Filters
from regen_compare.tui.app import RegenCompareApp, make_app

HERE = Path(__file__).parent
SMALL = HERE.parent / "data" / "small"
MARKUP = HERE / "data" / "markup"
TODAY = date(2026, 11, 22)

AppFactory = Callable[..., RegenCompareApp]


def build_app(
    data_dir: Path = SMALL,
    profile: Profile | None = None,
    filters: Filters | None = None,
    **kwargs: Any,
) -> RegenCompareApp:
    kwargs.setdefault("theme", "textual-dark")
    kwargs.setdefault("watch_files", False)
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("cursor_blink", False)
    return make_app(data_dir, profile or Profile(), filters or Filters(), **kwargs)


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait until the data load (a thread worker) has finished and the screen repainted."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()
