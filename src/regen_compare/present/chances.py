"""How likely an option is to help, and what it assumes, in the words every face uses (detail
pane, side-by-side, handouts, JSON): one wording per fact, plain enough for a patient.

Counts are "in 100 people", the same denominator for every option (IPDAS); a count the data
leaves out is said to be not known, never filled in. The picture of 100 people reads without
colour: `●` helped with the therapy beyond what the comparator did, `◐` helped with the
comparator too, `○` not helped.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from regen_compare.engine.costs import Profile, UnitCount, units_in_effect
from regen_compare.model.entities import AssumedFigure, Benefit, Certainty, Harm, Therapy
from regen_compare.model.money import format_quantity
from regen_compare.model.text import display_safe
from regen_compare.model.vocabulary import (
    ASSUMED_MARK,
    ASSUMED_WORDS,
    in_hundred,
    units_range_text,
)

HELPED = "●"
"""Helped with the therapy, beyond what the comparator did."""
HELPED_ANYWAY = "◐"
"""Helped with the comparator too (a placebo, saline, usual care)."""
NOT_HELPED = "○"
GRID = 10

CERTAINTY = {
    Certainty.HIGH: "high: further research is very unlikely to change it",
    Certainty.MODERATE: "moderate: further research may change it",
    Certainty.LOW: "low: further research is likely to change it",
    Certainty.VERY_LOW: "very low: the true figure may be quite different",
}
"""GRADE's four levels in words."""


def _whole(count: Decimal) -> int:
    return int(count.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mid_sentence(text: str) -> str:
    """A measure as a sentence embeds it: the data's `Meaningful pain relief` reads
    `had meaningful pain relief`; an acronym (`ACL`, `PRP`) keeps its capitals."""
    if text[:1].isupper() and text[1:2].islower():
        return text[0].lower() + text[1:]
    return text


def helped_sentence(benefit: Benefit) -> str:
    """`About 57 in 100 people had at least 30% less pain after 3 months with it; 39 in 100
    did with a placebo pill.` — or what is not known."""
    safe = display_safe
    what = f"{mid_sentence(safe(benefit.measure))} {safe(benefit.timeframe)}"
    comparator = safe(benefit.comparator) if benefit.comparator else None
    if benefit.with_therapy is None:
        return f"Not known how many people had {what} with it."
    text = f"About {in_hundred(benefit.with_therapy)} in 100 people had {what} with it"
    if benefit.with_comparator is not None and comparator is not None:
        text += f"; {in_hundred(benefit.with_comparator)} in 100 did with {comparator}."
    elif comparator is not None:
        text += f"; how many did with {comparator} is not known."
    else:
        text += "."
    return text


def difference_sentence(benefit: Benefit) -> str | None:
    """`That is about 18 more in 100 people than with a placebo pill (number needed to treat:
    about 6).`, or how many fewer when the comparator did better. None when either count is
    not known."""
    difference = benefit.difference
    if difference is None:
        return None
    comparator = display_safe(benefit.comparator or "the comparator")
    if difference < 0:
        return (
            f"That is about {in_hundred(-difference)} fewer in 100 people than with {comparator}."
        )
    if difference == 0:
        return f"That is no more people than with {comparator}."
    text = f"That is about {in_hundred(difference)} more in 100 people than with {comparator}"
    nnt = _whole(Decimal(100) / difference)
    return text + f" (number needed to treat: about {nnt})."


def certainty_sentence(benefit: Benefit) -> str | None:
    parts = []
    if benefit.certainty is not None:
        parts.append("How sure: " + CERTAINTY[benefit.certainty])
    if benefit.evidence:
        parts.append(display_safe(benefit.evidence))
    return " · ".join(parts) + "." if parts else None


def icon_counts(benefit: Benefit) -> tuple[int, int, int] | None:
    """(helped beyond the comparator, helped with the comparator too, not helped), in whole
    people out of 100; None when the count with the therapy is not known."""
    if benefit.with_therapy is None:
        return None
    with_therapy = _whole(benefit.with_therapy)
    anyway = _whole(benefit.with_comparator) if benefit.with_comparator is not None else 0
    anyway = min(anyway, with_therapy)
    return with_therapy - anyway, anyway, 100 - with_therapy


def icon_rows(benefit: Benefit, *, gap: str = " ") -> list[str]:
    """The picture of 100 people, 10 rows of 10 marks (`gap` between them: 19 cells a row,
    10 without): `●` first, then `◐`, then `○`; empty when the count is not known (the
    sentence says so)."""
    counts = icon_counts(benefit)
    if counts is None:
        return []
    helped, anyway, rest = counts
    marks = HELPED * helped + HELPED_ANYWAY * anyway + NOT_HELPED * rest
    return [gap.join(marks[i : i + GRID]) for i in range(0, GRID * GRID, GRID)]


def icon_sentence(benefit: Benefit) -> str:
    """The picture in words (screen readers, Markdown): what each mark counts."""
    counts = icon_counts(benefit)
    if counts is None:
        return "How many were helped is not known, so there is no picture."
    helped, anyway, rest = counts
    comparator = display_safe(benefit.comparator or "the comparator")
    if benefit.with_comparator is None:
        return f"Of 100 people: {helped} were helped ({HELPED}), {rest} were not ({NOT_HELPED})."
    if benefit.with_comparator > (benefit.with_therapy or 0):
        # More were helped with the comparator: none of those helped is "beyond" it.
        return (
            f"Of 100 people: {anyway} were helped with it ({HELPED_ANYWAY}), fewer than the "
            f"{in_hundred(benefit.with_comparator)} in 100 helped with {comparator}; {rest} were "
            f"not helped ({NOT_HELPED})."
        )
    return (
        f"Of 100 people: {anyway} were helped with {comparator} too ({HELPED_ANYWAY}), "
        f"{helped} more were helped with it ({HELPED}), {rest} were not helped ({NOT_HELPED})."
    )


ICON_LEGEND = (
    f"{HELPED} helped with it · {HELPED_ANYWAY} helped with the comparison too · "
    f"{NOT_HELPED} not helped"
)


def harm_sentence(harm: Harm) -> str:
    """`About 14 in 100: still taking opioids a year later (after an 8-day first supply).`"""
    count = format_quantity(harm.count)
    when = f" ({display_safe(harm.timeframe)})" if harm.timeframe else ""
    return f"About {count} in {harm.out_of:,}: {display_safe(harm.what)}{when}."


# --- what a figure assumes ---------------------------------------------------------------------


def units_sentence(therapy: Therapy, profile: Profile) -> str:
    """How many units the figures count, whose number each is, and why: `The figures count
    1–3 injections this year and 0–3 injections in each later year (our assumption). No
    source gives a repeat rate.` A number the patient set says "set in this consult"; each
    assumed one says so where it stands, with the data's reason after."""
    unit = therapy.price.unit.value if therapy.price is not None else "unit"
    units = units_in_effect(therapy, profile)

    def clause(count: UnitCount, when: str) -> str:
        text = f"{units_range_text(count.min, count.max, unit)} {when}"
        if count.set_in_consult:
            return text + " (set in this consult)"
        return f"{text} {ASSUMED_WORDS}" if count.assumed else text

    text = f"The figures count {clause(units.first_year, 'this year')}"
    if profile.years > 1:
        text += f" and {clause(units.later_years, 'in each later year')}"
    figures = {
        AssumedFigure.UNITS_FIRST_YEAR: units.first_year.assumed,
        AssumedFigure.UNITS_LATER_YEARS: units.later_years.assumed and profile.years > 1,
    }
    reasons = [
        display_safe(a.reason, multiline=True)
        for a in therapy.assumptions
        if figures.get(a.figure, False)
    ]
    text += "."
    if reasons:
        text += " " + " ".join(r if r.endswith(".") else r + "." for r in reasons)
    return text


def units_short(therapy: Therapy, profile: Profile) -> str:
    """The units the figures count, in a table cell: `1–3 injections this year ~; 0–2 a year
    after ~` (`~`: our assumption; `set` for a number set in this consult)."""
    unit = therapy.price.unit.value if therapy.price is not None else "unit"
    units = units_in_effect(therapy, profile)

    def mark(count: UnitCount) -> str:
        if count.set_in_consult:
            return " (set)"
        return f" {ASSUMED_MARK}" if count.assumed else ""

    first = units.first_year
    text = f"{units_range_text(first.min, first.max, unit)} this year{mark(first)}"
    if profile.years > 1:
        later = units.later_years
        text += f"; {units_range_text(later.min, later.max, unit)} a year after{mark(later)}"
    return text


def assumption_lines(therapy: Therapy) -> list[str]:
    """Every figure that rests on an assumption, with its reason, in words."""
    names = {
        AssumedFigure.PRICE: "the price",
        AssumedFigure.PRICE_TYPICAL: "the typical price",
        AssumedFigure.UNITS_FIRST_YEAR: "how many this year",
        AssumedFigure.UNITS_LATER_YEARS: "how many in later years",
        AssumedFigure.DOWNTIME: "the downtime",
        AssumedFigure.FULL_RECOVERY: "the time to full recovery",
    }
    return [
        f"{names[a.figure].capitalize()} is assumed: {display_safe(a.reason, multiline=True)}"
        for a in therapy.assumptions
    ]
