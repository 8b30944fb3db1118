"""A real program in a pseudo-terminal of a fixed size, for tests that check the bytes a
terminal receives (Pilot runs headless and never encodes a frame to escape sequences)."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import sys
import termios
import time

COLUMNS, LINES = 100, 30
CSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


class Terminal:
    def __init__(self, argv: list[str], extra_env: dict[str, str] | None = None) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: a real terminal of a fixed size, then the app
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "HOME": os.environ.get("HOME", "/tmp"),
                "TERM": "xterm-256color",
                "COLORTERM": "truecolor",
                "LANG": "C.UTF-8",
                "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
                "XDG_DATA_HOME": os.environ.get("XDG_DATA_HOME", "/tmp"),
                "XDG_CACHE_HOME": os.environ.get("XDG_CACHE_HOME", "/tmp"),
                "XDG_CONFIG_HOME": os.environ.get("XDG_CONFIG_HOME", "/tmp"),
                **(extra_env or {}),
            }
            os.execve(sys.executable, [sys.executable, *argv], env)
        self.pid, self.fd = pid, fd
        self.output = bytearray()

    def read(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # the child closed the terminal
                return
            if not chunk:
                return
            self.output += chunk

    def text(self) -> str:
        return CSI.sub(b"", bytes(self.output)).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 15) -> None:
        end = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > end:
                raise AssertionError(f"{needle!r} never appeared on the terminal")
            self.read(0.1)

    def press(self, keys: str, settle: float = 0.35) -> None:
        os.write(self.fd, keys.encode())
        self.read(settle)

    def finish(self, timeout: float = 10) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read(0.1)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.read(0.2)
                os.close(self.fd)
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        raise AssertionError("the app did not quit on ctrl+q")
