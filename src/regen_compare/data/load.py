"""Read the two data files into a `Catalog`, or explain every problem with its file and line.

The entry points. The path from bytes to catalog is guarded at each step, because the files
are hand-edited and sometimes hostile; each step has its module:

- `data.reading`: refuse what is not a small regular file, decode, pre-scan, parse;
- `data.validate` and `data.messages`: validate each entity on its own, pydantic errors in a
  maintainer's words;
- `data.checks`: what a schema cannot say (references across files, duplicates, dates).

Only `DataError` leaves this module.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from regen_compare.data import reading as load_read
from regen_compare.data.gcpause import paused
from regen_compare.data.reading import FileContext
from regen_compare.model.catalog import Catalog
from regen_compare.model.problems import DataError, Problem
from regen_compare.store import cache
from regen_compare.store import entry as load_entry

MAX_FILE_BYTES = load_read.MAX_FILE_BYTES
"""Read at call time, so a test may lower it (`monkeypatch.setattr(load, "MAX_FILE_BYTES")`)."""
_toml_loads = load_read.toml_loads
"""The parser, looked up at call time: tests replace it to prove a path never parses."""
THERAPIES_FILE = "therapies.toml"
PAYERS_FILE = "payers.toml"
DATA_ENV = "REGEN_COMPARE_DATA"


# --- finding the data -----------------------------------------------------------------------


def bundled_data_dir() -> Path:
    """The data that ships with the package (a wheel) or sits in the source tree (editable)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_bundled"
    if (packaged / THERAPIES_FILE).is_file():
        return packaged
    return package.parents[1] / "data"


def resolve_data_dir(explicit: str | os.PathLike[str] | None) -> Path:
    """`--data-dir` wins, then `$REGEN_COMPARE_DATA`, then the bundled copy."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env)
    return bundled_data_dir()


# --- one file -------------------------------------------------------------------------------


def read_document(path: Path, ctx: FileContext) -> dict[str, Any] | None:
    """One TOML file through every guard (size, file kind, encoding, run-away input); None
    with the problems on `ctx` when it cannot be read."""
    return load_read.read_document(path, ctx, MAX_FILE_BYTES, _toml_loads)


# --- the catalog ----------------------------------------------------------------------------


@dataclass
class LoadResult:
    catalog: Catalog
    warnings: list[Problem]


def load_catalog(
    data_dir: str | os.PathLike[str], *, today: date | None = None, use_cache: bool = False
) -> LoadResult:
    """Load and check both files in `data_dir`. Raises `DataError` listing every problem.

    With `use_cache` (the app and the command line), a valid result is kept in the user's
    cache folder and reused while the files' bytes (and the date) are unchanged (see
    `cache.py`), and the catalog returned is always the one an entry holds, read from the
    cache or from the entry this load made (with the cache off too): one kind of catalog
    for every start, its models built when first used.
    """
    folder = Path(data_dir)
    with _guarded(folder):
        return _load(folder, today or date.today(), use_cache)


@contextlib.contextmanager
def _guarded(folder: Path) -> Iterator[None]:
    """Run a load with the cyclic GC paused, run-away input turned into `DataError`.

    Parsing and validating allocate hundreds of thousands of small objects and no cycles: the
    cyclic GC would triple the time at 10,000 therapies, so it waits until we are done."""
    try:
        with paused():
            yield
    except RecursionError:
        raise DataError([Problem(str(folder), None, "refused: data nested too deep")]) from None
    except MemoryError:
        raise DataError([Problem(str(folder), None, "refused: data too large to check")]) from None


def _read_pair(folder: Path, labels: tuple[str, str]) -> tuple[bytes | Problem, bytes | Problem]:
    return (
        load_read.read_bytes(folder / THERAPIES_FILE, labels[0], MAX_FILE_BYTES),
        load_read.read_bytes(folder / PAYERS_FILE, labels[1], MAX_FILE_BYTES),
    )


def _load(folder: Path, today: date, use_cache: bool, *, reuse: bool = True) -> LoadResult:
    """Read both files once (every guard of `data.reading` first); with `use_cache`, a valid
    entry for exactly these bytes and this date is used instead of parsing (unless not
    `reuse`: it was found damaged), and a fresh result is stored under that key (the key is
    of the very bytes that were checked)."""
    labels = (str(folder / THERAPIES_FILE), str(folder / PAYERS_FILE))
    t_bytes, p_bytes = _read_pair(folder, labels)
    key = None
    if use_cache and isinstance(t_bytes, bytes) and isinstance(p_bytes, bytes):
        key = cache.make_key(today, t_bytes, p_bytes)
        cached = from_entry(folder, cache.load(folder, key), today) if reuse else None
        if cached is not None:
            return cached
    from regen_compare.data.validate import check_files  # only a load that parses needs it

    files = (folder / THERAPIES_FILE, folder / PAYERS_FILE)
    data = [t_bytes, p_bytes]
    del t_bytes, p_bytes  # `check_files` lets each file's bytes go once it has read them
    result = LoadResult(*check_files(files, today, data, _toml_loads))
    if not use_cache:
        return result
    payload = to_entry(result)
    if key is not None:
        cache.store(folder, key, payload)
    # The rest of the run uses the catalog the entry holds, as a start from the cache does:
    # the validated models keep strings of the parsed tables, spread over memory the freed
    # tables no longer use, and would pin it (10,000 therapies: the app's peak 138 -> 116 MB).
    rebuilt = from_entry(folder, payload, today)
    return result if rebuilt is None else rebuilt


class _Reread:
    """The data read afresh for a cached catalog whose entry holds a model that does not
    decode (damaged or forged past its key and checksum): read, checked and cached once (a
    sound entry replaces the bad one), then each kind of model is served from it. Bad files
    raise `DataError`, as a load does."""

    def __init__(self, folder: Path, today: date) -> None:
        self.folder, self.today = folder, today
        self._lock = threading.Lock()
        self._catalog: Catalog | None = None

    def models(self, attribute: str) -> Mapping[str, Any]:
        with self._lock:
            if self._catalog is None:
                with _guarded(self.folder):
                    fresh = _load(self.folder, self.today, use_cache=True, reuse=False)
                self._catalog = fresh.catalog
        models: Mapping[str, Any] = getattr(self._catalog, attribute)
        return models


def to_entry(result: LoadResult) -> bytes:
    """The result as plain data (`store.entry`), for the cache."""
    return load_entry.encode(result.catalog, result.warnings)


def from_entry(folder: Path, payload: bytes | None, today: date | None = None) -> LoadResult | None:
    """The result an entry holds (its models built on first use), or None when its index is
    not one this code wrote (the caller then parses the files and stores a fresh entry over
    it). A model found not to decode later is read afresh from the files instead
    (`_Reread`): never an error half-way through a consult."""
    if payload is None:
        return None
    reread = _Reread(folder, today or date.today())
    try:
        catalog, warnings = load_entry.decode(
            payload, (folder / THERAPIES_FILE, folder / PAYERS_FILE), reread.models
        )
    except Exception:
        return None
    return LoadResult(catalog, warnings)
