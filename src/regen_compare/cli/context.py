"""What a command works on, from its options: the data, the profile (over a saved scenario),
the filters, the weights and the region, every id checked against the data (unknown: a
usage error naming the close matches).
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from regen_compare.cli.exits import BadData, NotWritten, UsageError, err
from regen_compare.consult import fit_profile_to_data
from regen_compare.data import regions as regions_module
from regen_compare.data.load import LoadResult, load_catalog, resolve_data_dir
from regen_compare.data.regions import RegionSet, UnknownRegion
from regen_compare.engine.costs import Profile, UnitsChoice
from regen_compare.engine.fit.score import BALANCED, Weights
from regen_compare.engine.query import Filters, Row, build_rows
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Category, Invasiveness
from regen_compare.model.problems import DataError, close_matches
from regen_compare.model.text import quote
from regen_compare.present import side_by_side

if TYPE_CHECKING:  # saved scenarios are imported only by a run that opens one
    from regen_compare import scenarios


def load_result(args: argparse.Namespace, *, one_shot: bool = True) -> LoadResult:
    """Load the data (through the cache) or raise `DataError`; warnings to stderr.

    `one_shot`: the command prints and ends, so the catalog lives until the process ends and
    is taken out of the cyclic GC's sight (pricing and sorting thousands of rows then trigger
    no full collections over it). Not for the TUI: a reload replaces the catalog, and a frozen
    one would never be freed."""
    result = load_catalog(resolve_data_dir(args.data_dir), use_cache=True)
    for warning in result.warnings:
        err(str(warning))
    if one_shot:
        gc.freeze()
    return result


def load(args: argparse.Namespace) -> Catalog:
    return load_result(args).catalog


def check_id(kind: str, value: str, known: Sequence[str]) -> None:
    """Nothing when `value` is known; else a usage error naming what was probably meant."""
    if value in known:
        return
    close = close_matches(value, known)
    hint = f"did you mean: {', '.join(close)}" if close else "valid ids: " + ", ".join(known)
    raise UsageError(f"unknown {kind} id {quote(value)}; {hint}")


@dataclass
class Request:
    """One run's view of its options: the scenario it starts from (resolved once) and the
    notes about it (what the data no longer has), kept for the TUI to show too."""

    args: argparse.Namespace
    scenario: scenarios.Scenario | None = None
    notes: list[str] = field(default_factory=list)
    resolved: bool = False

    @property
    def weights_asked(self) -> bool:
        """Whether the patient said what matters: typed (`--weights`) or saved with the
        scenario the run starts from. Until then no fit and no ★ "best fit" is shown."""
        return getattr(self.args, "weights", None) is not None or bool(
            getattr(self.args, "scenario", None)
        )

    def start(self, catalog: Catalog | None) -> scenarios.Scenario | None:
        """The saved scenario named by --scenario (checked against `catalog` when given)."""
        name = getattr(self.args, "scenario", None)
        if not name or self.resolved:
            return self.scenario
        from regen_compare import scenarios

        try:
            loaded = scenarios.load(name)
            if catalog is not None:
                checked = side_by_side.resolve(loaded, catalog)
                loaded, self.notes = checked.scenario, list(checked.notes)
        except scenarios.ScenarioError as exc:
            raise scenarios_error(exc) from None
        for note in self.notes:
            err(f"note: scenario {quote(name)}: {note}")
        self.scenario, self.resolved = loaded, True
        return loaded


def scenarios_error(exc: scenarios.ScenarioError) -> Exception:
    """A scenario problem as the error that carries its exit code (see `cli.exits`): a name
    that is taken, a file that cannot be written or a damaged file 1 (its problems located as
    `FILE:LINE: key: message`), else a usage error."""
    if exc.kind == "write":
        return NotWritten(str(exc))
    if exc.problems:  # a damaged file: each problem on its line, like the data's
        return DataError(exc.problems)
    if exc.kind == "data":
        return BadData(str(exc))
    return UsageError(str(exc))


def _pick(value: object, default: object) -> object:
    return default if value is None else value


def merged_profile(args: argparse.Namespace, start: Profile) -> Profile:
    """The options given on the command line, over `start` (a scenario's, or the default);
    units typed for a therapy replace the scenario's for that therapy."""
    given = {
        key: getattr(args, key, None)
        for key in ("condition", "payer", "deductible_met", "oop_met", "years", "region")
    }
    merged = replace(start, **{k: v for k, v in given.items() if v is not None})
    supplement = getattr(args, "supplement", None)
    if supplement is not None:
        merged = replace(merged, supplement=supplement)
    typed: list[UnitsChoice] = getattr(args, "units", None) or []
    if len({c.therapy for c in typed}) != len(typed):
        raise UsageError("--units names a therapy twice: give each therapy once")
    if typed:
        by_therapy = {u.therapy: u for u in merged.units} | {c.therapy: c for c in typed}
        merged = replace(merged, units=tuple(by_therapy.values()))
    return merged


def merged_filters(args: argparse.Namespace, start: Filters) -> Filters:
    """The filter options given on the command line, over `start`, one by one."""
    category = getattr(args, "category", None)
    invasive = getattr(args, "max_invasiveness", None)
    cost: Decimal | None = getattr(args, "max_patient_cost", None)
    days: Decimal | None = getattr(args, "max_downtime_days", None)
    search: str | None = getattr(args, "search", None)
    return Filters(
        category=Category(category) if category else start.category,
        max_invasiveness=Invasiveness(invasive) if invasive else start.max_invasiveness,
        max_patient_cost=cost if cost is not None else start.max_patient_cost,
        max_downtime_days=days if days is not None else start.max_downtime_days,
        covered_only=bool(getattr(args, "covered_only", False)) or start.covered_only,
        search=search if search is not None else start.search,
    )


def merged_weights(args: argparse.Namespace, start: Weights) -> Weights:
    given: Weights | None = getattr(args, "weights", None)
    return given if given is not None else start


def profile(request: Request, catalog: Catalog) -> Profile:
    """The profile asked for, its ids checked against the data (unknown: exit 2)."""
    args = request.args
    if getattr(args, "condition", None) is not None:
        check_id("condition", args.condition, list(catalog.conditions))
    if getattr(args, "payer", None) is not None:
        check_id("payer", args.payer, list(catalog.payers))
    for choice in getattr(args, "units", None) or []:
        check_id("therapy", choice.therapy, list(catalog.therapies))
    base = request.start(catalog)
    chosen = merged_profile(args, base.profile if base is not None else Profile())
    supplement = getattr(args, "supplement", None)
    if supplement is not None:
        check_id("supplement", supplement, list(catalog.supplements))
        if catalog.supplements[supplement] not in catalog.supplements_for(chosen.payer):
            names = ", ".join(catalog.supplements[supplement].supplements)
            raise UsageError(
                f"supplement {quote(supplement)} pays after {names}, not after "
                f"{quote(chosen.payer) if chosen.payer else 'no plan'}: choose --payer too"
            )
    # A scenario's supplement under another --payer: left out, and said (a typed one is
    # checked above).
    chosen, dropped = fit_profile_to_data(chosen, catalog, None, check_region=False)
    for what in dropped:
        err(f"note: {what} does not apply to this plan; it was left out")
    return chosen


def filters(request: Request, catalog: Catalog) -> Filters:
    base = request.start(catalog)
    return merged_filters(request.args, base.filters if base is not None else Filters())


def weights(request: Request, catalog: Catalog) -> Weights:
    base = request.start(catalog)
    return merged_weights(request.args, base.weights if base is not None else BALANCED)


def region_set(args: argparse.Namespace, chosen: Profile) -> tuple[Profile, RegionSet | None]:
    """The profile and the regions data it needs (None without a region). A region typed
    on the command line must be in data/regions.toml (else exit 2 listing the codes); one
    kept in a saved scenario that the data no longer has is cleared with a note. A damaged
    regions file is bad data (exit 1)."""
    if chosen.region is None:
        return chosen, None
    typed = getattr(args, "region", None) is not None
    loaded = regions_beside(args)
    if loaded is None:
        path = regions_module.regions_path(resolve_data_dir(args.data_dir))
        if typed:
            raise UsageError(f"--region needs {path}, which is missing")
        err(f"note: region {quote(chosen.region)} cleared: {path} is missing")
        return replace(chosen, region=None), None
    try:
        loaded.get(chosen.region)
    except UnknownRegion as exc:
        if typed:
            raise UsageError(str(exc)) from None
        err(f"note: region {quote(chosen.region)} is no longer in the data; it was cleared")
        return replace(chosen, region=None), loaded
    return chosen, loaded


def regions_beside(args: argparse.Namespace) -> RegionSet | None:
    """The regions data beside the data files, checked (its warnings to stderr), or None
    when there is no regions.toml. Anything else at that name (a folder, a FIFO, a device, a
    damaged file) is bad data: `DataError`, located, exit 1."""
    loaded = regions_module.regions_beside(resolve_data_dir(args.data_dir))
    for warning in loaded.warnings if loaded is not None else []:
        err(str(warning))
    return loaded


@dataclass(frozen=True)
class Consult:
    """Everything a listing, a comparison or a handout is worked out from."""

    catalog: Catalog
    profile: Profile
    weights: Weights
    regions: RegionSet | None

    @property
    def region(self) -> regions_module.Region | None:
        if self.regions is None or self.profile.region is None:
            return None
        return self.regions.get(self.profile.region)

    def rows(self) -> list[Row]:
        return build_rows(self.catalog, self.profile, regions=self.regions, weights=self.weights)

    def rows_for_ids(self, ids: Sequence[str]) -> list[Row]:
        """The rows of `ids` in the order given (once each); unknown ids: exit 2."""
        for tid in ids:
            check_id("therapy", tid, list(self.catalog.therapies))
        by_id = {r.id: r for r in self.rows()}
        return [by_id[tid] for tid in dict.fromkeys(ids)]


def consult(request: Request) -> Consult:
    catalog = load(request.args)
    chosen, regions = region_set(request.args, profile(request, catalog))
    return Consult(catalog, chosen, weights(request, catalog), regions)
