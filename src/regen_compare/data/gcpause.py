"""One way to keep the cyclic garbage collector out of a load.

Loading a large catalog allocates hundreds of thousands of small objects and no cycles; a full
collection in the middle of it is one long C call holding the GIL (the TUI would stall) and
can triple the load time. `paused()` switches the collector off for the duration and back on
afterwards. Switched back on, it would walk every object the block made, in one go, up to
three times as they are promoted (at 10,000 therapies: 0.2-0.4 s each, on whichever thread
allocates next, often the event loop's). `paused(keep=True)` says the block built long-lived
data (the app uses it for the first load and for new prices): those objects are then frozen
(`gc.freeze`), out of every future collection. Frozen objects are still freed by reference
counting, so a pricing that a newer one replaces goes as usual (rows have no cycles:
tests/test_gcpause.py proves the bundled catalog and its rows are freed). What else was
alive at that moment is frozen too, and a cycle among it that later becomes garbage (a toast
that has timed out) is not collected until `thaw()` gives everything back to the collector
(the app does at each reload of the data, which is not kept: a dialog open during a reload
must still be freed).
Pauses may nest and overlap across threads: the collector comes back on when the last one
ends, and only if it was on when the first one began.

A start is one more pause (`hold_for_start` … `start_over`): from the command line's first
line to the app's first frame, a run builds its modules, widgets, catalog and rows, all long
lived and without cycles, and the collections the allocations would trigger (about a hundred,
~10 ms at 30 therapies) find nothing to free. The app ends it when its first frame is shown,
keeping what the start built frozen; every other command as soon as it knows it is one.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False
_keep = False


def _enter() -> None:
    """One more pause (the caller holds `_lock`): the first switches the collector off."""
    global _depth, _was_enabled
    if _depth == 0:
        _was_enabled = gc.isenabled()
        gc.disable()
    _depth += 1


def _leave(*, keep: bool) -> None:
    """One pause fewer (the caller holds `_lock`); `keep`: what it built lives long. The last
    freezes what any pause asked to keep and switches the collector back on if it was."""
    global _depth, _keep
    _keep = _keep or keep
    _depth -= 1
    if _depth == 0:
        if _keep:
            gc.freeze()
        _keep = False
        if _was_enabled:
            gc.enable()


@contextlib.contextmanager
def paused(keep: bool = False) -> Iterator[None]:
    """Run the block with the cyclic GC switched off. `keep`: what the block built lives
    long (a catalog, its prices): when the collector comes back on, everything it tracks is
    moved out of its generations (`gc.freeze`), so no collection walks it again. A block
    that fails keeps nothing."""
    with _lock:
        _enter()
    kept = False
    try:
        yield
        kept = keep
    finally:
        with _lock:
            _leave(keep=kept)


_start: list[bool] = []
"""A start's pause, while it holds (at most one)."""


def hold_for_start() -> None:
    """Switch the collector off for a start; `start_over` ends it (once)."""
    with _lock:
        if not _start:
            _start.append(True)
            _enter()


def start_over(*, keep: bool) -> None:
    """End the start's pause, if one holds (later calls do nothing). `keep`: what the start
    built lives as long as the run (the app's first frame is up): freeze it, as `paused`
    does."""
    with _lock:
        if _start:
            _start.clear()
            _leave(keep=keep)


def thaw() -> None:
    """Give what `paused(keep=True)` froze back to the collector (collected as usual from the
    next full collection)."""
    gc.unfreeze()
