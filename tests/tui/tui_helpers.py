"""Helpers for the TUI tests: a deterministic app (fixed theme, fixed "today", no file
watching, no blinking cursor) on the small test data, and a helper that waits for loading."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.app import SeverityLevel
from textual.pilot import Pilot

from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters
from regen_compare.tui import app as app_module
from regen_compare.tui.app import RegenCompareApp

HERE = Path(__file__).parent
SMALL = HERE.parent / "fixtures" / "small"
MARKUP = HERE / "fixtures" / "markup"
TODAY = date(2026, 11, 22)


class RecordingApp(RegenCompareApp):
    """The app with every toast's message recorded (`toasts`), through the public `notify`."""

    CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.toasts: list[str] = []

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        self.toasts.append(message)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)


AppFactory = Callable[..., RecordingApp]


def hold(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> threading.Event:
    """`owner.name` waits until the returned event is set (a slow load), then runs."""
    release = threading.Event()
    real = getattr(owner, name)

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, held)
    return release


def build_app(
    data_dir: Path = SMALL,
    profile: Profile | None = None,
    filters: Filters | None = None,
    **kwargs: Any,
) -> RecordingApp:
    kwargs.setdefault("theme", "textual-dark")
    kwargs.setdefault("watch_files", False)
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("cursor_blink", False)
    return RecordingApp(data_dir, profile or Profile(), filters or Filters(), **kwargs)


def toasts(app: object) -> list[str]:
    """The messages of the toasts shown so far (apps built by `build_app`)."""
    assert isinstance(app, RecordingApp)
    return app.toasts


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait until the data load (a thread worker) has finished and the screen repainted."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def panel_ready(pilot: Pilot[Any]) -> None:
    """Wait until the filter panel's fields are built (they come a frame after it is seen)."""
    from regen_compare.tui.widgets.filter_panel import FilterPanel

    for _ in range(100):
        panels = pilot.app.screen.query(FilterPanel)
        if not panels or panels.first().ready:
            break
        await pilot.pause(0.01)
    await pilot.pause()
