"""The side-by-side: the marked therapies as columns, a chart of cumulative cost, export.

The chart's module (and with it textual-plotext) is imported the first time the chart is
shown, never at start-up.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static

from regen_compare.consult import Change
from regen_compare.present import chances
from regen_compare.present.comparison import comparison, not_asked_line
from regen_compare.tui import keys
from regen_compare.tui.keys import WHAT_MATTERS_KEY
from regen_compare.tui.view import ConsultView
from regen_compare.tui.widgets.banners import Disclaimer, ProfileBar
from regen_compare.tui.widgets.compare_grid import (
    compare_table,
    ethics_notes,
    icon_arrays,
    legend,
)
from regen_compare.tui.widgets.footer import AppFooter


class CompareScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = keys.bindings(keys.COMPARE)

    def __init__(self, view: ConsultView) -> None:
        super().__init__()
        self.view = view
        self.consult = view.consult

    def compose(self) -> ComposeResult:
        yield ProfileBar(id="compare-title", prefix="Side by side · ")
        with ContentSwitcher(initial="compare-table", id="compare-switcher"):
            with VerticalScroll(id="compare-table", can_focus=True):
                yield Static(id="compare-grid")
            yield Vertical(id="compare-chart")
        yield Disclaimer(id="compare-disclaimer")
        yield AppFooter()

    def on_mount(self) -> None:
        self.view.changed.subscribe(self, self._on_state, immediate=True)
        self._show()
        self.query_one("#compare-table").focus()

    def _on_state(self, change: Change) -> None:
        self._show()

    @property
    def showing_chart(self) -> bool:
        return self.query_one(ContentSwitcher).current == "compare-chart"

    def on_resize(self) -> None:
        """The pictures of 100 people are laid out for the width (`icon_arrays`)."""
        if self.is_mounted:
            self._show()

    def _show(self) -> None:
        c = self.consult
        rows = c.marked_rows()
        self.query_one(ProfileBar).show(c.catalog, c.session.profile)
        grid = self.query_one("#compare-grid", Static)
        if not rows:
            grid.update(
                Text(
                    "Nothing marked. Press esc, mark therapies with space, or press u here "
                    "to add the usual care for the condition."
                )
            )
        else:
            asked = c.session.weights_asked
            lines = comparison(rows, c.session.profile, c.session.weights if asked else None)
            if not asked:
                lines = [not_asked_line(rows, hint=f"{WHAT_MATTERS_KEY}: what matters"), *lines]
            parts: list[RenderableType] = [compare_table(rows, lines), legend(rows)]
            pictures = icon_arrays(rows, self.app.size.width - 2)
            if pictures is not None:
                parts += [Text("\nOut of 100 people (what trials found)", style="bold"), pictures]
                parts.append(Text(chances.ICON_LEGEND, style="italic"))
            parts.append(ethics_notes(rows))
            grid.update(Group(*parts))
        if self.showing_chart:
            self._plot()

    def _plot(self) -> None:
        from regen_compare.tui.widgets.cost_chart import CostChart

        holder = self.query_one("#compare-chart", Vertical)
        charts = holder.query(CostChart)
        if charts:
            chart = charts.first()
        else:
            chart = CostChart()
            holder.mount(chart)
        profile = self.consult.session.profile
        self.call_after_refresh(
            chart.plot, self.consult.marked_rows(), profile.years, profile.payer is None
        )

    def action_toggle_chart(self) -> None:
        switcher = self.query_one(ContentSwitcher)
        if self.showing_chart:
            switcher.current = "compare-table"
            self.query_one("#compare-table").focus()
        else:
            switcher.current = "compare-chart"
            self._plot()

    @property
    def grid_text(self) -> str:
        """The side-by-side as plain text (for tests)."""
        grid = self.query_one("#compare-grid", Static)
        return (
            "\n".join(line.text for line in grid.render_lines(grid.region.reset_offset))
            if grid.region.area
            else ""
        )
