"""Reading the data for the TUI without freezing it.

The app calls `load_data` from a thread worker. Small files are parsed right there. The
compiled TOML parser holds the GIL for a whole file, though (measured: ~190 ms of frozen
event loop for 3,000 therapies, ~540 ms for 10,000), so from `SUBPROCESS_BYTES` on the parse
and validation run in a child process (`python -m regen_compare.tui.loader DIR DATE`) that
sends back the `LoadResult` pickled; the thread only waits on a pipe. Errors come back as
the same `Problem`s the loader makes, so messages are identical either way. If the child
cannot run at all, the load falls back to the thread.

This module must not import Textual: the child imports it and should start fast.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from datetime import date
from pathlib import Path

from regen_compare import load as load_module
from regen_compare.gcpause import paused
from regen_compare.load import PAYERS_FILE, THERAPIES_FILE, LoadResult
from regen_compare.problems import DataError, Problem

SUBPROCESS_BYTES = 1 << 20
"""Both files together at least this big (1 MiB, ~1,200 therapies): parse in a child."""
IN_THREAD_CACHE_BYTES = 8 << 20
"""A cache entry up to this size (~5,000 therapies, ~150 ms to unpickle) is read in the
thread even for large files: starting a child would cost more than it saves."""
IN_THREAD_CACHE_BYTES_AT_START = 32 << 20
"""The same at start-up, when only the loading screen is up (10,000 therapies: ~15 MB)."""


def total_size(data_dir: Path) -> int:
    size = 0
    for name in (THERAPIES_FILE, PAYERS_FILE):
        try:
            size += os.stat(data_dir / name).st_size
        except OSError:
            continue
    return size


def load_data(data_dir: Path, today: date, *, at_start: bool = False) -> LoadResult:
    """Load and check the data like `load_catalog`; raises `DataError` the same way.

    `at_start`: the first load, behind the loading screen, may read a larger cache entry in
    the thread (a short pause there costs less than starting a child process)."""
    if total_size(data_dir) >= SUBPROCESS_BYTES:
        from regen_compare import cache

        entry = cache.entry_size(data_dir)
        limit = IN_THREAD_CACHE_BYTES_AT_START if at_start else IN_THREAD_CACHE_BYTES
        if entry is not None and entry <= limit:
            hit = load_module.load_cached(data_dir, today=today)
            if hit is not None:
                return hit
        result = _in_child(data_dir, today)
        if result is not None:
            return result
    return load_module.load_catalog(data_dir, today=today, use_cache=True)


def _in_child(data_dir: Path, today: date) -> LoadResult | None:
    """The child's result; None when the child could not do its job (then load here)."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "regen_compare.tui.loader", str(data_dir), today.isoformat()],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0 or not done.stdout:
        return None
    try:
        with paused():  # ~10^5 objects and no cycles: a full collection would hold the GIL
            kind, payload = pickle.loads(done.stdout)  # our own child's output, never a file
    except Exception:  # a broken child: load in-process instead
        return None
    if kind == "ok" and isinstance(payload, LoadResult):
        return payload
    if kind == "error" and isinstance(payload, list):
        raise DataError(p for p in payload if isinstance(p, Problem))
    return None


def main(argv: list[str]) -> int:
    """The child: load, then write `("ok", LoadResult)` or `("error", [Problem])` pickled."""
    data_dir, today = Path(argv[0]), date.fromisoformat(argv[1])
    try:
        result = load_module.load_catalog(data_dir, today=today, use_cache=True)
        out: tuple[str, object] = ("ok", result)
    except DataError as exc:
        out = ("error", exc.problems)
    sys.stdout.buffer.write(pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
