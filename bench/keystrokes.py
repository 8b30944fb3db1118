"""Keystroke → frame, headless and in-process: the app as the command line builds it, driven
by Textual's Pilot; the clock runs from the moment the key event is posted to the app until
the first frame whose table holds the rows that key produced.

    python bench/keystrokes.py DATA_DIR ROUNDS   # prints {"filter": [s, ...], "sort": [...]}

Filter: typing 'knee' into the search box and erasing it (8 keys a round). Sort: a money
column, reversed, then the name column, reversed (4 keys a round). Run in a fresh process
per data set by bench/run.py, so the benchmark's own heap does not weigh on the app's.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

SIZE = (120, 40)
FILTER_KEYS = ("k", "n", "e", "e", "backspace", "backspace", "backspace", "backspace")
SORT_KEYS = ("3", "3", "1", "1")


async def measure(data_dir: Path, rounds: int) -> dict[str, list[float]]:
    from textual import events

    from regen_compare.cli.launch import start_arguments
    from regen_compare.cli.parser import build_parser
    from regen_compare.tui.app import make_app
    from regen_compare.tui.widgets.therapy_table import TherapyTable

    words = ["--data-dir", str(data_dir), "--payer", "payer-01", "--years", "5"]
    app = make_app(
        **start_arguments(build_parser().parse_args(words)),
        watch_files=False,
        cursor_blink=False,
    )
    state = {"pressed": 0.0, "version": 0, "seen": 0, "frame": 0.0, "armed": 0.0}
    times: dict[str, list[float]] = {"filter": [], "sort": []}
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(TherapyTable)
        for _ in range(600):
            if table.rows_painted:
                break
            await pilot.pause(0.05)
        original_set_data = table.set_data

        def counting_set_data(*args: Any, **kwargs: Any) -> None:
            state["version"] += 1
            original_set_data(*args, **kwargs)

        table.set_data = counting_set_data  # type: ignore[method-assign]
        original_hook = app.post_display_hook

        def hook() -> None:
            if state["pressed"] and state["version"] > state["seen"] and not state["frame"]:
                state["frame"] = time.perf_counter()
            original_hook()

        app.post_display_hook = hook  # type: ignore[method-assign]
        original_post = app.post_message

        def post_message(message: Any) -> bool:
            # The clock starts when the key event is posted to the app, not when Pilot
            # begins (Pilot first waits for the screen to be idle).
            if isinstance(message, events.Key) and state["armed"]:
                state["pressed"] = time.perf_counter()
                state["armed"] = 0.0
            return original_post(message)

        app.post_message = post_message  # type: ignore[method-assign]

        async def timed(key: str) -> float:
            state.update(seen=state["version"], frame=0.0, pressed=0.0, armed=1.0)
            await pilot.press(key)
            for _ in range(5000):
                if state["frame"]:
                    break
                await asyncio.sleep(0.001)  # not Pilot.pause: it queues work on every widget
            if not state["frame"]:
                raise RuntimeError(f"no frame with new rows after {key!r}")
            return state["frame"] - state["pressed"]

        await pilot.press("/")
        for _ in range(rounds):
            for key in FILTER_KEYS:
                times["filter"].append(await timed(key))
        await pilot.press("escape")
        for _ in range(rounds):
            for key in SORT_KEYS:
                times["sort"].append(await timed(key))
    return times


if __name__ == "__main__":
    print(json.dumps(asyncio.run(measure(Path(sys.argv[1]), int(sys.argv[2])))))
