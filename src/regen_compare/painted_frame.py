"""The first frame, painted: the exact characters Textual wrote to this terminal for a
remembered first frame (`first_frame`), kept so that the next identical start in a terminal
of the same size and kind can write them itself, before Textual is even imported.

Why: a remembered first frame still waits for Python to import Textual and for Textual to
lay out its screen (~0.4 s here) before anything shows. The frame Textual writes for the
same record in the same terminal is always the same characters, so after one start has
written it (captured by `tui.paint_driver`), the next writes them at once; Textual then
starts in the same alternate screen (its own switch to it is skipped, see `Paint.passes`)
and writes the same frame over it, so nothing on screen moves. The keys work, as before,
from the moment Textual runs; keys typed before wait in the terminal, unechoed, for it.

An entry is keyed on the remembered entry it was drawn from (its file name and the SHA-256
of its bytes: the request, the date, our code and the data are all in it), the terminal's
size and the environment variables that change how Textual draws; it also names Textual's
own file, with its size and modification time, and is ignored when Textual changed. It
gets the same trust checks as the record (`first_frame.read_entry`), and its characters are
checked before they are written: only colour and style codes, cursor moves to the start of
each row (every row of the terminal, in order, so the frame covers the whole screen), new
lines and display-safe text. Anything else — a title, a query, a bell, a control character —
and the entry is not used (and is never written). No Textual, pydantic or model code here.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from typing import Any, NamedTuple

from regen_compare import first_frame
from regen_compare.safe_text import display_safe

FORMAT = 1
PREFIX = "paint-"
SUFFIX = ".ans"
MAX_ENTRY_BYTES = 512 * 1024
ALT_SCREEN = "\x1b[?1049h"
ENTER = ALT_SCREEN + "\x1b[?25l\x1b[?7l"
"""Before a painted frame: the alternate screen (as Textual uses), no cursor, no line wrap."""
LEAVE = "\x1b[?7h\x1b[?25h\x1b[?1049l"
"""Undoes `ENTER` when the app ends before Textual took the terminal over."""
ENV_NAMES = frozenset(
    {"TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR", "TERM_PROGRAM", "TERM_PROGRAM_VERSION"}
    | {"LANG", "LC_ALL", "LC_CTYPE", "COLUMNS", "LINES"}
)
ENV_PREFIXES = ("TEXTUAL_",)
DROPPED = re.compile(r"\x1b\[\?2026[hl]|\x1b\]22;[a-z-]{0,32}\x07")
"""What Textual writes around a frame that is not the frame: synchronised-output brackets
and the mouse pointer's shape. Removed from a capture before it is checked."""
_TOKEN = re.compile(r"\x1b\[[0-9;]{0,64}m|\x1b\[(\d{1,5});(\d{1,5})H|\n|[^\x00-\x1f\x7f-\x9f]+")


class Terminal(NamedTuple):
    """The terminal a frame is painted on: its size and what tells Textual how to draw."""

    columns: int
    lines: int
    env: tuple[tuple[str, str], ...]

    @classmethod
    def current(cls) -> Terminal | None:
        """This process's terminal; None unless stdin and stdout are one and Textual would
        draw on it with its own terminal driver."""
        if os.name != "posix" or os.environ.get("TEXTUAL_DRIVER"):
            return None
        try:
            if not (os.isatty(0) and os.isatty(1)):
                return None
            size = os.get_terminal_size(1)
        except OSError:
            return None
        env = sorted(
            (k, v) for k, v in os.environ.items() if k in ENV_NAMES or k.startswith(ENV_PREFIXES)
        )
        return cls(size.columns, size.lines, tuple(env))


def entry_name(terminal: Terminal, drawn_from: str) -> str:
    parts = [FORMAT, list(terminal), drawn_from]
    return PREFIX + hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:40] + SUFFIX


def stamp(path: str) -> list[Any] | None:
    """Which copy of a file this is (path, size, modification time); None when absent."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [path, info.st_size, info.st_mtime_ns]


def checked(frame: str, terminal: Terminal) -> bool:
    """Whether `frame` is only a whole screen of text for `terminal` (module docstring)."""
    rows: list[int] = []
    final_move = False
    position = 0
    while position < len(frame):
        token = _TOKEN.match(frame, position)
        if token is None or (position == 0 and token.group(1) is None):
            return False  # (and it starts by moving to the first row)
        if token.group(1) is not None:
            row, column = int(token.group(1)), int(token.group(2))
            if final_move or not (1 <= row <= terminal.lines and 1 <= column <= terminal.columns):
                return False
            if len(rows) == terminal.lines:
                final_move = True  # where the cursor is left once every row is drawn
            elif column != 1 or row != len(rows) + 1:
                return False
            else:
                rows.append(row)
        elif token.group(0)[0] not in "\x1b\n" and display_safe(token.group(0)) != token.group(0):
            return False
        position = token.end()
    return len(rows) == terminal.lines


def lookup(terminal: Terminal, drawn_from: str) -> str | None:
    """The painted frame for this terminal and remembered entry, or None."""
    raw = first_frame.read_entry(entry_name(terminal, drawn_from), MAX_ENTRY_BYTES)
    if raw is None:
        return None
    try:
        head, _, body = raw.partition(b"\n")
        header = json.loads(head)
        textual = header["textual"]
        if header.get("format") != FORMAT or stamp(str(textual[0])) != textual:
            return None
        frame = body.decode("utf-8")
    except (ValueError, KeyError, TypeError, IndexError):
        return None
    return frame if checked(frame, terminal) else None


def remember(terminal: Terminal, drawn_from: str, captured: str, textual_file: str) -> bool:
    """Keep what Textual wrote for its first frame (`captured`), if it is only a frame."""
    frame = DROPPED.sub("", captured)
    textual = stamp(textual_file)
    if textual is None or not checked(frame, terminal):
        return False
    payload = json.dumps({"format": FORMAT, "textual": textual}).encode() + b"\n"
    payload += frame.encode("utf-8")
    if len(payload) > MAX_ENTRY_BYTES:
        return False
    return first_frame.write_entry(entry_name(terminal, drawn_from), payload, PREFIX, SUFFIX)


class Paint:
    """One start's painted frame: written before Textual starts, or captured once it draws.

    The terminal driver (`tui.paint_driver`) calls `hand_over` as Textual takes the terminal
    over and passes every write through `passes`; the command line calls `abandon` when the
    app has ended, which undoes the painting if Textual never took over (an error or Ctrl+C
    while importing, say), so the shell is never left on a hidden screen.
    """

    def __init__(self, terminal: Terminal, drawn_from: str, fds: tuple[int, int] = (0, 1)) -> None:
        self.terminal = terminal
        self._input, self._output = fds
        self.drawn_from = drawn_from
        self.painted = False
        self.handed_over = False
        self._saved_input: list[Any] | None = None
        self._alt_screen_skipped = False
        self._capture: list[str] | None = None
        self._capture_begun = False

    def show(self, frame: str) -> None:
        """Write `frame`. Keys typed from now wait in the terminal, unechoed and unprocessed,
        as Textual's input mode would have them (no echo, no line editing, no flow control:
        Ctrl+Q is a key, not XON), and reach Textual once it reads them."""
        import termios  # (POSIX only: `Terminal.current` is None elsewhere)

        try:
            self._saved_input = termios.tcgetattr(self._input)
            keys = termios.tcgetattr(self._input)
            signals = termios.ISIG if not os.environ.get("TEXTUAL_ALLOW_SIGNALS") else 0
            keys[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | signals)
            keys[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR)
            keys[0] &= ~termios.IGNCR
            termios.tcsetattr(self._input, termios.TCSANOW, keys)
        except termios.error:
            self._saved_input = None
        self.painted = True
        _write_all(self._output, (ENTER + frame).encode("utf-8"))

    def hand_over(self) -> None:
        """Textual is taking the terminal over: give it the input settings it found."""
        if self.handed_over:
            return
        self.handed_over = True
        self._restore_input()

    def started(self) -> None:
        """Textual has set the terminal up: from here it writes frames, the first of which
        is kept when nothing was painted (once: not again after a suspend and resume)."""
        if not self.painted and not self._capture_begun:
            self._capture_begun = True
            self._capture = []

    def passes(self, data: str) -> bool:
        """Whether Textual's write goes to the terminal: all but its first switch to the
        alternate screen when that is already on and painted (a terminal may clear it)."""
        if self.painted and not self._alt_screen_skipped and data == ALT_SCREEN:
            self._alt_screen_skipped = True
            return False
        if self._capture is not None:
            self._capture.append(data)
        return True

    def take(self) -> str | None:
        """What Textual wrote since it took over (once; then capturing stops)."""
        captured, self._capture = self._capture, None
        return "".join(captured) if captured is not None else None

    def abandon(self) -> None:
        if self.painted and not self.handed_over:
            self.handed_over = True
            self._restore_input()
            _write_all(self._output, LEAVE.encode())

    def _restore_input(self) -> None:
        if self._saved_input is not None:
            import termios

            with contextlib.suppress(termios.error):
                termios.tcsetattr(self._input, termios.TCSANOW, self._saved_input)
            self._saved_input = None


def start(drawn_from: str) -> Paint | None:
    """Paint the frame kept for this terminal and remembered entry, if there is one; None
    when this is not a terminal Textual draws on (then nothing is painted or captured)."""
    terminal = Terminal.current()
    if terminal is None:
        return None
    paint = Paint(terminal, drawn_from)
    frame = lookup(terminal, drawn_from)
    if frame is not None:
        paint.show(frame)
    return paint


def _write_all(fd: int, data: bytes) -> None:
    while data:
        try:
            data = data[os.write(fd, data) :]
        except InterruptedError:
            continue
        except OSError:
            return
