"""The footer every screen uses: Textual's, compact below 100 columns so all keys fit at 80."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer

COMPACT_BELOW = 100


class AppFooter(Footer):
    # Textual's compact footer runs the key into its label ("spaceMark"), which reads badly
    # without colour; keep one space between them at the same total width.
    DEFAULT_CSS = """
    AppFooter.-compact FooterKey.-compact .footer-key--key { padding: 0 1 0 0; }
    AppFooter.-compact FooterKey.-compact .footer-key--description { padding: 0; }
    """

    def compose(self) -> ComposeResult:
        compact = self.app.size.width < COMPACT_BELOW  # in the first frame, not after a resize
        self.compact = compact  # its reactive sets the `-compact` class too
        yield from super().compose()

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
