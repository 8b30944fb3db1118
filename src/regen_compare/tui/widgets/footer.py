"""The footer every screen uses: Textual's, compact below 100 columns so all keys fit at 80."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from regen_compare.tui.textual_adapter import footer_keys_at_once

COMPACT_BELOW = 100


class AppFooter(Footer):
    # Textual's compact footer runs the key into its label ("spaceMark"), which reads badly
    # without colour; keep one space between them at the same total width.
    DEFAULT_CSS = """
    AppFooter.-compact FooterKey.-compact .footer-key--key { padding: 0 1 0 0; }
    AppFooter.-compact FooterKey.-compact .footer-key--description { padding: 0; }
    """

    def __init__(self, *, keys_at_once: bool = False) -> None:
        """`keys_at_once`: draw the screen's keys in its first frame, once (Textual's footer
        waits a frame for the focused widget's keys): for a screen whose keys never change."""
        super().__init__()
        self._keys_at_once = keys_at_once

    def compose(self) -> ComposeResult:
        compact = self.app.size.width < COMPACT_BELOW  # in the first frame, not after a resize
        self.compact = compact  # its reactive sets the `-compact` class too
        if self._keys_at_once:
            footer_keys_at_once(self)
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Textual rebuilds every key on each bindings signal. Keys drawn at once are kept:
        on the remembered screen, the one user, no key does anything until the live screen
        is there (the table's Mark included: only the live screen handles its message), so
        they are drawn disabled before the table takes the focus and stay so; rebuilt, they
        were made three or four times while the live screen was built behind them."""
        if not self._keys_at_once:
            super().bindings_changed(screen)

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
