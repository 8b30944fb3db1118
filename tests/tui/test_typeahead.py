"""Keys typed from the first instant are kept: the real app in a real pseudo-terminal,
`/cyclobenz` written before the app has drawn anything; once it is up, the list shows the
one match, and the letters ran no command (the theme, the sort and the marks are as they
were). This is what a person typing ahead of a slow start sees."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pty_terminal import Terminal

pytestmark = pytest.mark.slow  # a real terminal and a whole start: .ci/run runs it

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("keys", ["/cyclobenz", "/stem"])
def test_keys_typed_before_the_first_frame_are_applied_in_order(keys: str, tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("pseudo-terminals as Linux has them")
    argv = ["-m", "regen_compare", "--data-dir", str(REPO / "data")]
    term = Terminal(argv, {"REGEN_COMPARE_CACHE": str(tmp_path / "cache")})
    term.press(keys, settle=0)  # before the interpreter has even imported Textual
    term.wait_for("therapies", timeout=30)
    term.read(1.5)
    screen = term.text()
    if keys == "/cyclobenz":
        assert re.search(r"\b1 of \d+ therapies", screen), screen[-2000:]
    else:
        assert "stem" in screen and re.search(r"\b\d+ of \d+ therapies", screen)
    assert "Theme:" not in screen  # `t` changed no theme
    term.press("\x11")  # ctrl+q
    assert term.finish() == 0
