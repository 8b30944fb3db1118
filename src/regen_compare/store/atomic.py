"""The one way regen-compare writes a file: whole or not at all, and never through a link.

Every write path (handout export from the command line and the TUI, saved scenarios, `schema
--out`, the cache) comes here. The recipe:

1. The folder is opened once and every later step works relative to that handle, so the
   folder cannot be swapped underneath the write.
2. The final path is examined with `lstat` (links are *not* followed). A folder, FIFO, device
   or socket is refused ("is a folder" comes before any "already exists"). A symbolic link is
   refused unless the caller forces the write; then the link itself is replaced by a regular
   file and whatever it pointed to is never opened. An existing regular file is refused unless
   the caller allows overwriting.
3. The new content is written to a file with no name in the same folder (`O_TMPFILE`, where
   the system has it), given its mode with `fchmod` (never inherited from a file that happened
   to be there) and `fsync`ed; only then is it given a temporary name (`linkat` of
   `/proc/self/fd/N`), an instant before the switch. Where there is no `O_TMPFILE` (or no
   `/proc`), a fresh temporary file is created by name with `O_CREAT | O_EXCL | O_NOFOLLOW`
   (a planted file or link of that name makes the create fail instead of being written
   through) and written the same way.
4. Just before the switch the final name is examined again; then `os.replace` (a rename never
   follows a link in its last component) and an `fsync` of the folder make the change durable.

A crash at any point leaves the old file byte for byte, or the new one. A killed write leaves
nothing behind, except one killed in the instant between naming and switching (or on a
system without `O_TMPFILE`): a `.NAME.*.rc-tmp` file that the next write of NAME, or
`remove_stale_temp_files`, deletes once it is an hour old and ours (a younger one may be
another process's write in progress). The file format is always judged by the caller from the
path as given, never from a link's target (this module never looks at the target).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

TEMP_PREFIX = "."
TEMP_SUFFIX = ".rc-tmp"
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_TMPFILE = getattr(os, "O_TMPFILE", 0)
STALE_SECONDS = 3600.0
"""A temp file this old is no longer being written (a write takes milliseconds)."""
# `os.replace` is `os.rename` without the Windows refusal and takes the same `src_dir_fd` and
# `dst_dir_fd`, but CPython lists only `os.rename` in `supports_dir_fd`: asking about
# `os.replace` answered "no" on Linux, and every write went by path.
_USE_DIR_FD = os.open in os.supports_dir_fd and os.rename in os.supports_dir_fd


class WriteError(Exception):
    """A file could not be written; the old file (if any) is untouched."""


def _explain(exc: OSError, target: os.PathLike[str] | str) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return f"{target}: not enough disk space; the old file was left as it was"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"{target}: permission denied (is the folder read-only?); nothing was changed"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"{target}: the folder does not exist"
    if exc.errno == errno.EISDIR:
        return f"{target}: is a folder"
    if exc.errno == errno.ELOOP:
        return f"{target}: is a symbolic link; nothing was written"
    return f"{target}: cannot write ({exc.strerror or exc})"


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _link_text(shown: str, target: str | None, *, force_helps: bool) -> str:
    """Why a link was refused; `--force` is suggested only where it would replace the link
    (a write that may already overwrite but never replaces links, like `schema --out`, has
    no such option)."""
    where = f" (to {target})" if target is not None else ""
    if not force_helps:
        return f"{shown}: is a symbolic link{where}; nothing was written (remove the link first)"
    return (
        f"{shown}: is a symbolic link{where}; nothing was written. Use --force to replace "
        "the link itself with a new file (what it points to is never changed)"
    )


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextlib.contextmanager
def _open_folder(folder: Path) -> Iterator[int | None]:
    """A handle on the folder (None where `dir_fd` is not supported: paths are used)."""
    if not _USE_DIR_FD:
        yield None
        return
    try:
        fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENOTDIR:
            raise WriteError(f"{folder}: is not a folder") from None
        raise WriteError(_explain(exc, folder)) from None
    try:
        yield fd
    finally:
        os.close(fd)


def _lstat(name: str, dir_fd: int | None, folder: Path) -> os.stat_result | None:
    path = name if dir_fd is not None else str(folder / name)
    try:
        return os.stat(path, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _readlink(name: str, dir_fd: int | None, folder: Path) -> str | None:
    try:
        if dir_fd is not None:
            return os.readlink(name, dir_fd=dir_fd)
        return os.readlink(folder / name)
    except OSError:
        return None


def check_target(
    path: str | os.PathLike[str], *, overwrite: bool, replace_link: bool | None = None
) -> str | None:
    """What a write to `path` would replace: None (nothing), "file" or "link".

    Raises `WriteError` with a clear message when the write must be refused: a folder, FIFO,
    device or socket always; a link unless `replace_link` (default: `overwrite`); an existing
    regular file unless `overwrite`. Links are never followed.
    """
    shown = os.fspath(path)
    target = Path(path)
    if replace_link is None:
        replace_link = overwrite
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(_explain(exc, shown)) from None
    return _judge(info, shown, overwrite, replace_link, lambda: _readlink_path(target))


def _readlink_path(target: Path) -> str | None:
    try:
        return os.readlink(target)
    except OSError:
        return None


def _judge(
    info: os.stat_result,
    shown: str,
    overwrite: bool,
    replace_link: bool,
    link_target: Callable[[], str | None],
) -> str:
    if stat.S_ISLNK(info.st_mode):
        if not replace_link:
            raise WriteError(_link_text(shown, link_target(), force_helps=not overwrite))
        return "link"
    if not stat.S_ISREG(info.st_mode):
        raise WriteError(f"{shown}: {_kind(info.st_mode)}; nothing was written")
    if not overwrite:
        raise WriteError(f"{shown}: already exists (use --force to replace it)")
    return "file"


def write_atomic(
    path: str | os.PathLike[str],
    data: bytes | str,
    *,
    mode: int | None = None,
    overwrite: bool = True,
    replace_link: bool | None = None,
) -> Path:
    """Write `data` to `path` atomically and return `path` (as given: links are not resolved).

    `mode`: the permissions of the written file, whatever was there before; None keeps an
    existing regular file's mode (a new file, or one replacing a link: 0o666 minus the umask).
    `overwrite`: an existing regular file may be replaced. `replace_link`: a symbolic link at
    `path` is replaced by the new file (its target is never touched); default `overwrite`.
    Folders, FIFOs, devices and sockets are always refused. Raises `WriteError`.
    """
    target = Path(path)
    if not target.name or target.name in (".", ".."):
        raise WriteError(f"{os.fspath(path)}: is a folder")
    folder = target.parent
    with _open_folder(folder) as dir_fd:
        return write_in_folder(
            dir_fd,
            folder,
            target.name,
            data,
            mode=mode,
            overwrite=overwrite,
            replace_link=overwrite if replace_link is None else replace_link,
            shown=os.fspath(path),
        )


def write_in_folder(
    dir_fd: int | None,
    folder: Path,
    name: str,
    data: bytes | str,
    *,
    mode: int | None,
    overwrite: bool,
    replace_link: bool,
    shown: str | None = None,
) -> Path:
    """`write_atomic` inside a folder the caller has already opened (and checked) as `dir_fd`.

    The cache uses this so the folder it vetted is the folder it writes into.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = folder / name
    shown = shown if shown is not None else str(target)
    try:
        info = _lstat(name, dir_fd, folder)
    except OSError as exc:
        raise WriteError(_explain(exc, shown)) from None
    new_mode = mode
    if info is not None:
        kind = _judge(info, shown, overwrite, replace_link, lambda: _readlink(name, dir_fd, folder))
        if new_mode is None and kind == "file":
            new_mode = stat.S_IMODE(info.st_mode)
    if new_mode is None:
        new_mode = _default_mode()
    tmp_name: str | None = None
    try:
        tmp_name = _written_temp(dir_fd, folder, name, payload, new_mode)
        # The name may have changed since it was examined: look again right before the switch.
        again = _lstat(name, dir_fd, folder)
        if again is not None:
            _judge(again, shown, overwrite, replace_link, lambda: _readlink(name, dir_fd, folder))
        if dir_fd is not None:
            os.replace(tmp_name, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
        else:
            os.replace(folder / tmp_name, target)
        tmp_name = None
        _fsync_folder(dir_fd, folder)
    except OSError as exc:
        raise WriteError(_explain(exc, shown)) from None
    finally:
        if tmp_name is not None:
            _unlink(dir_fd, folder, tmp_name)
    _remove_stale(dir_fd, folder, TEMP_PREFIX)
    return target


def _written_temp(dir_fd: int | None, folder: Path, name: str, payload: bytes, mode: int) -> str:
    """The name of a temp file beside `name` holding all of `payload` with `mode`, synced:
    written without a name and named once complete where the system allows (see the module
    docstring), else created exclusively by name and written."""
    fd = _anonymous_temp(dir_fd, folder)
    if fd is not None:
        try:
            _write_synced(fd, payload, mode)
            named = _name_anonymous(fd, dir_fd, name)
        finally:
            os.close(fd)
        if named is not None:
            return named
    fd, tmp_name = _create_temp(dir_fd, folder, name)
    try:
        _write_synced(fd, payload, mode)
    except BaseException:
        _unlink(dir_fd, folder, tmp_name)
        raise
    finally:
        os.close(fd)
    return tmp_name


def _unlink(dir_fd: int | None, folder: Path, name: str) -> None:
    with contextlib.suppress(OSError):
        if dir_fd is not None:
            os.unlink(name, dir_fd=dir_fd)
        else:
            os.unlink(folder / name)


def _write_synced(fd: int, payload: bytes, mode: int) -> None:
    """All of `payload`, the mode set on the open file, then fsync (the file stays open)."""
    view = memoryview(payload)
    while view:
        written = os.write(fd, view)
        view = view[written:]
    os.fchmod(fd, mode)
    os.fsync(fd)


def _anonymous_temp(dir_fd: int | None, folder: Path) -> int | None:
    """A file with no name in the folder (`O_TMPFILE`), or None where there is none: a write
    killed before the file is named leaves nothing behind."""
    if not _O_TMPFILE:
        return None
    flags = os.O_WRONLY | _O_TMPFILE | _O_CLOEXEC
    try:
        if dir_fd is not None:
            return os.open(".", flags, 0o600, dir_fd=dir_fd)
        return os.open(folder, flags, 0o600)
    except OSError:  # no support on this file system (or no right: the named path says why)
        return None


def _name_anonymous(fd: int, dir_fd: int | None, name: str) -> str | None:
    """Give the written anonymous file a temp name beside `name` (`linkat` through
    /proc/self/fd with AT_SYMLINK_FOLLOW, which needs no privilege); None where that cannot
    be done (no folder handle, no /proc)."""
    if dir_fd is None:  # `link` without a folder handle would link the /proc link itself
        return None
    source = f"/proc/self/fd/{fd}"
    for _ in range(100):
        tmp_name = _temp_name(name)
        try:
            os.link(source, tmp_name, dst_dir_fd=dir_fd, follow_symlinks=True)
        except FileExistsError:
            continue
        except OSError:
            return None
        return tmp_name
    return None


def _temp_name(name: str) -> str:
    return f"{TEMP_PREFIX}{name}.{os.urandom(6).hex()}{TEMP_SUFFIX}"


def _create_temp(dir_fd: int | None, folder: Path, name: str) -> tuple[int, str]:
    """A new, empty temp file beside `name`: created exclusively, never through a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC
    for _ in range(100):
        tmp_name = _temp_name(name)
        try:
            if dir_fd is not None:
                return os.open(tmp_name, flags, 0o600, dir_fd=dir_fd), tmp_name
            return os.open(folder / tmp_name, flags, 0o600), tmp_name
        except FileExistsError:
            continue
    raise OSError(errno.EEXIST, "no free temporary file name")


def _fsync_folder(dir_fd: int | None, folder: Path) -> None:
    if dir_fd is not None:
        with contextlib.suppress(OSError):
            os.fsync(dir_fd)
        return
    try:
        fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _is_stale(info: os.stat_result, now: float, older_than: float) -> bool:
    """A temp file we may delete: a regular file or link (unlinking never follows a link),
    owned by this user, and old enough that no write is still using it."""
    ours = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    kind_ok = stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)
    return ours and kind_ok and now - info.st_mtime >= older_than


def _remove_stale(dir_fd: int | None, folder: Path, prefix: str) -> None:
    """After a write: the stale temp files killed writes left in the folder (of any name),
    quietly; younger ones may be another process's write in progress."""
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.listdir(dir_fd if dir_fd is not None else folder):
            if not (entry.startswith(prefix) and entry.endswith(TEMP_SUFFIX)):
                continue
            info = _lstat(entry, dir_fd, folder)
            if info is not None and _is_stale(info, now, STALE_SECONDS):
                _unlink(dir_fd, folder, entry)


def remove_stale_temp_files(
    folder: str | os.PathLike[str], *, older_than: float = STALE_SECONDS
) -> list[Path]:
    """Delete temp files killed writes left behind in `folder`; return what was removed.

    Only our own names, only files this user owns, and only regular files or links
    (unlinking never follows a link); `older_than` (seconds): younger ones are kept, as
    another process may still be writing them (two saves at once must both succeed)."""
    removed: list[Path] = []
    base = Path(folder)
    if not base.is_dir():
        return removed
    now = time.time()
    for candidate in base.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if _is_stale(os.lstat(candidate), now, older_than):
                candidate.unlink()
                removed.append(candidate)
    return removed
