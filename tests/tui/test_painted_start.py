"""A painted first frame, end to end in a real terminal (README "Performance"): the first
start records its screen, the second (a remembered frame) keeps what Textual wrote for it,
and the third writes those characters itself before Textual starts, then runs as usual.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pty_terminal import Terminal
from tui_helpers import SMALL

from regen_compare.painted_frame import ALT_SCREEN, ENTER, LEAVE

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty"),
    pytest.mark.slow,  # real processes in a pseudo-terminal: run by .ci/run (pytest -m slow)
]

ARGV = ["-m", "regen_compare", "--data-dir", str(SMALL), "--payer", "medicare"]
NAME = "Platelet-rich"


def start(cache: Path, until: Callable[[bytes], bool] = lambda raw: True) -> Terminal:
    """Run the app until its table is on screen and `until(output)` holds, then quit it."""
    term = Terminal(ARGV, {"REGEN_COMPARE_CACHE": str(cache)})
    term.wait_for(NAME)
    end = time.monotonic() + 15
    while not until(bytes(term.output).replace(b"\r\n", b"\n")):
        assert time.monotonic() < end, "the start never wrote what it should remember"
        term.read(0.1)
    term.press("\x11")  # ctrl+q
    assert term.finish() == 0
    return term


def kept(cache: Path, prefix: str) -> list[Path]:
    return sorted(cache.glob(prefix + "*")) if cache.exists() else []


def test_the_third_identical_start_paints_textuals_own_first_frame(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = start(cache, until=lambda raw: bool(kept(cache, "frame-")))
    assert not bytes(first.output).startswith(ENTER.encode())
    second = start(cache, until=lambda raw: bool(kept(cache, "paint-")))
    assert not bytes(second.output).startswith(ENTER.encode())
    (entry,) = kept(cache, "paint-")
    frame = entry.read_bytes().partition(b"\n")[2]

    third = start(cache, until=lambda raw: raw.count(frame) == 2)
    raw = bytes(third.output).replace(b"\r\n", b"\n")  # (the terminal's own line endings)
    assert raw.startswith(ENTER.encode() + frame), "the kept frame is the first thing written"
    assert raw.count(frame) == 2, "Textual then writes the very same characters over it"
    assert raw.count(ALT_SCREEN.encode()) == 1, "and does not switch to the screen again"
    assert b"\x1b[?1049l" in raw  # Textual leaves the alternate screen when the app ends
    assert NAME in third.text()
    assert len(kept(cache, "paint-")) == 1  # a painted start keeps nothing new

    # A key typed over the painted frame waits for Textual: Ctrl+Q (not XON) quits at once.
    fourth = start(cache)
    assert bytes(fourth.output).startswith(ENTER.encode() + frame[:20])
    assert "Traceback" not in fourth.text()


def test_a_start_in_another_kind_of_terminal_paints_nothing(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    start(cache, until=lambda raw: bool(kept(cache, "frame-")))
    start(cache, until=lambda raw: bool(kept(cache, "paint-")))
    other = Terminal(ARGV, {"REGEN_COMPARE_CACHE": str(cache), "COLORTERM": "", "NO_COLOR": "1"})
    other.wait_for(NAME)
    other.press("\x11")
    assert other.finish() == 0
    assert not bytes(other.output).startswith(ENTER.encode())
    assert LEAVE.encode() not in bytes(other.output)
