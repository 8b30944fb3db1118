"""A saved scenario against today's data (`resolve`: what the data no longer has is dropped
with a note, never an error), and two side by side: the therapies marked in either, priced
under each scenario's plan, condition, amounts met and region, with every line that differs
flagged. Typical use: the same therapies under Medicare and under an employer plan."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from regen_compare.consult import fit_profile_to_data
from regen_compare.data.regions import RegionSet
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Row, build_rows
from regen_compare.model.catalog import Catalog
from regen_compare.model.money import format_range
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

    a, b = left.profile, right.profile
    return [
        SideBySideLine("", "Plan", plan(a), plan(b)),
        SideBySideLine("", "Condition", condition(a), condition(b)),
        SideBySideLine("", "Region", region(a), region(b)),
        SideBySideLine("", "Years", str(a.years), str(b.years)),
        SideBySideLine(
            "", "Deductible met", f"${a.deductible_met:,.0f}", f"${b.deductible_met:,.0f}"
        ),
        SideBySideLine("", "Out-of-pocket met", f"${a.oop_met:,.0f}", f"${b.oop_met:,.0f}"),
        SideBySideLine("", "Weights", weights(left), weights(right)),
    ]


def _year1(row: Row) -> str:
    first = row.cost.years[0].patient if row.cost.years else row.your_cost
    return format_range(first, none=figures.no_figure(row.cost))


def _therapy_lines(name: str, a: Row, b: Row) -> list[SideBySideLine]:
    def policy(row: Row) -> str:
        return row.cost.rule.policy if row.cost.rule and row.cost.rule.policy else "—"

    return [
        SideBySideLine(
            name,
            "You pay, total",
            format_range(a.your_cost, none=figures.no_figure(a.cost)),
            format_range(b.your_cost, none=figures.no_figure(b.cost)),
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
