"""A cache of validated data, so a large catalog starts in a fraction of its parse time.

Never a source of truth: an entry is used only when its key matches exactly, and anything
unreadable, foreign or stale is ignored and rebuilt. The key covers:

* the bytes of both data files (SHA-256) and today's date (staleness warnings depend on it);
  regions.toml has an entry of its own (`data.regions.load_cached`), keyed on its bytes and
  the date;
* the code: `CACHE_FORMAT`, our package version, a hash of every source file of the package
  (no hand-kept list of the modules that shape an entry: any change of the code misses), and
  the Python (its `marshal` format) and pydantic's version (it decided what was valid). A
  changed model therefore misses instead of being read into wrong-shaped objects.

An entry is the catalog as plain data (`store.entry`: tuples, text and numbers written with
`marshal`, which cannot import or call anything when read; money kept as exact decimal text),
not pickled objects: reading an entry only reads its index, and its models are built when
first used. Each of these checks refuses the entry (the data is then parsed as if there were
no cache, and a fresh entry replaces it):

* the folder (opened once; every later step works relative to that handle) must be owned by
  this user and not writable by group or others; otherwise the cache is not used at all;
* the entry is opened without following links (`O_NOFOLLOW`, and `O_NONBLOCK` so a FIFO
  cannot hang the start) and checked *on the open file* with `fstat`: a regular file, owned by
  this user, mode exactly 0600;
* it is at most `MAX_ENTRY_BYTES` (checked on the open file before reading, and the read
  stops there), so a huge file there cannot stall a start;
* the payload's CRC-32, written after the key, must match (a damaged entry is never read
  into a catalog);
* `load_entry.decode` (`regions.decode` for regions) accepts only the layout it writes: plain
  values of the expected types, every model built at once (anything else, a code object
  included, refuses the whole entry: never a traceback later). `marshal` limits how deep
  what it reads may nest.

Entries are always written 0600 through `atomic.write_in_folder` (a fresh temp file, never a
mode inherited from whatever was there; a link or anything else at the entry's name is
replaced, never written through). Where the owner checks cannot run (no `os.getuid`), there is
no cache.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import stat
import sys
import zlib
from datetime import date
from pathlib import Path

from regen_compare import __version__
from regen_compare.store.regular import Refusal, read_regular

CACHE_ENV = "REGEN_COMPARE_CACHE"
NO_CACHE_ENV = "REGEN_COMPARE_NO_CACHE"
CACHE_FORMAT = 3
"""Bump when what is cached changes shape in a way the source hash would not show."""
_MAGIC = b"regen-compare-cache-3\n"
_KEY_LEN = 64
_CRC_LEN = 4
ENTRY_MODE = 0o600
MAX_ENTRY_BYTES = 64 * 1024 * 1024
"""An entry is smaller than the two files it holds (each at most 16 MiB): anything larger is
not one of ours, and is not read."""
MAX_SOURCE_BYTES = 4 * 1024 * 1024
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("regen-compare", appauthor=False))


@functools.cache
def structure_version() -> str:
    """What shapes a cached entry: our code, the Python that marshals it and the validator
    that accepted its data (pydantic's version file, read without importing pydantic: its
    version pins pydantic-core's)."""
    digest = hashlib.sha256()
    for part in (str(CACHE_FORMAT), __version__, sys.version):
        digest.update(part.encode() + b"\0")
    digest.update(_pydantic_version() + b"\0")
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0")
        digest.update(_source_bytes(source))
        digest.update(b"\0")
    return digest.hexdigest()


def _pydantic_version() -> bytes:
    spec = importlib.util.find_spec("pydantic")  # finds the package, does not import it
    folders = spec.submodule_search_locations if spec is not None else None
    if not folders:
        return b"no pydantic"
    return _source_bytes(Path(next(iter(folders))) / "version.py")


def _source_bytes(source: Path) -> bytes:
    """A source file's bytes, read only when it is a regular file of a sane size: a FIFO or
    device planted among the package's files must not hang every start (what was refused
    stands in the key instead)."""
    found = read_regular(source, MAX_SOURCE_BYTES)
    return found.reason.encode() if isinstance(found, Refusal) else found


def make_key(today: date, *files: bytes) -> str:
    """The key of an entry: the code's shape, the date and the bytes of the files it holds
    (the catalog's: therapies.toml and payers.toml; the regions': regions.toml)."""
    digest = hashlib.sha256()
    for part in (structure_version(), today.isoformat()):
        digest.update(part.encode() + b"\0")
    for data in files:
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def entry_name(data_dir: Path) -> str:
    """The file name of the entry for a data folder (one entry per folder; the regions
    entry is named after the regions file's path)."""
    return hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:24] + ".entry"


def _legacy_name(data_dir: Path) -> str:
    """Where format 2 kept its pickle: removed when a new entry is stored."""
    return entry_name(data_dir).removesuffix(".entry") + ".pickle"


def _entry(folder: Path, data_dir: Path) -> Path:
    return folder / entry_name(data_dir)


def _open_folder(folder: Path) -> int | None:
    """A handle on the cache folder if it may be trusted (ours, not group/other-writable)."""
    if not hasattr(os, "getuid"):
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NONBLOCK | _O_CLOEXEC)
    except OSError:  # missing, or not a folder (O_DIRECTORY)
        return None
    try:
        info = os.fstat(fd)
    except OSError:
        os.close(fd)
        return None
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        os.close(fd)
        return None
    return fd


def _entry_trusted(info: os.stat_result) -> bool:
    """Checked on the open file: a regular file of ours that only we can read and write."""
    return (
        stat.S_ISREG(info.st_mode)
        and info.st_uid == os.getuid()
        and stat.S_IMODE(info.st_mode) == ENTRY_MODE
    )


def load(data_dir: Path, key: str) -> bytes | None:
    """The cached payload for `key`, or None (missing, stale, foreign, untrusted or damaged)."""
    folder = cache_dir()
    if folder is None:
        return None
    dir_fd = _open_folder(folder)
    if dir_fd is None:
        return None
    try:
        fd = os.open(
            entry_name(data_dir),
            os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_CLOEXEC,
            dir_fd=dir_fd,
        )
    except OSError:
        return None
    finally:
        os.close(dir_fd)
    try:
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not _entry_trusted(info) or info.st_size > MAX_ENTRY_BYTES:
                return None
            if handle.read(len(_MAGIC)) != _MAGIC:
                return None
            if handle.read(_KEY_LEN).decode("ascii", "replace") != key:
                return None
            crc = handle.read(_CRC_LEN)
            payload = handle.read(MAX_ENTRY_BYTES)
    except OSError:  # unreadable: rebuilt, never fatal
        return None
    return payload if crc == _crc(payload) else None


def _crc(payload: bytes) -> bytes:
    return zlib.crc32(payload).to_bytes(_CRC_LEN, "big")


def store(data_dir: Path, key: str, payload: bytes) -> None:
    """Write the entry; failure to cache is never an error (the data loaded fine)."""
    from regen_compare.store.atomic import (  # only a load that parsed writes an entry
        WriteError,
        write_in_folder,
    )

    folder = cache_dir()
    if folder is None or not hasattr(os, "getuid"):
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return
    dir_fd = _open_folder(folder)
    if dir_fd is None:
        return
    try:
        write_in_folder(
            dir_fd,
            folder,
            entry_name(data_dir),
            b"".join((_MAGIC, key.encode("ascii"), _crc(payload), payload)),
            mode=ENTRY_MODE,
            overwrite=True,
            replace_link=True,
        )
        os.unlink(_legacy_name(data_dir), dir_fd=dir_fd)
    except (WriteError, OSError):
        return
    finally:
        os.close(dir_fd)
