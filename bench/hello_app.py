"""The reference for start-up figures: a minimal Textual app that shows one label and exits
right after its first frame, recording when that frame was written (same protocol as the
real app's REGEN_COMPARE_BENCH_FIRST_FRAME hook)."""

from __future__ import annotations

import json
import os
import time

from textual.app import App, ComposeResult
from textual.widgets import Label


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("Hello")

    def post_display_hook(self) -> None:
        if getattr(self, "_recorded", False):
            return
        self._recorded = True
        path = os.environ.get("REGEN_COMPARE_BENCH_FIRST_FRAME")
        if path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"first_frame": time.time(), "rows": 0}) + "\n")
        self.call_later(self.exit)


if __name__ == "__main__":
    Hello().run()
