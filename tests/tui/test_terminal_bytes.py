"""README.md, "Data text is only ever text", at the terminal: run the real TUI in a
pseudo-terminal on a catalog whose names, summaries and notes hold escape sequences and
markup, press through its screens, and check the raw bytes it wrote.

Pilot is not enough for this: headless runs skip the final encoding to escape sequences.
"""

from __future__ import annotations

import sys

import pytest
from payloads import CLICK_NAME, FORBIDDEN_BYTES, MARKUP_NAME
from pty_terminal import Terminal
from tui_helpers import HERE, MARKUP

LAUNCHER = HERE / "pty_launcher.py"

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty"),
    pytest.mark.slow,  # real processes in a pseudo-terminal: run by .ci/run (pytest -m slow)
]


def test_no_escape_sequence_or_markup_from_data_reaches_the_terminal() -> None:
    term = Terminal([str(LAUNCHER), str(MARKUP), "medicare", "knee-osteoarthritis"])
    term.wait_for(MARKUP_NAME)
    term.press(" ")  # mark: the first rows hold the hostile names
    term.press("j ")
    term.press("j ")
    term.press("j")  # the detail pane follows the cursor
    term.press("c", 0.5)  # side by side
    term.press("g", 1.0)  # the chart (lazy import of plotext)
    term.press("g", 0.4)
    term.press("\x1b", 0.5)  # back to the list
    term.press("\x1bOP", 0.5)  # F1 help
    term.press("\x1b", 0.5)
    term.press("\x10", 0.5)  # ctrl+p: the palette lists the payer names
    term.press("payer", 0.6)
    term.press("\x1b", 0.5)
    term.press("o", 0.5)  # saved scenarios (none yet)
    term.press("\x1b", 0.5)
    term.press("\x11")  # ctrl+q
    code = term.finish()

    raw = bytes(term.output)
    for sequence in FORBIDDEN_BYTES:
        assert sequence not in raw, f"{sequence!r} reached the terminal"
    text = term.text()
    assert "Traceback" not in text and "MarkupError" not in text
    assert code == 0
    # the data was shown, as text: markup literally, escapes as visible \x.. escapes
    assert MARKUP_NAME in text
    assert CLICK_NAME in text
    assert "[link=file:///etc/passwd]x[/link]" in text
    assert "\\x1b]52;c;UFdORUQ=" in text
    assert "\\x9b31m" in text
    assert "Side by side" in text and "regen-compare — keys" in text
