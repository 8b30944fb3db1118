"""The loader children of one app, so that quitting does not wait for a load nobody wants.

A first load of large data runs in a child process for seconds (`loader`), waited on by a
thread worker; Textual's event loop, when it closes, waits for every such thread. So the app
stops its children when it exits (`stop`): each is killed with the processes it forked (its
own process group, in the terminal's session), and the waiting thread gets `Stopped` at
once instead of a result; the worker asks again (`check`) before it prices. What is already
running in the thread itself (reading the cache, pricing) still finishes: up to ~3 s at
10,000 therapies. Standard library only: the app creates one at start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Sequence


class Stopped(Exception):
    """The app is closing: the load's result is not wanted."""


class Children:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self.stopped = False

    def run(self, argv: Sequence[str], env: dict[str, str]) -> tuple[int, bytes]:
        """Run `argv` to its end: its exit code and what it wrote. Raises `Stopped` when the
        app stopped its children before or while it ran, and `OSError` when it cannot start."""
        with self._lock:
            self.check()
            child = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                process_group=0,  # its own group: it and the parser it forks go together
            )
            self._running.add(child)
        try:
            out, _ = child.communicate()
        finally:
            with self._lock:
                self._running.discard(child)
        self.check()
        return child.returncode, out

    def check(self) -> None:
        """Raise `Stopped` once the app has stopped its children."""
        if self.stopped:
            raise Stopped

    def stop(self) -> None:
        """Kill every child now running and refuse to start more."""
        with self._lock:
            self.stopped = True
            for child in self._running:
                if child.returncode is not None:
                    continue  # reaped already: its pid may be another process's by now
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child.pid, signal.SIGKILL)
