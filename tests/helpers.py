"""Small helpers for building data folders in tests."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from regen_compare.cli.main import main
from regen_compare.model.entities import Payer, Therapy

# Not imported from conftest: tests/tui has a conftest of its own, and which one a bare
# `import conftest` finds depends on the order pytest collects in.
SMALL_DATA = Path(__file__).parent / "fixtures" / "small"
SMALL_THERAPIES = (SMALL_DATA / "therapies.toml").read_text(encoding="utf-8")
SMALL_PAYERS = (SMALL_DATA / "payers.toml").read_text(encoding="utf-8")
REGION_FL = """
[[region]]
code = "FL"
name = "Florida"
medicare_gaf = { min = 0.993, max = 1.077 }
localities = 3
as_of = 2026-11-01
sources = [{ title = "t", url = "https://example.org/p", accessed = 2026-11-01 }]
"""
"""One valid region, as a regions.toml table (valid from 2026-11-01 on)."""
REGIONS_FL = "schema_version = 1\n" + REGION_FL
"""A whole regions.toml holding it."""


def make_data(
    folder: Path,
    therapies: str | bytes | None = None,
    payers: str | bytes | None = None,
) -> Path:
    """A data folder holding the small fixture, with either file replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content, default in (
        ("therapies.toml", therapies, SMALL_THERAPIES),
        ("payers.toml", payers, SMALL_PAYERS),
    ):
        value = default if content is None else content
        data = value.encode("utf-8") if isinstance(value, str) else value
        (folder / name).write_bytes(data)
    return folder


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the n-th line containing `needle`."""
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in-process; (exit code, stdout, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def check_golden(folder: Path, name: str, text: str) -> None:
    """Compare with a golden file; REGEN_UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = folder / name
    if os.environ.get("REGEN_UPDATE_GOLDEN") == "1" or not path.exists():
        path.write_text(text, encoding="utf-8")
        if os.environ.get("REGEN_UPDATE_GOLDEN") != "1":
            pytest.fail(f"golden file {name} was missing and has been written: review it")
    assert text == path.read_text(encoding="utf-8")


# --- model objects for the pure-function tests -----------------------------------------------

MODEL_DAY = date(2026, 11, 22)
MODEL_SOURCE = {"title": "t", "url": "https://example.org/p", "accessed": MODEL_DAY}


def make_therapy(**overrides: Any) -> Therapy:
    """A valid therapy: $100–$200 an injection, 2–4 in year 1 and 1–2 later, downtime 0–1
    days, moderate evidence, no dependency risk, no warnings. A key given as None is left out."""
    data: dict[str, Any] = {
        "id": "t",
        "name": "T",
        "category": "traditional",
        "modality": "injection",
        "conditions": ["knee"],
        "invasiveness": "injection",
        "anesthesia": "local",
        "evidence": "moderate",
        "regulatory": "approved",
        "dependency_risk": "none",
        "summary": "s",
        "risks": [],
        "as_of": MODEL_DAY,
        "price": {"min": 100, "max": 200, "unit": "injection"},
        "units": {"first_year": {"min": 2, "max": 4}, "later_years": {"min": 1, "max": 2}},
        "recovery": {"downtime_days": {"min": 0, "max": 1}, "full_weeks": {"min": 1, "max": 2}},
        "sources": [MODEL_SOURCE],
    }
    data.update(overrides)
    return Therapy.model_validate({k: v for k, v in data.items() if v is not None})


def make_payer(**overrides: Any) -> Payer:
    """A valid commercial plan: no deductible, 20% coinsurance, no cap."""
    data: dict[str, Any] = {
        "id": "p",
        "name": "Plan",
        "kind": "commercial",
        "deductible": 0,
        "coinsurance": 0.2,
        "as_of": MODEL_DAY,
        "sources": [MODEL_SOURCE],
    }
    data.update(overrides)
    return Payer.model_validate(data)


def no_children_left() -> bool:
    """No child at all, not even one that has exited and was never reaped."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def python_output(code: str) -> str:
    """What a fresh interpreter running `code` prints (it must exit 0): for what a start
    imports, which this test process has imported long ago."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


# --- special files: FIFOs and devices where a data or output file should be -----------------

HANG_SECONDS = 8.0
"""How long a reader may be stuck on a FIFO before `rescued` lets it go (the test then fails
on its own timing instead of hanging the run)."""


@contextlib.contextmanager
def rescued(folder: Path) -> Iterator[None]:
    """After HANG_SECONDS, open every FIFO under `folder` for writing and close it, so a
    reader stuck on one gets end-of-file and the test fails on time instead of hanging."""
    done = threading.Event()

    def rescue() -> None:
        if done.wait(HANG_SECONDS):
            return
        for path in folder.rglob("*"):
            if path.is_fifo():
                with contextlib.suppress(OSError):
                    os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=rescue, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def make_hazard(path: Path, kind: str) -> None:
    """Put a FIFO (`kind` "fifo") or a link to a character device that never ends at `path`."""
    path.unlink(missing_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
