"""Start `regen-compare serve` in a subprocess for a test, and always stop it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

START_TIMEOUT = 30.0  # seconds until the server answers GET /
STOP_TIMEOUT = 10.0  # seconds for a clean stop after SIGTERM, before SIGKILL


def free_port() -> int:
    """A port nothing listens on right now (the kernel's pick)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def fetch(url: str, timeout: float = 5.0) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read().decode("utf-8", "replace")


def _server_command(port: int, data_dir: Path | None, extra_args: list[str]) -> list[str]:
    """The real command line a counselor types."""
    command = [sys.executable, "-m", "regen_compare", "serve", "--port", str(port)]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return command + extra_args


@contextlib.contextmanager
def served(log: Path, data_dir: Path | None, extra_args: list[str]) -> Iterator[str]:
    """The base URL of a server on a free loopback port; its output goes to `log`."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            _server_command(port, data_dir, extra_args),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its app processes share the group: one kill ends all
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while True:
                if proc.poll() is not None:
                    raise AssertionError(
                        f"server exited with {proc.returncode}:\n{log.read_text('utf-8')}"
                    )
                with contextlib.suppress(OSError):
                    if fetch(url + "/", timeout=2)[0] == 200:
                        break
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"server not answering after {START_TIMEOUT:.0f} s:\n"
                        + log.read_text("utf-8")
                    )
                time.sleep(0.1)
            yield url
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=STOP_TIMEOUT)
            # Any app process a browser session left behind is in the server's group.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
