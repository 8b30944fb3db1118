"""The reference for start-up figures: the least a Textual app can do, one label.

The same app as ../shared/tools/hello_app.py. It answers ctrl+p (Textual's command palette)
like regen-compare does, so both are timed until the same key is acted on."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Label


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("HELLO-READY")


if __name__ == "__main__":
    Hello().run()
