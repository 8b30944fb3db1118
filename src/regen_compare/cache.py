"""A cache of validated data, so a large catalog starts in a fraction of its parse time.

Never a source of truth: an entry is used only when its key matches exactly — the program
version, the Python version, today's date (staleness warnings depend on it) and the SHA-256
of both data files' bytes — and anything unreadable, foreign or stale is ignored and
rebuilt. Entries are pickles of the loaded catalog, which load ~3× faster than parsing the
TOML even for 10,000 therapies. Like Python's own `.pyc` files, a pickle runs code when
loaded, so the trust model is the same: the folder is created 0700, entries are written
0600 and atomically, and an entry not owned by this user or writable by others is ignored.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import stat
import sys
from datetime import date
from pathlib import Path
from typing import Any

from regen_compare import __version__
from regen_compare.atomic import WriteError, write_atomic

CACHE_ENV = "REGEN_COMPARE_CACHE"
NO_CACHE_ENV = "REGEN_COMPARE_NO_CACHE"
_MAGIC = b"regen-compare-cache-1\n"


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("regen-compare", appauthor=False))


def make_key(therapies: bytes, payers: bytes, today: date) -> str:
    digest = hashlib.sha256()
    for part in (__version__, sys.version, today.isoformat()):
        digest.update(part.encode() + b"\0")
    for data in (therapies, payers):
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _entry(folder: Path, data_dir: Path) -> Path:
    name = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:24]
    return folder / f"{name}.pickle"


def _trusted(path: Path) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def entry_size(data_dir: Path) -> int | None:
    """The size of the cache entry for this data folder (any key), or None without one."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return os.stat(_entry(folder, data_dir)).st_size
    except OSError:
        return None


def load(data_dir: Path, key: str) -> Any | None:
    """The cached value for `key`, or None (missing, stale, foreign or damaged)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _entry(folder, data_dir)
    if not _trusted(path):
        return None
    try:
        with open(path, "rb") as handle:
            if handle.read(len(_MAGIC)) != _MAGIC:
                return None
            if handle.read(64).decode("ascii", "replace") != key:
                return None
            payload = handle.read()
        was_enabled = gc.isenabled()
        gc.disable()  # hundreds of thousands of objects, no cycles: see load.py
        try:
            return pickle.loads(payload)
        finally:
            if was_enabled:
                gc.enable()
    except Exception:  # a damaged cache is rebuilt, never trusted nor fatal
        return None


def store(data_dir: Path, key: str, value: Any) -> None:
    """Write the entry; failure to cache is never an error (the data loaded fine)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(_entry(folder, data_dir), _MAGIC + key.encode("ascii") + payload, mode=0o600)
    except (OSError, WriteError, pickle.PicklingError, RecursionError):
        return
