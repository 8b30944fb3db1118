"""Wording shared by the handouts: units, year labels, plan terms, a year's split in words,
how old a figure is, the title. Plain strings; nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from regen_compare.data.checks import STALE_AFTER
from regen_compare.engine.costs import BenefitTerms, Profile, YearCost, YearSplit
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Payer, PriceUnit
from regen_compare.model.money import (
    ZERO,
    Range,
    cents,
    format_percent,
    format_quantity,
    format_range,
    format_usd,
)
from regen_compare.present.export.context import condition_name

HANDOUT_FORMAT_NAME = "regen-compare-handout"
HANDOUT_VERSION = 1

TITLE = "Pain treatment options: cost, recovery and coverage"


# --- wording shared by every format ---------------------------------------------------------


def _usd_exact(amount: Decimal) -> str:
    """Whole dollars when the amount is whole, else to the cent (used where arithmetic is shown)."""
    exact = cents(amount)
    if exact == exact.to_integral_value():
        return format_usd(exact)
    return f"${exact:,.2f}"


def units_text(low: Decimal, high: Decimal, unit: PriceUnit) -> str:
    name = labels.unit_noun(unit.value, low if low == high else Decimal(2))
    return labels.days_range(low, high, name)


def year_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def group_years(years: Sequence[YearCost]) -> list[tuple[int, int, YearCost]]:
    """Consecutive years with identical figures, as (first year, last year, one of them)."""
    groups: list[tuple[int, int, YearCost]] = []
    for year in years:
        if groups:
            first, _last, seen = groups[-1]
            if seen.low == year.low and seen.high == year.high:
                groups[-1] = (first, year.year, seen)
                continue
        groups.append((year.year, year.year, year))
    return groups


def per_year_text(rows: Sequence[Range], none: str) -> str:
    """`year 1: $500–$7,500; years 2–5: $0–$5,000 each`."""
    if not rows:
        return none
    parts = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[start]:
            value = format_range(rows[start])
            if i - start == 1:
                parts.append(f"year {start + 1}: {value}")
            else:
                parts.append(f"years {start + 1}–{i}: {value} each")
            start = i
    return "; ".join(parts)


def span_years(years: int) -> str:
    return "1 year" if years == 1 else f"{years} years"


def plan_terms(payer: Payer) -> str:
    return labels.plan_terms(payer)


def explain_split(
    split: YearSplit,
    unit: PriceUnit,
    benefit: BenefitTerms,
    deductible_met: Decimal,
    oop_met: Decimal,
) -> str:
    """One year's bound worked out in words, to the cent, so it can be checked by hand."""
    units = format_quantity(split.units)
    unit_name = labels.unit_noun(unit.value, split.units)
    parts = [f"{units} {unit_name} × {_usd_exact(split.per_unit)} = {_usd_exact(split.cost)}"]
    if benefit.copay is not None:
        full = benefit.copay * split.units
        text = f"copay {_usd_exact(benefit.copay)} × {units} = {_usd_exact(full)}"
        if split.copay_part < full:
            text += f", limited to the cost: {_usd_exact(split.copay_part)}"
        parts.append(text)
    else:
        left = max(ZERO, benefit.deductible - deductible_met)
        parts.append(
            f"deductible part {_usd_exact(split.deductible_part)} "
            f"({_usd_exact(left)} of the {_usd_exact(benefit.deductible)} deductible was left)"
        )
        parts.append(
            f"coinsurance {format_percent(benefit.coinsurance)} of the remaining "
            f"{_usd_exact(split.cost - split.deductible_part)} = "
            f"{_usd_exact(split.coinsurance_part)}"
        )
    if split.unit_cap_saving > 0:
        parts.append(
            f"the most you pay per {unit.value} took off {_usd_exact(split.unit_cap_saving)}"
        )
    if split.cap_saving > 0 and benefit.cap is not None:
        parts.append(
            f"the {_usd_exact(benefit.cap)} yearly cap ({_usd_exact(oop_met)} already met) "
            f"took off {_usd_exact(split.cap_saving)}"
        )
    parts.append(f"you pay {_usd_exact(split.patient)}")
    return "; ".join(parts) + "."


def is_stale(as_of: date, today: date) -> bool:
    return today - as_of > STALE_AFTER


def as_of_text(as_of: date, today: date) -> str:
    text = as_of.isoformat()
    if is_stale(as_of, today):
        text += " (over two years old: check again)"
    return text


def data_as_of(rows: Sequence[Row], payer: Payer | None) -> date | None:
    dates = [r.therapy.as_of for r in rows]
    if payer is not None:
        dates.append(payer.as_of)
    return min(dates) if dates else None


def document_title(profile: Profile, catalog: Catalog) -> str:
    if profile.condition is None:
        return TITLE
    return f"{TITLE} — {condition_name(catalog, profile.condition)}"
