"""Parse large TOML files on two cores, giving the very documents one parse of each would.

At 10,000 therapies the parse is two thirds of a load (~2.1 s of ~3.3 s with tomli's compiled
parser), and it runs on one core. Where a second core is free, a forked child parses the tail
of the largest file (from a `[[key]]` header on) and every other file, while this process
parses the head; the child hands its tables back pickled through a pipe.

Why a head and a tail give exactly the whole file's document, or nothing:

- The head is parsed with a `[[key]]` header appended (the probe). That parses only if the
  parser, reading the whole file, would be between two statements at the cut with a new
  `[[key]]` element allowed there: not inside a multi-line string or array (the cut line is
  then not a header at all), not after `key = [...]` (a static array takes no new element),
  not after `[key]` (a table). The probe's empty element is then taken off.
- The tail starts with that header, and its document must hold that key alone. Every header
  in it then names `key` or a table under it, which TOML resolves to the elements the tail
  itself appended (each new `[[key]]` element clears what the tables under `key` have
  declared), so nothing in it reads or changes what the head defined.
- Anything else (a part that does not parse, a child that fails or is killed, tables that do
  not come back whole) gives None for that file: the caller parses it whole, as it always
  did, and reports its problems with the whole file's lines.

Only on Linux (fork without exec: the child imports nothing), from a process with one thread
(fork copies only the calling thread) that waits for its children (SIGCHLD not ignored), with
two CPUs or more, and for files large enough to pay for the fork (a few milliseconds). A pipe
or a process that cannot be made leaves every file to the caller too.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import re
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, NoReturn

Loads = Callable[[str], dict[str, Any]]
Job = tuple[str, str]
"""A file's text and the array of tables it may be cut at (`therapy`, `payer`)."""

MIN_CHARS = 1 << 20
"""Below this many characters in all, one process parses faster than two (fork, pickle)."""
CHILD_COST = 1.1
"""The child's work per character (parse, then pickle) against a parse alone: the largest file
is cut where both processes finish together."""
MAX_SHARE = 0.95
"""When the other files are nearly as large, the largest is not cut: this process parses it
whole while the child parses the others."""


def available() -> bool:
    """Whether forking a parser is safe and can help here."""
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


def header_at(text: str, key: str, start: int) -> int | None:
    """The first line from `start` on that reads `[[key]]` (and maybe a comment); never the
    first line. Whether it really is a header is for the probe to say."""
    pattern = re.compile(rf"^\[\[{re.escape(key)}\]\][ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE)
    match = pattern.search(text, max(start, 1))
    return match.start() if match else None


def head_document(head: str, key: str, loads: Loads) -> dict[str, Any] | None:
    """The head's document, if a `[[key]]` element may follow it (else None; may raise what
    the parser raises)."""
    document = loads(head + f"[[{key}]]\n")
    entries = document.get(key)
    if not isinstance(entries, list) or entries[-1:] != [{}]:
        return None  # pragma: no cover - the probe always adds one empty element
    entries.pop()
    return document


def tail_entries(tail: str, key: str, loads: Loads) -> list[Any] | None:
    """The tail's elements of `key`, if that is all the tail defines."""
    document = loads(tail)
    entries = document.get(key)
    if list(document) != [key] or not isinstance(entries, list):
        return None
    return entries


def joined(head: dict[str, Any] | None, key: str, tail: list[Any] | None) -> dict[str, Any] | None:
    """The whole file's document from its two parts, or None when either is missing."""
    if head is None or tail is None:
        return None
    head[key].extend(tail)
    return head


def documents(
    jobs: Sequence[Job], loads: Loads, *, min_chars: int | None = None
) -> list[dict[str, Any] | None]:
    """Each file's document, parsed on two processes; None for a file that could not be
    parsed that way (the caller parses it whole)."""
    results: list[dict[str, Any] | None] = [None] * len(jobs)
    least = MIN_CHARS if min_chars is None else min_chars
    if not jobs or sum(len(text) for text, _ in jobs) < least or not available():
        return results
    big = max(range(len(jobs)), key=lambda i: len(jobs[i][0]))
    text, key = jobs[big]
    others = [i for i in range(len(jobs)) if i != big]
    rest = sum(len(jobs[i][0]) for i in others)
    share = CHILD_COST * (len(text) + rest) / ((1 + CHILD_COST) * len(text))
    cut = header_at(text, key, int(len(text) * share)) if share < MAX_SHARE else None
    work: list[tuple[str, str | None]] = [(jobs[i][0], None) for i in others]
    if cut is not None:
        work.append((text[cut:], key))
    if not work:
        return results  # nothing to share: the caller parses the one file whole

    def own_part() -> dict[str, Any] | None:
        if cut is None:
            return loads(text)
        return head_document(text[:cut], key, loads)

    mine, theirs = _with_child(work, loads, own_part)
    for i, found in zip(others, theirs[: len(others)], strict=True):
        results[i] = found
    if cut is None:
        results[big] = mine
    else:
        results[big] = joined(mine, key, theirs[-1])
    return results


def _child_work(work: Sequence[tuple[str, str | None]], loads: Loads) -> bytes:
    found: list[Any] = []
    for text, key in work:
        try:
            found.append(loads(text) if key is None else tail_entries(text, key, loads))
        except Exception:  # the parser's error, RecursionError, MemoryError...: parse whole
            found.append(None)
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # no memo: parsed TOML is a tree (no shared or cyclic parts); 2× faster
    pickler.dump(found)
    return out.getvalue()


_HELD = {signal.SIGINT, signal.SIGTERM}
"""Held across the fork, so that neither can land between the fork and the code that cleans
up after it, in either process."""


def _with_child(
    work: Sequence[tuple[str, str | None]],
    loads: Loads,
    own_part: Callable[[], dict[str, Any] | None],
) -> tuple[dict[str, Any] | None, list[Any]]:
    """`own_part()` here while a forked child does `work`; what each found (None for what
    failed, every part of `work` None when the child did not finish or could not start)."""
    started = _start_child(work, loads)
    if started is None:
        return None, [None] * len(work)  # no pipe or no process to spare: parse it all whole
    pid, pipe, mask = started
    finished = False
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # Ctrl+C now lands in this `try`
        try:
            mine = own_part()
        except Exception:  # the parser's error and the like: the caller parses the file whole
            mine = None
        data = pipe.read()
        finished = True
    finally:
        pipe.close()
        if not finished:  # interrupted: its work is no longer wanted (not reaped: still ours)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return mine, _unpickled(data, len(work))


def _start_child(
    work: Sequence[tuple[str, str | None]], loads: Loads
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
        _run_child(read_fd, write_fd, mask, work, loads)
    os.close(write_fd)
    return pid, os.fdopen(read_fd, "rb"), mask


def _run_child(  # pragma: no cover - runs in the child
    read_fd: int,
    write_fd: int,
    mask: set[int | signal.Signals],
    work: Sequence[tuple[str, str | None]],
    loads: Loads,
) -> NoReturn:
    """Do the work, write it, and leave: never back into the caller's code (a test runner,
    the command line), whatever happens."""
    status = 1
    try:
        os.close(read_fd)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        data = _child_work(work, loads)
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)


def _unpickled(data: bytes, count: int) -> list[Any]:
    """What the child found, or None for each part (it died before writing, or was cut off)."""
    try:
        found = pickle.loads(data)
    except Exception:
        return [None] * count
    if not isinstance(found, list) or len(found) != count:
        return [None] * count  # pragma: no cover - our own child wrote it
    return found
