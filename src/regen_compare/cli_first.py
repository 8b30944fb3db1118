"""Starting the app from a remembered first frame (`first_frame`), before anything heavy.

When this exact start (the same words, folder, environment, date, code and files) showed
its data before, the table is drawn from that record at once; the usual start — parsing
the options, loading and checking the data, the live screen — then runs inside the app
(`tui.app.FirstStart`), and its errors end the app and are reported as usual. Only the
standard library, Textual and the table's own modules are imported on this path; with a
painted frame (`painted_frame`), the table is on screen before Textual is imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from regen_compare import first_frame, painted_frame


def remembered(words: Sequence[str]) -> first_frame.Found | None:
    """The remembered first frame for these command-line words, or None."""
    return first_frame.find(first_frame.Request.current(words))


def start(words: Sequence[str], found: first_frame.Found) -> int:
    """Run the app from `found`; the usual start follows behind it (see the docstring).

    In a terminal that showed this frame before, its characters are written first, before
    Textual is imported (`painted_frame`); if the app ends before Textual took the terminal
    over, the painting is undone here, before any error is reported."""
    paint = painted_frame.start(found.entry)
    try:
        return _run(words, found.screen, paint)
    finally:
        if paint is not None:
            paint.abandon()


def _run(words: Sequence[str], shown: first_frame.Screen, paint: painted_frame.Paint | None) -> int:
    from regen_compare.tui.app import run_tui
    from regen_compare.tui.first_start import FirstStart

    def prepare() -> dict[str, Any]:
        from regen_compare.cli_parser import build_parser
        from regen_compare.cli_tui import start_arguments

        args = build_parser().parse_args(list(words))
        args.start_argv = tuple(words)
        return start_arguments(args)

    return run_tui(first=FirstStart(shown, prepare, paint))
