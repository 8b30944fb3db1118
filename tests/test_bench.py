"""The benchmark keeps working: it runs end to end at its smallest size (no timing asserted)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_benchmark_runs_at_the_smallest_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.md"
    env = {**os.environ, "REGEN_COMPARE_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "bench" / "run.py"),
            "--sizes",
            "100",
            "--runs",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    table = out.read_text(encoding="utf-8")
    assert "| figure | target | measured |" in table
    for figure in (
        "first frame",
        "`list --format json`",
        "load + validate",
        "filter keystroke",
        "sort a column",
        "peak memory",
    ):
        assert figure in table, figure


def test_synthetic_data_is_valid_and_deterministic(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import write
    finally:
        sys.path.pop(0)
    from regen_compare.data.load import load_catalog

    first = write(tmp_path / "a", 40, 5)
    second = write(tmp_path / "b", 40, 5)
    for name in ("therapies.toml", "payers.toml"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    result = load_catalog(first)
    assert len(result.catalog.therapies) == 40 and len(result.catalog.payers) == 5
    assert result.warnings == []
