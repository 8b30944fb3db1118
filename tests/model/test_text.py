"""Data text never acts on a terminal: every path shows it through `display_safe`."""

from __future__ import annotations

import io
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from regen_compare.model.text import display_safe, text_problem

PAYLOADS = [
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07",  # OSC 8 link
    "\x1b]0;PWNED\x07",  # window title
    "\x1b[2J\x1b[H",  # CSI clear screen
    "\x9b31m",  # 8-bit CSI
    "\x1bP1$qm\x1b\\",  # DCS
    "\x1b_APC\x1b\\",  # APC
    "\u202eevil\u202c",  # bidi override
    "\u2066x\u2069",  # bidi isolate
    "a\u200bb",  # zero-width space
    "\x00\x07\x08\x7f",
]


def _bad(ch: str) -> bool:
    return not ch.isprintable() and ch not in "\u00a0\u202f"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")) | st.sampled_from(PAYLOADS))
def test_display_safe_output_has_no_controls(value: str) -> None:
    safe = display_safe(value)
    for i, ch in enumerate(safe):
        if ch == "\u200d":  # a joiner survives only between two emoji
            assert 0 < i < len(safe) - 1
            continue
        assert not _bad(ch), (value, safe)
    buffer = io.StringIO()
    Console(file=buffer, force_terminal=True, no_color=True, width=200).print(Text(safe))
    assert "\x1b" not in buffer.getvalue()
    assert "\x9b" not in buffer.getvalue()


def test_payloads_become_visible_text() -> None:
    for payload in PAYLOADS:
        safe = display_safe(payload)
        assert "\x1b" not in safe and "\u202e" not in safe
    assert display_safe("\x1b]52;c;AAAA\x07") == "\\x1b]52;c;AAAA\\x07"
    assert display_safe("line\nbreak") == "line\\x0abreak"
    assert display_safe("line\nbreak", multiline=True) == "line\nbreak"
    assert display_safe("x" * 100, limit=10) == "x" * 10 + "… (90 more characters)"
    assert display_safe("x" * 11, limit=10) == "x" * 10 + "… (1 more character)"
    assert display_safe("x" * 10, limit=10) == "x" * 10


def test_validation_rejects_what_display_would_escape() -> None:
    for payload in PAYLOADS:
        assert text_problem(payload) is not None
    assert text_problem("Family 👨\u200d👩\u200d👧") is None  # a joiner inside emoji is text
    assert text_problem("Stem cell [autologous] [/]") is None  # brackets are just text
    assert text_problem("café – 10\u00a0mg") is None
    assert unicodedata.category("\u200b") == "Cf"
