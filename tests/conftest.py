"""Shared fixtures. Every test runs isolated from the developer's machine: no user data or
cache folders, no colour or theme settings from the environment."""

from __future__ import annotations

import gc
import os
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the property tests on a fixed sequence of examples (the same every run), so a red
# run always reproduces; a developer's run keeps exploring new examples.
hypothesis_settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

TESTS = Path(__file__).parent
SMALL_DATA = TESTS / "fixtures" / "small"
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


# No network, ever: the app needs none, and a test that reaches out is a bug. Loopback stays
# open for `serve` and its browser test.
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _loopback(sock: socket.socket, address: object) -> bool:
    if sock.family == getattr(socket, "AF_UNIX", None):
        return True
    host = address[0] if isinstance(address, tuple) else address
    return isinstance(host, str) and (
        host.startswith("127.") or host in ("localhost", "::1", "0:0:0:0:0:0:0:1")
    )


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _loopback(self, address):
        raise ConnectionRefusedError(f"network access is blocked in tests: {address!r}")
    _real_connect(self, address)  # type: ignore[arg-type]


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _loopback(self, address):
        raise ConnectionRefusedError(f"network access is blocked in tests: {address!r}")
    return _real_connect_ex(self, address)  # type: ignore[arg-type]


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]


ENV_PREFIX = "REGEN_COMPARE_"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every test starts with no `REGEN_COMPARE_*` variable (data folder, cache, scenarios,
    benchmark hook, debug switch, ...) and its own user folders; a test sets what it needs."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in [n for n in os.environ if n.startswith(ENV_PREFIX)]:
        monkeypatch.delenv(name)
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own cache folder (`REGEN_COMPARE_CACHE`), not yet created."""
    from regen_compare.store import cache

    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def small_data() -> Path:
    return SMALL_DATA


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture(autouse=True)
def _nothing_left_frozen() -> Iterator[None]:
    """A test that priced in the background froze objects out of the GC (`gcpause`): give
    them back, so the next test in this process sees the collector as a new app would."""
    yield
    gc.unfreeze()


@pytest.fixture
def regions_checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each file the regions checker ran on (`regions.regions_from`): a cached start runs none."""
    from regen_compare.data import regions

    seen: list[Path] = []
    real = regions.regions_from

    def counted(file: Path, data: Any, *, today: date | None = None) -> regions.RegionSet:
        seen.append(file)
        return real(file, data, today=today)

    monkeypatch.setattr(regions, "regions_from", counted)
    return seen
