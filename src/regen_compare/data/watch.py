"""Noticing that the data files changed on disk, cheaply enough to ask every second.

A signature is (mtime_ns, size, inode) per file, or None when a file is missing; any
difference means "reload". Polling beats inotify here: it works the same on every platform,
with editors that replace files by renaming, and on network folders.
"""

from __future__ import annotations

import os
from pathlib import Path

from regen_compare.data.load import PAYERS_FILE, THERAPIES_FILE
from regen_compare.data.regions import REGIONS_FILE

FileStamp = tuple[int, int, int] | None
Signature = tuple[FileStamp, ...]


def _stamp(path: Path) -> FileStamp:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def signature(data_dir: Path) -> Signature:
    """The stamps of the therapies, payers and regions files (a regions file added, edited or
    removed reloads too)."""
    return tuple(_stamp(data_dir / name) for name in (THERAPIES_FILE, PAYERS_FILE, REGIONS_FILE))
