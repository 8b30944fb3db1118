"""A checkbox that says its state in words and shows its mark only when on.

Textual's checkbox draws the same `X` on and off and tells them apart by colour alone: with
NO_COLOR (or a monochrome terminal) an "off" box reads as ticked. This one leaves the box
empty when off and puts the state first in its label (`Covered only: off`), so a narrow
screen never cuts the state off.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Checkbox

ON_MARK = "X"
OFF_MARK = " "


class SwitchBox(Checkbox):
    """`name: on` / `name: off (detail)`; the box marked only when on."""

    def __init__(
        self, name: str, value: bool = False, *, detail: str = "", id: str | None = None
    ) -> None:
        self._what, self._detail = name, detail
        super().__init__(self._words(value), value, id=id, compact=True)
        self.BUTTON_INNER = ON_MARK if value else OFF_MARK

    def _words(self, value: bool) -> Text:
        """The label as text, never markup."""
        words = f"{self._what}: {'on' if value else 'off'}"
        return Text(f"{words} ({self._detail})" if self._detail else words)

    def watch_value(self) -> None:
        """The mark and the words follow the value (then Textual's own reaction: the `-on`
        class and the `Changed` message)."""
        self.BUTTON_INNER = ON_MARK if self.value else OFF_MARK
        self.label = self._words(self.value)
        super().watch_value()
