"""One way to keep the cyclic garbage collector out of a load.

Loading a large catalog allocates hundreds of thousands of small objects and no cycles; a full
collection in the middle of it is one long C call holding the GIL (the TUI would stall) and
can triple the load time. `paused()` switches the collector off for the duration and back on
afterwards, and nothing else: no `gc.freeze()`, so a catalog replaced by a reload is freed like
any other object. Pauses may nest and overlap across threads: the collector comes back on when
the last one ends, and only if it was on when the first one began.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic GC switched off."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
