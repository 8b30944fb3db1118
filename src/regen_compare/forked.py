"""Work done by a forked child while this process does its own, the result sent back as bytes.

Two jobs use it: parsing a large file on two cores (`parse_split`) and building a first
start's preview while Textual is imported (`tui.preview_frame`). A fork shares what this
process has imported and read, costs a few milliseconds, and everything the child allocates
is gone when it exits, so a job's peak memory never stays behind in this process.

Only on Linux (fork without exec: the child imports nothing it does not need), from a
process with one thread (fork copies only the calling thread, maybe with a lock another one
held), that waits for its children (SIGCHLD not ignored), with two CPUs or more (else the
two parts only take turns). SIGINT and SIGTERM are held across the fork, so that neither can
land between the fork and the code that cleans up after it, in either process; Ctrl+C then
lands in this process's part, and the child is killed. A child never returns into the
caller's code (a test runner, the command line): it writes and leaves.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO, NoReturn, TypeVar

T = TypeVar("T")

_HELD = {signal.SIGINT, signal.SIGTERM}


def available() -> bool:
    """Whether forking is safe and can help here."""
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    if threading.active_count() != 1:
        return False  # the child would hold only this thread, maybe a lock another one held
    if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN:
        return False  # children reap themselves: no status to wait for, and a pid may be reused
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except OSError:  # pragma: no cover - the call is Linux's own
        return False


def beside(child_work: Callable[[], bytes], own_part: Callable[[], T]) -> tuple[T, bytes | None]:
    """`own_part()` here while a forked child runs `child_work()`: what each gave. The child's
    bytes are None when no pipe or process could be made, or the child did not finish its
    work (it raised, was killed, or this process was interrupted: then it is killed)."""
    started = _start_child(child_work)
    if started is None:
        return own_part(), None
    pid, pipe, mask = started
    finished = False
    status = -1
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # Ctrl+C now lands in this `try`
        mine = own_part()
        data = pipe.read()
        finished = True
    finally:
        pipe.close()
        if not finished:  # interrupted: its work is no longer wanted (not reaped: still ours)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            status = os.waitpid(pid, 0)[1]
    return mine, data if status == 0 else None


def _start_child(
    child_work: Callable[[], bytes],
) -> tuple[int, BinaryIO, set[int | signal.Signals]] | None:
    """The child's pid, the pipe it writes to and the signal mask to restore (`_HELD` are
    held until then); None when no pipe or process could be made."""
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # pragma: no cover - runs in the child
        _run_child(read_fd, write_fd, mask, child_work)
    os.close(write_fd)
    return pid, os.fdopen(read_fd, "rb"), mask


def _run_child(  # pragma: no cover - runs in the child
    read_fd: int, write_fd: int, mask: set[int | signal.Signals], child_work: Callable[[], bytes]
) -> NoReturn:
    """Do the work, write it, and leave (status 0 only when all of it was written)."""
    status = 1
    try:
        os.close(read_fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        data = child_work()
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)
