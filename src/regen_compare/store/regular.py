"""Reading a file the program did not write: only a regular file, only up to a size, and
never blocking on a FIFO or a device planted where the file should be.

One guard for every read of such a file (the data, regions.toml, saved scenarios, the
export settings, the package's own sources for the cache key): opened without blocking,
checked on the open file (so a file swapped for a pipe after a `stat` is still refused),
read up to one byte past the limit.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from regen_compare.model.text import display_safe

_CHUNK = 1 << 20


@dataclass(frozen=True)
class Refusal:
    """Why a file was not read, in words for a maintainer (`is a folder, not a file`)."""

    reason: str


def read_regular(path: Path, limit: int, *, follow_links: bool = True) -> bytes | Refusal:
    """The bytes of the regular file at `path` (at most `limit`), or why not: missing, a
    folder, a pipe, socket or device, larger than `limit`, unreadable, or (without
    `follow_links`) a link."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return Refusal("file not found")
    except OSError as exc:
        return Refusal(f"cannot be read: {display_safe(exc.strerror or str(exc))}")
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return Refusal("is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            return Refusal("is not a regular file (a pipe, socket or device); refused")
        if info.st_size > limit:
            return Refusal(f"is {_size(info.st_size)}; {_over(limit)}")
        chunks = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        return Refusal(f"cannot be read: {display_safe(exc.strerror or str(exc))}")
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        return Refusal(f"grew past the limit while being read; {_over(limit)}")
    return data


def _size(count: int) -> str:
    return f"{count / 1048576:.1f} MiB" if count >= 1048576 else f"{count:,} bytes"


def _over(limit: int) -> str:
    over = f"{limit // 1048576} MiB" if limit % 1048576 == 0 else _size(limit)
    return f"files over {over} are refused"
