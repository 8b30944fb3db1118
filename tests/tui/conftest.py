"""Fixtures for the TUI tests (helpers live in tui_helpers.py so test modules can import them)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from tui_helpers import HERE, SMALL, AppFactory, build_app

# bench/app_probe.py (the benchmark's first-frame probe) is tested here too.
sys.path.insert(0, str(HERE.parent.parent / "bench"))


@pytest.fixture
def app_factory() -> AppFactory:
    return build_app


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the small data set (for reload tests)."""
    target = tmp_path / "data"
    shutil.copytree(SMALL, target)
    return target
