"""How a priced result is written: its money figure (or why there is none), its coverage
cell and the profile's facts, in one wording for every face (TUI, CLI, handouts)."""

from __future__ import annotations

from collections.abc import Iterable

from regen_compare.engine.costs import Basis, CostResult, Profile, Status
from regen_compare.model.catalog import Catalog
from regen_compare.model.money import Range, format_range, format_range_typical, format_usd
from regen_compare.model.vocabulary import (
    ASSUMED_HINT,
    ASSUMED_MARK,
    NO_PLAN,
    NO_PRICE,
    NOT_FOR_CONDITION,
    NOT_SOLD,
    STATUS,
    UNKNOWN_HINT,
    UNKNOWN_MARK,
    horizon,
)


def no_figure(cost: CostResult) -> str:
    """What a money cell says when there is no figure: why, in two words."""
    return NO_PRICE if cost.basis is Basis.NO_PRICE else NOT_SOLD


def _assumed(cost: CostResult) -> str:
    return ASSUMED_MARK if cost.assumed else ""


def money_figure(value: Range | None, cost: CostResult, *, wrap: bool = False) -> str:
    """A cash figure: the typical figure with its range beside it (`≈$2,050 ($1,967–$2,109)`),
    `~` first when it rests on an assumed price or number of units, or why there is none."""
    if value is None:
        return no_figure(cost)
    return _assumed(cost) + format_range_typical(value, wrap=wrap)


def you_pay_figure(cost: CostResult, *, wrap: bool = False) -> str:
    """What this patient pays: the typical figure and range, or, when nobody knows whether
    the plan pays, the span from "covered" to "cash" marked `?` (never a lone cash price);
    `~` first when it rests on an assumption."""
    total = cost.patient_total
    if total is None:
        return no_figure(cost)
    if cost.unknown:
        return f"{_assumed(cost)}{UNKNOWN_MARK} {format_range(total, wrap=wrap)}"
    return money_figure(total, cost, wrap=wrap)


def year1_figure(cost: CostResult, *, wrap: bool = False) -> str:
    """What this patient pays in the first year, written as `you_pay_figure` writes the
    total (`?` and both outcomes when coverage is unknown, `~` for an assumption)."""
    if not cost.years:
        return no_figure(cost)
    first = cost.years[0].patient
    if cost.unknown:
        return f"{_assumed(cost)}{UNKNOWN_MARK} {format_range(first, wrap=wrap)}"
    return money_figure(first, cost, wrap=wrap)


def symbol_hints(costs: Iterable[CostResult]) -> list[str]:
    """The legends of the marks these figures carry (`?` unknown coverage, `~` an assumed
    price or number of units), for every face that shows them: a mark is never left
    unexplained."""
    shown = [c for c in costs if c.priced]
    out = []
    if any(c.unknown for c in shown):
        out.append(UNKNOWN_HINT)
    if any(c.assumed for c in shown):
        out.append(ASSUMED_HINT)
    return out


def coverage_label(cost: CostResult) -> str:
    """The coverage cell: a symbol and words, so it reads the same without colour."""
    if cost.status is None:
        return NO_PLAN
    if cost.status in (Status.COVERED, Status.PRIOR_AUTH) and not cost.in_scope:
        return NOT_FOR_CONDITION
    return STATUS[cost.status]


def profile_facts(catalog: Catalog | None, profile: Profile) -> list[tuple[str, str]]:
    """Who is asking, as (what, value) pairs in one wording: the condition, the plan, the
    horizon, the region, and (with a plan) the amounts already met. Every face lays these out
    its own way (a header line, a CLI line, a handout list) but never words them anew."""
    condition = "any condition"
    if profile.condition is not None:
        cond = catalog.conditions.get(profile.condition) if catalog is not None else None
        condition = cond.name if cond is not None else profile.condition
    plan = "no plan (cash prices)"
    if profile.payer is not None:
        payer = catalog.payers.get(profile.payer) if catalog is not None else None
        plan = payer.name if payer is not None else profile.payer
    facts = [("condition", condition), ("plan", plan), ("horizon", horizon(profile.years))]
    if profile.region is not None:
        facts.append(("region", profile.region))
    if profile.payer is not None:
        facts.append(("deductible met", format_usd(profile.deductible_met)))
        facts.append(("out-of-pocket met", format_usd(profile.oop_met)))
    return facts
