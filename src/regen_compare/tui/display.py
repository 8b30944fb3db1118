"""Rows turned into display cells once, so the table only ever paints visible lines.

Every string from the data passes through `display_safe` here, and the table draws cells as
plain segments (never markup), so a name like `Stem cell [autologous] [/]` shows as written.
Each cell also carries a *tone* (good / bad / unknown / dim) that the table maps to a theme
colour; the words and symbols of `labels` carry the meaning, the tone only reinforces it.
"""

from __future__ import annotations

from regen_compare.engine.costs import Basis, CostResult, Profile, Status
from regen_compare.engine.fit.score import fit_text
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.money import Range, format_compact, format_range_compact
from regen_compare.model.text import display_safe
from regen_compare.present import figures
from regen_compare.present.table_cells import Column, DisplayRow, Tone


def columns(profile: Profile) -> list[Column]:
    """The table's columns, in the order a person reads them: what they pay (typical, then the
    range), coverage and downtime first, so they are on screen at 80 columns; type,
    invasiveness, evidence and the cash cost follow (on screen at 120 columns)."""
    span = "1 yr" if profile.years == 1 else f"{profile.years} yrs"
    pay = "You pay" if profile.payer is not None else "Cash"
    return [
        Column("name", "Therapy"),
        Column("patient_cost", pay, right=True),
        Column("patient_cost", f"range {span}", right=True),
        Column("coverage", "Coverage"),
        Column("downtime", "Downtime", right=True),
        Column("category", "Type"),
        Column("invasiveness", "Invasive"),
        Column("evidence", "Evidence"),
        Column("fit", "Fit", right=True),
        Column("cost", f"Cash {span}", right=True),
    ]


def coverage_tone(cost: CostResult) -> Tone:
    if cost.status is None:
        return "dim"
    if cost.basis is Basis.PLAN:
        return "good"
    if cost.status is Status.UNKNOWN:
        return "unknown"
    return "bad"


def _typical_cell(value: Range | None, unknown: bool) -> str:
    if value is None:
        return "—"  # the range cell says why
    if unknown:
        return labels.UNKNOWN_MARK  # no single figure: it would pick a side
    return "≈" + format_compact(value.central)


def _range_cell(value: Range | None, cost: CostResult) -> str:
    return figures.no_figure(cost) if value is None else format_range_compact(value)


NOT_ASKED = "not asked"
"""The fit cell until the patient has said what matters (`Session.weights_asked`)."""


def display_row(row: Row, asked: bool = True, profile: Profile | None = None) -> DisplayRow:
    """One row's cells, in the order of `columns`; the fit only once `asked`; a figure that
    rests on an assumed price or number of units (for `profile`) is marked `~`."""
    t = row.therapy
    downtime = t.recovery.downtime_days
    mine = row.your_cost
    cash = row.cost.cash_total
    cash_cell = (
        f"≈{format_compact(cash.central)} {format_range_compact(cash)}"
        if cash is not None
        else figures.no_figure(row.cost)
    )
    typical = _typical_cell(mine, row.cost.unknown)
    if row.cost.priced and row.cost.assumed:
        typical = labels.ASSUMED_MARK + typical
    cells = (
        display_safe(t.name),
        typical,
        _range_cell(mine, row.cost),
        figures.coverage_label(row.cost),
        labels.days_range(downtime.min, downtime.max, "d"),
        labels.CATEGORY_SHORT[t.category],
        labels.INVASIVENESS_SHORT[t.invasiveness],
        labels.EVIDENCE[row.evidence],
        fit_text(row.fit) if asked else NOT_ASKED,
        cash_cell,
    )
    tone = coverage_tone(row.cost)
    tones: tuple[Tone, ...] = ("", "", "", tone, "", "", "", "", "", "")
    short = display_safe(t.short_name) if t.short_name else ""
    return DisplayRow(t.id, cells, tones, short)
