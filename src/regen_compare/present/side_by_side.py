"""A saved scenario against today's data (`resolve`: what the data no longer has is dropped
with a note, never an error), and two side by side: the therapies marked in either, priced
under each scenario's plan, condition, amounts met and region, with every line that differs
flagged. Typical use: the same therapies under Medicare and under an employer plan."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from regen_compare.consult import fit_profile_to_data
from regen_compare.data.regions import RegionSet
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Row, build_rows
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.money import format_quantity, format_usd
from regen_compare.present import figures
from regen_compare.scenarios import Scenario


@dataclass
class Resolved:
    """A scenario checked against today's data: what survives, and notes on what did not."""

    scenario: Scenario
    notes: list[str] = field(default_factory=list)


def resolve(scenario: Scenario, catalog: Catalog, regions: RegionSet | None = None) -> Resolved:
    """Drop what today's data no longer has, with a note for each; never an error. The
    region is checked when `regions` is given (no regions data: it is kept as saved)."""
    profile, dropped = fit_profile_to_data(
        scenario.profile, catalog, regions, check_region=regions is not None
    )
    notes = [f"{what} is no longer in the data; it was cleared" for what in dropped]
    marked = []
    for tid in scenario.marked:
        if tid in catalog.therapies:
            marked.append(tid)
        else:
            notes.append(f"therapy {tid!r} is no longer in the data; it was unmarked")
    kept = replace(scenario, profile=profile, marked=tuple(marked))
    return Resolved(kept, notes)


def comparable(scenario: Scenario, catalog: Catalog, regions: RegionSet | None) -> Resolved:
    """`resolve` for pricing beside another scenario: what today's data no longer has is
    dropped with a note, and so is a region that `regions` cannot price (None: there is no
    regions data, e.g. regions.toml is missing), so the figures shown are national."""
    resolved = resolve(scenario, catalog, regions)
    region = resolved.scenario.profile.region
    if region is None or regions is not None:
        return resolved
    profile = replace(resolved.scenario.profile, region=None)
    note = f"region {region!r} cannot be priced without regions data; prices are national"
    return Resolved(replace(resolved.scenario, profile=profile), [*resolved.notes, note])


@dataclass(frozen=True)
class SideBySideLine:
    therapy: str
    label: str
    left: str
    right: str

    @property
    def differs(self) -> bool:
        return self.left != self.right


def _profile_lines(
    catalog: Catalog, left: Scenario, right: Scenario, regions: RegionSet | None
) -> list[SideBySideLine]:
    def plan(profile: Profile) -> str:
        if profile.payer is None:
            return "no plan (cash)"
        return catalog.payers[profile.payer].name

    def condition(profile: Profile) -> str:
        return catalog.conditions[profile.condition].name if profile.condition else "any"

    def weights(scenario: Scenario) -> str:
        return scenario.weights.preset_name() or scenario.weights.format()

    def region(profile: Profile) -> str:
        if profile.region is None:
            return "none (national)"
        known = regions.regions.get(profile.region) if regions is not None else None
        return f"{known.name} ({known.code})" if known is not None else profile.region

    def supplement(profile: Profile) -> str:
        found = catalog.supplements.get(profile.supplement) if profile.supplement else None
        return found.name if found is not None else "none"

    def units(profile: Profile) -> str:
        chosen = [
            f"{catalog.therapies[u.therapy].label}: {format_quantity(u.first_year)} this year"
            + ("" if u.later_years is None else f", {format_quantity(u.later_years)} later")
            for u in profile.units
            if u.therapy in catalog.therapies
        ]
        return "; ".join(chosen) or "the data's"

    a, b = left.profile, right.profile
    return [
        SideBySideLine("", "Plan", plan(a), plan(b)),
        SideBySideLine("", "Supplement", supplement(a), supplement(b)),
        SideBySideLine("", "Condition", condition(a), condition(b)),
        SideBySideLine("", "Region", region(a), region(b)),
        SideBySideLine("", "Years", str(a.years), str(b.years)),
        SideBySideLine(
            "", "Deductible met", format_usd(a.deductible_met), format_usd(b.deductible_met)
        ),
        SideBySideLine("", "Out-of-pocket met", format_usd(a.oop_met), format_usd(b.oop_met)),
        SideBySideLine("", "Units set", units(a), units(b)),
        SideBySideLine("", "Weights", weights(left), weights(right)),
    ]


def _you_pay(row: Row) -> str:
    """The patient's figure as every face writes it (cash when the scenario has no plan)."""
    if row.cost.status is None:
        return figures.money_figure(row.cost.cash_total, row.cost)
    return figures.you_pay_figure(row.cost)


def _year1(row: Row) -> str:
    if row.cost.status is None:
        first = row.cost.cash_years[0] if row.cost.cash_years else None
        return figures.money_figure(first, row.cost)
    return figures.year1_figure(row.cost)


def _therapy_lines(name: str, a: Row, b: Row) -> list[SideBySideLine]:
    def policy(row: Row) -> str:
        return row.cost.rule.policy if row.cost.rule and row.cost.rule.policy else "—"

    return [
        SideBySideLine(
            name,
            "You pay, total",
            _you_pay(a),
            _you_pay(b),
        ),
        SideBySideLine(name, "You pay, year 1", _year1(a), _year1(b)),
        SideBySideLine(
            name, "Coverage", figures.coverage_label(a.cost), figures.coverage_label(b.cost)
        ),
        SideBySideLine(name, "Policy", policy(a), policy(b)),
    ]


def side_by_side(
    catalog: Catalog, left: Scenario, right: Scenario, regions: RegionSet | None = None
) -> list[SideBySideLine]:
    """The therapies marked in either scenario, priced under each; differences flagged.

    Typical use: the same therapies under Medicare and under an employer plan. `regions`:
    needed when a scenario names a region (its Medicare amounts are adjusted; `comparable`
    clears a region there is no regions data for)."""
    order = [t for t in dict.fromkeys((*left.marked, *right.marked)) if t in catalog.therapies]
    rows_l = {r.id: r for r in build_rows(catalog, left.profile, regions=regions)}
    rows_r = {r.id: r for r in build_rows(catalog, right.profile, regions=regions)}
    lines = _profile_lines(catalog, left, right, regions)
    for tid in order:
        lines += _therapy_lines(catalog.therapies[tid].name, rows_l[tid], rows_r[tid])
    return lines


def mark_hints(lines: Sequence[SideBySideLine]) -> list[str]:
    """The legends of the marks the figures carry (`figures` writes `~` and `?` first), for
    every face that shows these lines."""
    cells = [c for x in lines for c in (x.left, x.right)]
    hints = []
    if any(c.lstrip(labels.ASSUMED_MARK).startswith(labels.UNKNOWN_MARK) for c in cells):
        hints.append(labels.UNKNOWN_HINT)
    if any(c.startswith(labels.ASSUMED_MARK) for c in cells):
        hints.append(labels.ASSUMED_HINT)
    return hints
