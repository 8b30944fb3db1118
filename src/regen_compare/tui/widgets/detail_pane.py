"""The detail pane: everything about the highlighted therapy, scrollable.

A holder only; the text comes from `detail_text` (pure and tested on its own).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import BALANCED, Weights
from regen_compare.engine.query import Row
from regen_compare.model.catalog import Catalog
from regen_compare.tui.detail_text import detail_text


class DetailPane(VerticalScroll, can_focus=True):
    """Focusable so the keyboard can scroll it (tab to it, then arrows / page keys)."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Nothing selected."), id="detail-body")

    _shown: tuple[object, ...] | None = None

    def show(
        self,
        row: Row | None,
        catalog: Catalog | None,
        profile: Profile,
        stale: Sequence[str] = (),
        weights: Weights = BALANCED,
    ) -> None:
        shown = (row, id(catalog), profile, tuple(stale), weights)
        if shown == self._shown:
            return  # same therapy, same figures: no re-render, no re-layout
        self._shown = shown
        body = self.query_one("#detail-body", Static)
        if row is None or catalog is None:
            body.update(Text("No therapy highlighted.", style="italic"))
        else:
            body.update(detail_text(row, catalog, profile, stale, weights))
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """What the pane shows, as plain text (for tests)."""
        content = self.query_one("#detail-body", Static).content
        return content.plain if isinstance(content, Text) else str(content)
