"""The one way regen-compare writes a file: whole or not at all.

Temp file in the same folder (so the rename is atomic), flush and fsync, keep the old file's
mode, `os.replace`, fsync the folder. A symlinked target is written through, keeping the link.
A crash at any point leaves the old file byte for byte, or the new one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

TEMP_PREFIX = "."
TEMP_SUFFIX = ".rc-tmp"


class WriteError(Exception):
    """A file could not be written; the old file (if any) is untouched."""


def _explain(exc: OSError, target: Path) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"{target}: not enough disk space; the old file was left as it was"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{target}: permission denied (is the folder read-only?); nothing was changed"
    if exc.errno == errno.ENOENT:
        return f"{target}: the folder does not exist"
    if exc.errno == errno.EISDIR:
        return f"{target}: is a folder"
    return f"{target}: cannot write ({exc.strerror or exc})"


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    mode: int | None = None,
    overwrite: bool = True,
) -> Path:
    """Write `data` to `path` atomically and return the path written (symlinks resolved).

    `mode` sets the permissions of a new file (default: 0o666 minus the umask); an existing
    file keeps its own. With `overwrite=False` an existing target is an error.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = Path(path)
    if target.is_symlink():
        target = target.resolve()
    if target.exists() and not overwrite:
        raise WriteError(f"{path}: already exists (use --force to replace it)")
    if target.is_dir():
        raise WriteError(f"{path}: is a folder")
    folder = target.parent
    try:
        existing = os.stat(target)
        new_mode = stat.S_IMODE(existing.st_mode)
    except FileNotFoundError:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            new_mode = 0o666 & ~umask
        else:
            new_mode = mode
    except OSError as exc:
        raise WriteError(_explain(exc, target)) from None
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=folder, prefix=f"{TEMP_PREFIX}{target.name}.", suffix=TEMP_SUFFIX
        )
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, new_mode)
        os.replace(tmp_name, target)
        tmp_name = None
        _fsync_folder(folder)
    except OSError as exc:
        raise WriteError(_explain(exc, target)) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return target


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temp_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Delete temp files a killed write left behind in `folder`; return what was removed."""
    removed: list[Path] = []
    base = Path(folder)
    if not base.is_dir():
        return removed
    for candidate in base.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            candidate.unlink()
            removed.append(candidate)
    return removed
