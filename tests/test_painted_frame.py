"""The painted first frame: only a whole screen of text is ever written, only for the same
remembered entry, terminal and Textual, and the terminal is always given back.

Each rejection test adds one thing the checks must refuse; each would let it through (and
fail) if its guard in `painted_frame` were removed.
"""

from __future__ import annotations

import os
import pty
import select
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest

from regen_compare import cache, cli_first, first_frame, painted_frame
from regen_compare.painted_frame import ALT_SCREEN, ENTER, LEAVE, Paint, Terminal

TERMINAL = Terminal(10, 3, (("TERM", "xterm-256color"),))
DRAWN_FROM = "frame-abc.json:0123"


def frame(lines: int = 3, text: str = "Acetamino·") -> str:
    rows = [f"\x1b[{y};1H\x1b[1;38;5;253;48;5;17m{text}\x1b[0m" for y in range(1, lines + 1)]
    return "\n".join(rows) + "\x1b[1;1H"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(path))
    return path


@pytest.fixture
def textual_file(tmp_path: Path) -> Path:
    path = tmp_path / "textual_init.py"
    path.write_text("# Textual\n", encoding="utf-8")
    return path


def entry(folder: Path) -> Path:
    (path,) = folder.glob(painted_frame.PREFIX + "*")
    return path


# --- what a frame may hold ----------------------------------------------------------------


def test_a_whole_screen_of_text_is_a_frame() -> None:
    assert painted_frame.checked(frame(), TERMINAL)


@pytest.mark.parametrize(
    "extra",
    [
        "\x1b]0;a title\x07",
        "\x1b]52;c;aGk=\x07",
        "\x1bP+q544e\x1b\\",
        "\x1b[2J",
        "\x1b[?1049l",
        "\x1b[6n",
        "\x1b[?2026h",
        "\x07",
        "\r",
        "\t",
        "\x9b31m",
        "\u202e",
        "\x1b]22;default\x07",
    ],
    ids=[
        "title",
        "clipboard",
        "DCS query",
        "clear",
        "leave alt screen",
        "cursor query",
        "sync",
        "bell",
        "CR",
        "tab",
        "C1 CSI",
        "bidi override",
        "pointer shape",
    ],
)
def test_anything_but_text_colours_and_row_starts_is_refused(extra: str) -> None:
    good = frame()
    cut = good.index("\n")
    assert not painted_frame.checked(good[:cut] + extra + good[cut:], TERMINAL)


@pytest.mark.parametrize(
    "bad",
    [
        frame(lines=2),
        frame(lines=4),
        frame().replace("\x1b[2;1H", "\x1b[3;1H", 1),
        frame().replace("\x1b[2;1H", "\x1b[2;5H", 1),
        "x" + frame(),
        frame() + "\x1b[2;2H",
        frame().replace("\x1b[1;1H", "\x1b[1;99H"),
    ],
    ids=[
        "rows missing",
        "too many rows",
        "row skipped",
        "not at the row start",
        "text first",
        "second final move",
        "move off screen",
    ],
)
def test_only_every_row_in_order_is_a_frame(bad: str) -> None:
    assert not painted_frame.checked(bad, TERMINAL)


def test_only_the_brackets_around_a_frame_are_dropped_from_a_capture() -> None:
    captured = "\x1b]22;default\x07\x1b[?2026h" + frame() + "\x1b[?2026l"
    assert painted_frame.DROPPED.sub("", captured) == frame()
    assert painted_frame.DROPPED.sub("", "\x1b]0;t\x07") == "\x1b]0;t\x07"


# --- keeping and finding one ----------------------------------------------------------------


def test_a_kept_frame_is_found_for_the_same_start(folder: Path, textual_file: Path) -> None:
    assert painted_frame.remember(TERMINAL, DRAWN_FROM, frame(), str(textual_file))
    assert painted_frame.lookup(TERMINAL, DRAWN_FROM) == frame()
    assert entry(folder).stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    ("terminal", "drawn_from"),
    [
        (TERMINAL._replace(columns=11), DRAWN_FROM),
        (TERMINAL._replace(lines=4), DRAWN_FROM),
        (TERMINAL._replace(env=(("TERM", "xterm"),)), DRAWN_FROM),
        (TERMINAL._replace(env=(*TERMINAL.env, ("NO_COLOR", "1"))), DRAWN_FROM),
        (TERMINAL, "frame-abc.json:4567"),
    ],
    ids=["wider", "taller", "other terminal", "no colour", "another record"],
)
def test_another_terminal_or_record_misses(
    folder: Path, textual_file: Path, terminal: Terminal, drawn_from: str
) -> None:
    painted_frame.remember(TERMINAL, DRAWN_FROM, frame(), str(textual_file))
    assert painted_frame.lookup(terminal, drawn_from) is None


def test_another_textual_misses(folder: Path, textual_file: Path) -> None:
    painted_frame.remember(TERMINAL, DRAWN_FROM, frame(), str(textual_file))
    textual_file.write_text("# Textual, upgraded\n", encoding="utf-8")
    assert painted_frame.lookup(TERMINAL, DRAWN_FROM) is None


def test_a_capture_that_is_not_only_a_frame_is_not_kept(folder: Path, textual_file: Path) -> None:
    assert not painted_frame.remember(
        TERMINAL, DRAWN_FROM, frame() + "\x1b]0;t\x07", str(textual_file)
    )
    assert not folder.exists() or not list(folder.glob(painted_frame.PREFIX + "*"))


def test_a_tampered_entry_is_not_painted(folder: Path, textual_file: Path) -> None:
    painted_frame.remember(TERMINAL, DRAWN_FROM, frame(), str(textual_file))
    path = entry(folder)
    path.write_bytes(path.read_bytes().replace(b"\x1b[2;1H", b"\x1b[2;1H\x1b]0;t\x07", 1))
    assert painted_frame.lookup(TERMINAL, DRAWN_FROM) is None


def test_an_entry_others_could_write_or_a_link_is_not_painted(
    folder: Path, textual_file: Path, tmp_path: Path
) -> None:
    painted_frame.remember(TERMINAL, DRAWN_FROM, frame(), str(textual_file))
    path = entry(folder)
    os.chmod(path, 0o644)
    assert painted_frame.lookup(TERMINAL, DRAWN_FROM) is None
    os.chmod(path, 0o600)
    target = tmp_path / "elsewhere.ans"
    path.rename(target)
    path.symlink_to(target)
    assert painted_frame.lookup(TERMINAL, DRAWN_FROM) is None


def test_an_oversized_entry_is_not_painted(
    folder: Path, textual_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    painted_frame.remember(TERMINAL, DRAWN_FROM, frame(), str(textual_file))
    monkeypatch.setattr(painted_frame, "MAX_ENTRY_BYTES", 100)
    assert painted_frame.lookup(TERMINAL, DRAWN_FROM) is None


def test_no_cache_means_no_painting(
    folder: Path, textual_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    painted_frame.remember(TERMINAL, DRAWN_FROM, frame(), str(textual_file))
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    assert painted_frame.lookup(TERMINAL, DRAWN_FROM) is None


# --- the terminal -----------------------------------------------------------------------------


def test_the_terminal_key_is_its_size_and_what_tells_textual_how_to_draw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "isatty", lambda fd: True)
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((90, 30)))
    monkeypatch.delenv("TEXTUAL_DRIVER", raising=False)
    monkeypatch.setenv("TERM", "xterm-kitty")
    monkeypatch.setenv("TEXTUAL_COLOR_SYSTEM", "truecolor")
    monkeypatch.setenv("HOME", "/home/someone")
    terminal = Terminal.current()
    assert terminal is not None
    assert (terminal.columns, terminal.lines) == (90, 30)
    env = dict(terminal.env)
    assert env["TERM"] == "xterm-kitty" and env["TEXTUAL_COLOR_SYSTEM"] == "truecolor"
    assert "HOME" not in env
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual_serve.driver:WebDriver")
    assert Terminal.current() is None


def test_no_terminal_no_painting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "isatty", lambda fd: False)
    assert Terminal.current() is None


@pytest.fixture
def tty() -> Iterator[tuple[int, int]]:
    """A pseudo-terminal: (master, slave)."""
    master, slave = pty.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def drain(master: int) -> bytes:
    out = b""
    while select.select([master], [], [], 0.2)[0]:
        out += os.read(master, 65536)
    return out


def echoing(fd: int) -> bool:
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def test_painting_writes_the_frame_and_keeps_keys_from_being_echoed(
    tty: tuple[int, int],
) -> None:
    master, slave = tty
    paint = Paint(TERMINAL, DRAWN_FROM, fds=(slave, slave))
    paint.show(frame())
    assert drain(master).replace(b"\r\n", b"\n") == (ENTER + frame()).encode()
    assert not echoing(slave)
    paint.hand_over()
    assert echoing(slave)  # what Textual saves and restores when it ends
    paint.abandon()
    assert drain(master) == b""  # Textual took over: it leaves the screen itself


def test_an_app_that_ends_before_textual_took_over_leaves_the_painted_screen(
    tty: tuple[int, int],
) -> None:
    master, slave = tty
    paint = Paint(TERMINAL, DRAWN_FROM, fds=(slave, slave))
    paint.show(frame())
    drain(master)
    paint.abandon()
    assert drain(master) == LEAVE.encode()
    assert echoing(slave)


def test_the_command_line_leaves_the_painted_screen_when_the_start_fails(
    tty: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    master, slave = tty
    paint = Paint(TERMINAL, DRAWN_FROM, fds=(slave, slave))

    def painted(drawn_from: str) -> Paint:
        paint.show(frame())
        return paint

    def interrupted(*args: object) -> int:
        raise KeyboardInterrupt  # Ctrl+C while Textual is imported, say

    monkeypatch.setattr(painted_frame, "start", painted)
    monkeypatch.setattr(cli_first, "_run", interrupted)
    found = first_frame.Found(screen=None, entry=DRAWN_FROM)  # type: ignore[arg-type]
    with pytest.raises(KeyboardInterrupt):
        cli_first.start([], found)
    assert drain(master).endswith(LEAVE.encode())


def test_textual_skips_only_its_first_switch_to_a_painted_alternate_screen(
    tty: tuple[int, int],
) -> None:
    _master, slave = tty
    paint = Paint(TERMINAL, DRAWN_FROM, fds=(slave, slave))
    paint.show(frame())
    paint.hand_over()
    assert not paint.passes(ALT_SCREEN)
    assert paint.passes("\x1b[?25l")
    assert paint.passes(ALT_SCREEN)  # after a suspend and resume: the screen is needed again
    unpainted = Paint(TERMINAL, DRAWN_FROM)
    assert unpainted.passes(ALT_SCREEN)


def test_an_unpainted_start_captures_what_textual_writes_once_it_has_started() -> None:
    paint = Paint(TERMINAL, DRAWN_FROM)
    paint.hand_over()
    paint.passes(ALT_SCREEN)  # Textual's own set-up: not part of the frame
    paint.started()
    paint.passes("\x1b[1;1H")
    paint.passes("row")
    assert paint.take() == "\x1b[1;1Hrow"
    assert paint.take() is None
    paint.started()  # resumed after a suspend: nothing is captured again
    paint.passes("again")
    assert paint.take() is None


def test_a_painted_start_captures_nothing(tty: tuple[int, int]) -> None:
    _master, slave = tty
    paint = Paint(TERMINAL, DRAWN_FROM, fds=(slave, slave))
    paint.show(frame())
    paint.hand_over()
    paint.started()
    paint.passes("row")
    assert paint.take() is None
