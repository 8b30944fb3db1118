"""Run-away input is refused in bounded time and memory: each case loads in a child process
under a 1 GiB address-space limit and a timeout, so a blow-up fails the test, not the machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

LIMITED_LOAD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
from regen_compare.data.load import load_catalog
from regen_compare.model.problems import DataError
try:
    load_catalog(sys.argv[1])
except DataError as exc:
    print(exc)
    sys.exit(3)
"""


def _write(folder: Path, payers: bytes) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "therapies.toml").write_text("schema_version = 1\n")
    (folder / "payers.toml").write_bytes(payers)
    return folder


def _load_limited(folder: Path, timeout: float = 10.0) -> tuple[str, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LIMITED_LOAD, str(folder)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    elapsed = time.perf_counter() - start
    assert done.returncode == 3, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    return done.stdout, elapsed


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"schema_version = 1\nx = " + b"[" * 100_000 + b"]" * 100_000 + b"\n", "nested"),
        (b"schema_version = 1\nx = " + b"{a = " * 50_000 + b"1" + b"}" * 50_000 + b"\n", "nested"),
        (b"schema_version = 1\n" + b".".join([b"k"] * 200_000) + b" = 1\n", "more than 32 parts"),
        (b"schema_version = 1\nx = " + b"9" * 200_000 + b"\n", "cannot be read"),
    ],
    ids=["arrays", "inline-tables", "dotted-key", "huge-integer"],
)
def test_runaway_input_is_refused_with_a_located_message(
    tmp_path: Path, payload: bytes, words: str
) -> None:
    out, elapsed = _load_limited(_write(tmp_path, payload))
    assert "payers.toml:2" in out
    assert words in out
    assert elapsed < 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_pipe_and_oversized_file_refused_without_reading(tmp_path: Path) -> None:
    folder = _write(tmp_path / "fifo", b"")
    (folder / "payers.toml").unlink()
    os.mkfifo(folder / "payers.toml")  # nobody writes: reading would block forever
    out, elapsed = _load_limited(folder)
    assert "not a regular file" in out and elapsed < 5
    big = _write(tmp_path / "big", b"")
    with open(big / "payers.toml", "r+b") as handle:
        handle.truncate(2 << 30)  # 2 GiB sparse: reading it would break the 1 GiB limit
    out, elapsed = _load_limited(big)
    assert "files over 16 MiB are refused" in out and elapsed < 5
