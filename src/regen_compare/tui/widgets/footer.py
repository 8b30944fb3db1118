"""The footer every screen uses: its keys on one line, drawn as one piece of text.

Textual's `Footer` builds a widget per key and rebuilds them all on every change of the
screen's bindings (a focus change, a dialog opening), restyling each: tens of milliseconds at
each start and each screen switch, with the keys absent from the first frame. This footer
renders the same keys (the screen's active bindings that are shown, one per action, the
command palette's key at the right) as a `Text` and updates it when the bindings change; a
click on a key runs its action. A key that is off just now reads "(off)", not only a dimmer
colour. Below 100 columns the keys are packed closer so all of them fit at 80.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget

COMPACT_BELOW = 100


class _Key(NamedTuple):
    start: int
    end: int
    action: str
    node: DOMNode


class AppFooter(Widget):
    DEFAULT_CSS = """
    AppFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._keys: list[_Key] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self.refresh()

    def _shown(self) -> list[tuple[Binding, bool, DOMNode]]:
        """The screen's shown bindings, one per action, in the screen's order."""
        seen: set[str] = set()
        shown = []
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            shown.append((binding, enabled, node))
        return shown

    def render(self) -> RenderResult:
        compact = self.size.width < COMPACT_BELOW
        gap = " " if compact else "  "
        key_style = "bold reverse" if not compact else "bold"
        text = Text(no_wrap=True, overflow="ellipsis")
        self._keys = []
        for binding, enabled, node in self._shown():
            if binding.key == self.app.COMMAND_PALETTE_BINDING:
                continue
            start = len(text)
            label = self.app.get_key_display(binding)
            text.append(f" {label} " if not compact else label, key_style)
            text.append(" " + binding.description + ("" if enabled else " (off)"))
            style = "" if enabled else "dim"
            if style:
                text.stylize(style, start)
            self._keys.append(_Key(start, len(text), binding.action, node))
            text.append(gap)
        palette = self._palette_key()
        if palette is not None:
            binding, node = palette
            hint = f"{self.app.get_key_display(binding)} palette"
            room = self.size.width - len(text) - len(hint) - 1
            if room > 0:
                text.append(" " * room)
                start = len(text)
                text.append(hint, "dim")
                self._keys.append(_Key(start, len(text), binding.action, node))
        return text

    def _palette_key(self) -> tuple[Binding, DOMNode] | None:
        if not self.app.ENABLE_COMMAND_PALETTE:
            return None
        found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return None if found is None else (found.binding, found.node)

    async def on_click(self, event: events.Click) -> None:
        """A click on a key runs its action, as pressing it would."""
        for key in self._keys:
            if key.start <= event.x < key.end:
                event.stop()
                await self.app.run_action(key.action, key.node)
                return
