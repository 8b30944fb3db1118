"""Cumulative out-of-pocket cost over the years: per option a central line and its range.

This module imports textual-plotext at the top; the compare screen imports *this module*
only when the chart is first shown, so start-up never pays for plotting. Each option has its
own letter as the plot marker (A, B…: upper case the central figure — the typical one, else
the midpoint, the rule every sort and ★ uses — lower case the low and high ends), so the
chart reads without colour; the legend below names the letters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.money import format_compact, whole_dollars
from regen_compare.model.text import display_safe
from regen_compare.present import figures

LETTERS = "ABCD"
COLORS = ("cyan", "orange", "magenta", "green")
"""One colour per therapy (its three lines and its legend entry); the letters carry the same
meaning without colour."""


def nice_ticks(top: int, count: int = 4) -> list[int]:
    """Round axis ticks from $0 past `top`: steps of 1, 2, 2.5 or 5 × a power of ten
    ($0, $10k, $20k…), never $9,375."""
    if top <= 0:
        return [0]
    raw = top / count
    magnitude = 10 ** (len(str(int(raw))) - 1)
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    steps = math.ceil(top / step)
    return [round(i * step) for i in range(steps + 1)]


@dataclass(frozen=True)
class Series:
    letter: str
    name: str
    low: list[int]
    central: list[int]
    high: list[int]
    """Cumulative figures from year 0 (always 0) to the horizon."""
    unknown: bool = False
    assumed: bool = False
    """The figures rest on an assumed price or number of units (the legend marks it `~`)."""


def series_for(rows: Sequence[Row]) -> tuple[list[Series], list[str]]:
    """The plotted series, and why the others cannot be plotted (trials only, no price)."""
    out: list[Series] = []
    skipped: list[str] = []
    for letter, row in zip(LETTERS, rows, strict=False):
        totals = row.cost.cumulative_patient()
        name = display_safe(row.therapy.name)
        if not totals:
            skipped.append(f"{letter} {name}: {figures.no_figure(row.cost)}")
            continue
        out.append(
            Series(
                letter,
                name,
                [0, *(whole_dollars(t.min) for t in totals)],
                [0, *(whole_dollars(t.central) for t in totals)],
                [0, *(whole_dollars(t.max) for t in totals)],
                row.cost.unknown,
                row.cost.assumed,
            )
        )
    return out, skipped


def axis_top(series: Sequence[Series]) -> tuple[int, bool]:
    """The y-axis top, and whether some high ends run off it.

    A 10-row chart cannot separate $859 from $1,279 on a $20k axis: one high range would flatten
    every typical line into the bottom rows. The axis is sized to the typical lines when a high
    end is more than twice the largest of them; those high ends run off the top (their figures
    are in the legend)."""
    central = max((max(s.central) for s in series), default=0)
    high = max((max(s.high) for s in series), default=0)
    if central <= 0 or high <= 2 * central:
        return high, False
    return central * 3 // 2, True


def hidden_along_zero(series: Sequence[Series], row_value: float) -> dict[str, str]:
    """Letter → the letter drawn over it, for each typical line that stays within the chart's
    bottom row (each row is `row_value` dollars tall) under a smaller line drawn later: the
    legend says so instead of leaving a line silently missing."""
    flat = [s for s in sorted(series, key=lambda s: -s.central[-1]) if max(s.central) < row_value]
    if len(flat) < 2:
        return {}
    on_top = flat[-1].letter
    return {s.letter: on_top for s in flat[:-1]}


PLOT_FRAME_ROWS = 5
"""Rows of the plot widget that are not plotting area: title, axis line, tick labels, x label."""


def _rich_color(plotext_color: str) -> str:
    return {"orange": "dark_orange"}.get(plotext_color, plotext_color)


class CostChart(Vertical):
    """The plot plus a text legend (the plot's own legend would cover the lines)."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[Sequence[Row], int, bool] | None = None

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="plot")
        yield Static(id="chart-legend")

    def on_resize(self) -> None:
        """The legend says which lines a row of the plot hides: that depends on the plot's
        height, so a new size draws both again."""
        if self._shown is not None:
            self.plot(*self._shown)

    def plot(self, rows: Sequence[Row], years: int, cash_only: bool) -> None:
        """Draw `rows`' cumulative costs and the legend (once the plot has its size: before
        the first layout it has none, and the rows a line needs could not be known)."""
        self._shown = (rows, years, cash_only)
        widget = self.query_one(PlotextPlot)
        if widget.size.height == 0:
            self.call_after_refresh(self.plot, rows, years, cash_only)
            return
        series, skipped = series_for(rows)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        what = "Cash cost" if cash_only else "What you pay"
        plt.title(f"{what}, cumulative over {years} year{'s' if years > 1 else ''}")
        plt.xlabel("year")
        xs = list(range(years + 1))
        # Ranges first, typical lines last: a typical line is never hidden under a range.
        for s in series:
            color = COLORS[LETTERS.index(s.letter)]
            if s.low != s.high:
                plt.plot(xs, s.high, marker=s.letter.lower(), color=color)
                plt.plot(xs, s.low, marker=s.letter.lower(), color=color)
        # The largest typical line first, the smallest last: where two share a row, the one
        # nearest the $0 axis (where most lines crowd) stays visible.
        for s in sorted(series, key=lambda s: -s.central[-1]):
            color = COLORS[LETTERS.index(s.letter)]
            plt.plot(xs, s.central, marker=s.letter, color=color)
        plt.xticks([float(x) for x in xs], [str(x) for x in xs])
        top, clipped = axis_top(series)
        hidden: dict[str, str] = {}
        if top > 0:
            ticks = nice_ticks(top)
            plt.ylim(0, ticks[-1])
            plt.yticks([float(t) for t in ticks], [format_compact(Decimal(t)) for t in ticks])
            plot_rows = max(widget.size.height - PLOT_FRAME_ROWS, 5)
            hidden = hidden_along_zero(series, ticks[-1] / plot_rows)
        widget.refresh()
        legend = _legend(series, skipped, hidden, top if clipped else None)
        self.query_one("#chart-legend", Static).update(legend)


def _legend(
    series: Sequence[Series], skipped: Sequence[str], hidden: dict[str, str], clipped_at: int | None
) -> Text:
    """The letters' names and figures, the lines the plot cannot show (under another line,
    not charted, high ends off the top at `clipped_at`), and what the letters' cases mean."""
    legend = Text()
    for s in series:
        color = COLORS[LETTERS.index(s.letter)]
        legend.append(f"{s.letter}/{s.letter.lower()} ", f"bold {_rich_color(color)}")
        low, central, high = s.low[-1], s.central[-1], s.high[-1]
        figure = f"${high:,}" if low == high else f"≈${central:,} (${low:,}–${high:,})"
        if s.unknown:
            figure = f"{labels.UNKNOWN_MARK} ${low:,}–${high:,}, coverage unknown"
        if s.assumed:
            figure = labels.ASSUMED_MARK + figure
        legend.append(f"{s.name}: {figure}")
        if s.letter in hidden:
            legend.append(
                f" (too close to $0 for this scale: its line is under {hidden[s.letter]})",
                "italic",
            )
        legend.append("\n")
    for name in skipped:
        legend.append(f"{name}, not charted\n")
    if clipped_at is not None:
        legend.append(
            f"High ends above {format_compact(Decimal(nice_ticks(clipped_at)[-1]))} run off the "
            "top of the chart: their figures are above.\n",
            "italic",
        )
    legend.append(
        "Upper case: typical figure (midpoint when coverage is unknown) · "
        "lower case: low and high ends",
        "italic",
    )
    if any(s.assumed for s in series):
        legend.append("\n" + labels.ASSUMED_HINT, "italic")
    return legend
