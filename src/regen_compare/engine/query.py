"""Filters and sorting shared by the command line and the TUI.

Rows are built once per profile (pricing every therapy), then filtering and sorting work on
the prebuilt rows only, so a keystroke in the search box costs one cheap pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from regen_compare.data.regions import RegionSet, regional_rule
from regen_compare.engine.costs import CostResult, Profile, Status, price_catalog
from regen_compare.engine.fit.score import Weights, fit_range
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import (
    Benefit,
    Category,
    Coverage,
    Evidence,
    Invasiveness,
    Payer,
    Therapy,
)
from regen_compare.model.money import Range


@dataclass(frozen=True)
class Filters:
    """What narrows the list. Each keeps a row when the therapy *can* fit (its best case)."""

    category: Category | None = None
    max_invasiveness: Invasiveness | None = None
    max_patient_cost: Decimal | None = None
    max_downtime_days: Decimal | None = None
    covered_only: bool = False
    search: str = ""

    def describe(self) -> list[str]:
        """The active filters as short phrases, for a status line."""
        out = []
        if self.category is not None:
            out.append(f"category: {self.category.value}")
        if self.max_invasiveness is not None:
            out.append(f"at most {self.max_invasiveness.value.replace('_', ' ')}")
        if self.max_patient_cost is not None:
            out.append(f"your cost ≤ ${self.max_patient_cost:,.0f}")
        if self.max_downtime_days is not None:
            out.append(f"downtime ≤ {self.max_downtime_days:g} days")
        if self.covered_only:
            out.append("covered only")
        if self.search.strip():
            out.append(f"search: {self.search.strip()}")
        return out


@dataclass(frozen=True, slots=True)
class Row:
    """One therapy priced for one profile: everything a table row shows or sorts by."""

    therapy: Therapy
    cost: CostResult
    evidence: Evidence
    search_text: str
    fit: tuple[int | None, int | None] | None = None
    """The fit score (low, high) under the consult's weights, when weights are given;
    (None, None) when every weight is 0 (`engine.fit.score`)."""
    benefit: Benefit | None = None
    """The chance of benefit for the profile's condition, when the data gives one."""

    @property
    def id(self) -> str:
        return self.therapy.id

    @property
    def your_cost(self) -> Range | None:
        """What this patient pays over the horizon: the plan figure, else the cash cost."""
        total = self.cost.patient_total
        return total if total is not None else self.cost.cash_total


def build_rows(
    catalog: Catalog,
    profile: Profile,
    *,
    regions: RegionSet | None = None,
    weights: Weights | None = None,
) -> list[Row]:
    """Price every therapy for `profile`, in data order. Totals are computed here, once, so
    sorting and filtering afterwards only compare ready values.

    `regions`: needed when the profile names a region (its Medicare amounts are adjusted).
    `weights`: when given, each row carries its fit score (`fit.fit_range`)."""
    adjust = None
    if profile.region is not None:
        if regions is None:
            raise ValueError("a region was chosen but no regions data was loaded")
        region = regions.get(profile.region)

        def adjust(rule: Coverage | None, payer: Payer) -> Coverage | None:
            return regional_rule(rule, payer.kind, region, payer.id)

    costs = price_catalog(catalog, profile, adjust)
    for cost in costs.values():
        _ = cost.cash_total, cost.patient_total
    search = catalog.search_text
    rows = []
    for tid, therapy in catalog.therapies.items():
        cost, evidence = costs[tid], therapy.evidence_for(profile.condition)
        benefit = therapy.benefit_for(profile.condition)
        fit = None if weights is None else fit_range(therapy, evidence, cost, weights, benefit)
        rows.append(Row(therapy, cost, evidence, search.get(tid, ""), fit, benefit))
    return rows


def with_fit(rows: Iterable[Row], weights: Weights | None) -> list[Row]:
    """The rows with their fit under `weights` (recomputed when only the weights change);
    None: without a fit."""
    if weights is None:
        return [replace(r, fit=None) for r in rows]
    return [
        replace(r, fit=fit_range(r.therapy, r.evidence, r.cost, weights, r.benefit)) for r in rows
    ]


def _matches(row: Row, filters: Filters, condition: str | None, needle: str) -> bool:
    therapy = row.therapy
    if condition is not None and condition not in therapy.conditions:
        return False
    if filters.category is not None and therapy.category is not filters.category:
        return False
    if (
        filters.max_invasiveness is not None
        and therapy.invasiveness.rank > filters.max_invasiveness.rank
    ):
        return False
    if filters.max_patient_cost is not None:
        cost = row.your_cost
        if cost is None or cost.min > filters.max_patient_cost:
            return False
    if (
        filters.max_downtime_days is not None
        and therapy.recovery.downtime_days.min > filters.max_downtime_days
    ):
        return False
    if filters.covered_only and not row.cost.covered:
        return False
    return not needle or needle in row.search_text


def filter_rows(rows: Iterable[Row], filters: Filters, condition: str | None = None) -> list[Row]:
    """Rows that can fit the filters (and list `condition`, when one is given)."""
    keep = matcher(filters, condition)
    return [row for row in rows if keep(row)]


def matcher(filters: Filters, condition: str | None = None) -> Callable[[Row], bool]:
    """The filter as a predicate, for callers that filter parallel lists (the TUI)."""
    needle = filters.search.strip().casefold()
    if filters == Filters(search=filters.search) and condition is None:
        if not needle:
            return lambda row: True
        return lambda row: needle in row.search_text
    return lambda row: _matches(row, filters, condition, needle)


def match_rank(row: Row, needle: str) -> tuple[int, int]:
    """How well a therapy's name matches a search (lower is better): the name starts with it
    (0), a word of the name starts with it (1), the name holds it (2), the short name holds it
    (3), only the summary or a condition matches (4); then how early in the name. `needle` is
    case-folded."""
    name = row.therapy.name.casefold()
    at = name.find(needle)
    if at == 0:
        return 0, 0
    if at > 0:
        words = " " + name.replace("(", " ").replace("-", " ")
        word_start = words.find(" " + needle)
        return (1, word_start) if word_start >= 0 else (2, at)
    short = row.therapy.short_name
    if short is not None and needle in short.casefold():
        return 3, 0
    return 4, 0


def _range_key(value: Range | None) -> tuple[Decimal, Decimal] | None:
    """Ranges sort by `Range.rank_key` (typical, else midpoint; then the top) — the same rule
    as the ★ of the side-by-side and the chart's lines, so they never disagree."""
    return None if value is None else value.rank_key


def _fit_key(row: Row) -> tuple[int, int] | None:
    """Best fit first (ascending, like every key here): by the middle of the fit range, then
    its low end; no score sorts last. The same rule as `fit.Fit.sort_key`."""
    if row.fit is None:
        return None
    low, high = row.fit
    if low is None or high is None:
        return None
    return (-(low + high), -low)


def _benefit_key(row: Row) -> tuple[Decimal, Decimal] | None:
    """Most helped first: by how many more in 100 the therapy helped than its comparator,
    then by how many it helped; no figure for the condition sorts last."""
    benefit = row.benefit
    if benefit is None or benefit.difference is None or benefit.with_therapy is None:
        return None
    return (-benefit.difference, -benefit.with_therapy)


_COVERAGE_ORDER = {Status.COVERED: 0, Status.PRIOR_AUTH: 1, Status.UNKNOWN: 2}
"""Best covered first: covered, then prior authorization, then unknown (it may be covered),
then refused (not covered, investigational, or covered only for other conditions)."""


def _status_key(row: Row) -> int | None:
    status = row.cost.status
    if status is None:
        return None
    if not row.cost.in_scope:
        return len(_COVERAGE_ORDER)
    return _COVERAGE_ORDER.get(status, len(_COVERAGE_ORDER))


SORT_KEYS: dict[str, Callable[[Row], Any]] = {
    "name": lambda r: r.therapy.name.casefold(),
    "id": lambda r: r.therapy.id,
    "category": lambda r: r.therapy.category.value,
    "modality": lambda r: r.therapy.modality.value,
    "invasiveness": lambda r: r.therapy.invasiveness.rank,
    "downtime": lambda r: _range_key(
        Range(r.therapy.recovery.downtime_days.min, r.therapy.recovery.downtime_days.max)
    ),
    "full_weeks": lambda r: _range_key(
        Range(r.therapy.recovery.full_weeks.min, r.therapy.recovery.full_weeks.max)
    ),
    "cost": lambda r: _range_key(r.cost.cash_total),
    "patient_cost": lambda r: _range_key(r.your_cost),
    "coverage": _status_key,
    "evidence": lambda r: r.evidence.rank,
    "regulatory": lambda r: r.therapy.regulatory.value,
    "fit": _fit_key,
    "benefit": _benefit_key,
}
"""Sort keys by name. Ascending means: A→Z, least invasive, cheapest, shortest, best covered,
strongest evidence, best fit, most helped first."""


def sort_rows(rows: Iterable[Row], key: str = "name", descending: bool = False) -> list[Row]:
    """Sort by `key`; ties always by id; rows without a value (e.g. not for sale) go last."""
    return ordered(keyed_rows(rows, key), descending)


Keyed = tuple[list[tuple[Any, Row]], list[Row]]
"""Rows with their sort key's value, in id order, and the rows without one (`keyed_rows`)."""


def keyed_rows(rows: Iterable[Row], key: str) -> Keyed:
    """What `sort_rows` sorts: working out the values is most of a sort's time (10,000 money
    ranges), so the consult keeps them per key until the rows change."""
    get = SORT_KEYS[key]
    valued = [(get(r), r) for r in sorted(rows, key=lambda r: r.therapy.id)]
    present = [(k, r) for k, r in valued if k is not None]
    return present, [r for k, r in valued if k is None]


def ordered(keyed: Keyed, descending: bool = False) -> list[Row]:
    present, missing = keyed
    # A reversed stable sort keeps equal keys in their original (id) order.
    in_order = sorted(present, key=lambda pair: pair[0], reverse=descending)
    return [r for _, r in in_order] + missing
