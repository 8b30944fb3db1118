"""regen-compare started exactly as the command line starts it, with a heartbeat on its event
loop: a 10 ms interval timer whose late ticks are the loop's stalls.

    python bench/heartbeat_app.py OUT.json [regen-compare options]

Run in a real terminal (bench/run.py runs it in tmux and types into it). When the app quits
(ctrl+q) it writes OUT.json: the seconds from start to its first frame, the longest gap between
beats from that frame until the quit key arrived, when (after the first frame) that gap ended
and the last key read before it ended; and the same for the longest gap that did not follow
ctrl+p (opening the command palette, the probe key of the start-up figures). Benchmark code
lives here, in a subclass, never in the app.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

BEAT = 0.01
"""Seconds between heartbeats: a gap much longer than this is the loop held up."""
PALETTE_KEY = "ctrl+p"
"""The probe key: the palette it opens is drawn over the whole main screen."""


def last_key(keys: list[tuple[float, str]], moment: float) -> str:
    """The last key read before `moment` ("" if none)."""
    before = [key for t, key in keys if t <= moment]
    return before[-1] if before else ""


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    out = Path(argv[0])
    # The command line's own start path: parse, load (through the cache) and check, then the
    # app prices the data before its first frame (`regen_compare.cli.launch.cmd_tui`).
    from regen_compare.cli.launch import start_arguments
    from regen_compare.cli.parser import build_parser

    start = start_arguments(build_parser().parse_args(argv[1:]))
    from textual import events

    from regen_compare.tui import app as app_module

    class HeartbeatApp(app_module.RegenCompareApp):
        CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.beats: list[float] = []
            self.first_frame: float | None = None
            self.quit_at: float | None = None
            self.keys: list[tuple[float, str]] = []

        async def on_event(self, event: events.Event) -> None:
            if isinstance(event, events.Key):
                self.keys.append((time.perf_counter(), event.key))
            await super().on_event(event)

        def on_mount(self) -> None:  # runs before the app's own on_mount
            self.set_interval(BEAT, lambda: self.beats.append(time.perf_counter()))

        def post_display_hook(self) -> None:
            if self.first_frame is None:
                self.first_frame = time.perf_counter()
            super().post_display_hook()

        async def action_quit(self) -> None:
            if self.quit_at is None:
                self.quit_at = time.perf_counter()
            await super().action_quit()

    app = HeartbeatApp(**start)
    app.run()
    first, end = app.first_frame, app.quit_at or time.perf_counter()
    result: dict[str, Any] = {"first_frame": None, "max_gap": None, "at": None, "beats": 0}
    if first is not None:
        ticks = [first, *(b for b in app.beats if first < b < end), end]
        gaps = [(b - a, b, last_key(app.keys, b)) for a, b in itertools.pairwise(ticks)]
        gap, ended, key = max(gaps)
        others = [g for g in gaps if g[2] != PALETTE_KEY] or [(0.0, first, "")]
        other, other_ended, other_key = max(others)
        result = {
            "first_frame": first - started,
            "max_gap": gap,
            "at": ended - first,
            "after_key": key,
            "max_gap_other": other,
            "other_at": other_ended - first,
            "other_after_key": other_key,
            "beats": len(ticks),
        }
    out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
