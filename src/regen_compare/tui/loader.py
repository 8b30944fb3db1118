"""Reading the data for the TUI without freezing it.

The app calls `load_data` from a thread worker. Small files are parsed right there. The
compiled TOML parser holds the GIL for a whole file, though (measured: ~190 ms of frozen
event loop for 3,000 therapies, ~540 ms for 10,000), so from `SUBPROCESS_BYTES` on the parse
and validation run in a child process (`python -m regen_compare.tui.loader DIR DATE`) that
sends back the result as plain data (`load_entry`, the cache's own format, written with
`marshal`: nothing in it can run when read). The child writes valid data straight into that
form (`load_lean`: ~125 MB at 10,000 therapies, against 240 MB when it built the catalog and
pickled it); the thread only waits on a pipe, then reads the entry's index, and the models
are built as they are used. Errors come back as the same `Problem`s the
loader makes, so messages are identical either way. If the child cannot run at all, the load
falls back to the thread. A valid cache entry is read in the thread at any size: that costs
milliseconds.

This module must not import Textual: the child imports it and should start fast.
"""

from __future__ import annotations

import marshal
import os
import sys
from datetime import date
from pathlib import Path

from regen_compare import load as load_module
from regen_compare.load import PAYERS_FILE, THERAPIES_FILE, LoadResult
from regen_compare.load_entry import EntryError, problem, problem_fields
from regen_compare.problems import DataError
from regen_compare.tui.children import Children

SUBPROCESS_BYTES = 1 << 20
"""Both files together at least this big (1 MiB, ~1,200 therapies): parse in a child."""


def total_size(data_dir: Path) -> int:
    size = 0
    for name in (THERAPIES_FILE, PAYERS_FILE):
        try:
            size += os.stat(data_dir / name).st_size
        except OSError:
            continue
    return size


def load_data(data_dir: Path, today: date, children: Children | None = None) -> LoadResult:
    """Load and check the data like `load_catalog`; raises `DataError` the same way, and
    `Stopped` when the app stopped `children` (the app's own, killed when it quits)."""
    if total_size(data_dir) >= SUBPROCESS_BYTES:
        hit = load_module.load_cached(data_dir, today=today)
        if hit is not None:
            return hit
        result = _in_child(data_dir, today, children or Children())
        if result is not None:
            return result
    return load_module.load_catalog(data_dir, today=today, use_cache=True)


def _in_child(data_dir: Path, today: date, children: Children) -> LoadResult | None:
    """The child's result; None when the child could not do its job (then load here)."""
    package_root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    argv = [sys.executable, "-m", "regen_compare.tui.loader", str(data_dir), today.isoformat()]
    try:
        code, out = children.run(argv, env)
    except OSError:
        return None
    if code != 0 or not out:
        return None
    kind, _, body = out.partition(b"\n")
    del out  # the entry is ~8 MB at 10,000 therapies: one copy at a time
    if kind == b"ok":
        return load_module.from_entry(data_dir, body)
    try:
        problems = [problem(fields) for fields in marshal.loads(body)] if kind == b"error" else []
    except (EntryError, ValueError, EOFError, TypeError):  # a broken child: load here instead
        return None
    if not problems:
        return None
    raise DataError(problems)


def main(argv: list[str]) -> int:
    """The child: load, then write `ok` and the entry (`load_entry`), or `error` and the
    problems (`load_entry.problem_fields`, with `marshal`), each after one line."""
    data_dir, today = Path(argv[0]), date.fromisoformat(argv[1])
    try:
        kind, body = b"ok", load_module.load_as_entry(data_dir, today=today)
    except DataError as exc:
        kind, body = b"error", marshal.dumps(tuple(problem_fields(p) for p in exc.problems))
    sys.stdout.buffer.write(kind + b"\n")
    sys.stdout.buffer.write(body)  # not joined to the line: no second copy of the entry
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
