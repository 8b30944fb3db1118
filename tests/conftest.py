"""Shared fixtures. Every test runs isolated from the developer's machine: no user data or
cache folders, no colour or theme settings from the environment."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SMALL_DATA = TESTS / "data" / "small"
REPO = TESTS.parent
BUNDLED_DATA = REPO / "data"
TODAY = date(2026, 11, 22)

for _name in (
    "NO_COLOR",
    "FORCE_COLOR",
    "TEXTUAL_THEME",
    "TEXTUAL_ANIMATIONS",
    "TEXTUAL_FILTERS",
    "TEXTUAL_COLOR_SYSTEM",
    "TEXTUAL_SPEEDUPS",
    "REGEN_COMPARE_DATA",
    "REGEN_COMPARE_SCENARIOS",
    "COLUMNS",
    "LINES",
):
    os.environ.pop(_name, None)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.delenv("REGEN_COMPARE_DATA", raising=False)
    monkeypatch.delenv("REGEN_COMPARE_SCENARIOS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def small_data() -> Path:
    return SMALL_DATA


@pytest.fixture
def today() -> date:
    return TODAY
