"""Fixtures for the TUI tests (helpers live in tui_helpers.py so test modules can import them)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tui_helpers import SMALL, AppFactory, build_app


@pytest.fixture
def app_factory() -> AppFactory:
    return build_app


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the small data set (for reload tests)."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target
