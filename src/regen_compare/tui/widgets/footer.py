"""The footer every screen uses: Textual's, compact below 100 columns so all keys fit at 80."""

from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 100


class AppFooter(Footer):
    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
