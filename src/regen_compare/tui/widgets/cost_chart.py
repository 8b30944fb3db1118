"""Cumulative out-of-pocket cost over the years: per option a central line and its range.

This module imports textual-plotext at the top; the compare screen imports *this module*
only when the chart is first shown, so start-up never pays for plotting. Each option has its
own letter as the plot marker (A, B…: upper case the central figure — the typical one, else
the midpoint, the rule every sort and ★ uses — lower case the low and high ends), so the
chart reads without colour; the legend below names the letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from regen_compare import labels
from regen_compare.money import whole_dollars
from regen_compare.query import Row
from regen_compare.safe_text import display_safe

LETTERS = "ABCD"


@dataclass(frozen=True)
class Series:
    letter: str
    name: str
    low: list[int]
    central: list[int]
    high: list[int]
    """Cumulative figures from year 0 (always 0) to the horizon."""
    unknown: bool = False


def series_for(rows: Sequence[Row]) -> tuple[list[Series], list[str]]:
    """The plotted series, and why the others cannot be plotted (trials only, no price)."""
    out: list[Series] = []
    skipped: list[str] = []
    for letter, row in zip(LETTERS, rows, strict=False):
        totals = row.cost.cumulative_patient()
        name = display_safe(row.therapy.name)
        if not totals:
            skipped.append(f"{letter} {name}: {labels.no_figure(row.cost)}")
            continue
        out.append(
            Series(
                letter,
                name,
                [0, *(whole_dollars(t.min) for t in totals)],
                [0, *(whole_dollars(t.central) for t in totals)],
                [0, *(whole_dollars(t.max) for t in totals)],
                row.cost.unknown,
            )
        )
    return out, skipped


class CostChart(Vertical):
    """The plot plus a text legend (the plot's own legend would cover the lines)."""

    def compose(self) -> ComposeResult:
        yield PlotextPlot(id="plot")
        yield Static(id="chart-legend")

    def plot(self, rows: Sequence[Row], years: int, cash_only: bool) -> None:
        series, skipped = series_for(rows)
        widget = self.query_one(PlotextPlot)
        plt = widget.plt
        plt.clear_data()
        plt.clear_figure()
        what = "Cash cost" if cash_only else "What you pay"
        plt.title(f"{what}, cumulative over {years} year{'s' if years > 1 else ''}")
        plt.xlabel("year")
        xs = list(range(years + 1))
        for s in series:
            if s.low != s.high:
                plt.plot(xs, s.high, marker=s.letter.lower())
                plt.plot(xs, s.low, marker=s.letter.lower())
            plt.plot(xs, s.central, marker=s.letter)
        plt.xticks([float(x) for x in xs], [str(x) for x in xs])
        top = max((max(s.high) for s in series), default=0)
        if top > 0:
            ticks = [top * i / 4 for i in range(5)]
            plt.yticks(ticks, [f"${round(t):,}" for t in ticks])
        widget.refresh()
        legend = Text()
        for s in series:
            legend.append(f"{s.letter}/{s.letter.lower()} ", "bold")
            low, central, high = s.low[-1], s.central[-1], s.high[-1]
            figure = f"${high:,}" if low == high else f"≈${central:,} (${low:,}–${high:,})"
            if s.unknown:
                figure = f"{labels.UNKNOWN_MARK} ${low:,}–${high:,}, coverage unknown"
            legend.append(f"{s.name}: {figure}\n")
        for name in skipped:
            legend.append(f"{name}, not charted\n")
        legend.append(
            "Upper case: typical figure (midpoint when coverage is unknown) · "
            "lower case: low and high ends",
            "italic",
        )
        self.query_one("#chart-legend", Static).update(legend)
