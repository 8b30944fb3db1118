"""Saved scenarios: a counselor keeps a patient's profile, filters and marked therapies under a
name, only when asked, and reopens them later.

Stored as one TOML file per scenario in the user's data folder (platformdirs), mode 0600,
written atomically (never through a link). A scenario that names a therapy, payer or
condition the data no longer has still opens: the missing parts are dropped with a note,
never an error.

A scenario's identity is its name in Unicode NFC, case-folded (`identity`): "Foo" and "foo",
or "café" typed precomposed and decomposed, are one scenario, stored in one file whose name
is derived from the identity (a readable ASCII part plus a hash, so no name can equal another
scenario's file name). The file's stored `name` is the truth: a file whose stored name does
not belong to its file name is reported, not listed or opened under the wrong name; saving a
name whose identity is taken is refused naming the scenario that holds it; a file written by a
newer version (`schema_version` other than `SCHEMA_VERSION`) is a clear error.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import tomli_w
from pydantic import Field, ValidationError
from pydantic import Strict as StrictType

from regen_compare.data.load import read_toml
from regen_compare.data.regions import Code as RegionCode
from regen_compare.data.regions import RegionSet
from regen_compare.engine.costs import MAX_YEARS, Profile
from regen_compare.engine.fit.score import BALANCED, Weights, WeightsError
from regen_compare.engine.query import Filters, Row, build_rows
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Category, Invasiveness, Money, Name, Slug, Strict
from regen_compare.model.money import format_range
from regen_compare.model.problems import DataError
from regen_compare.model.text import quote
from regen_compare.present import figures
from regen_compare.store.atomic import (
    WriteError,
    check_target,
    remove_stale_temp_files,
    write_atomic,
)

SCENARIO_ENV = "REGEN_COMPARE_SCENARIOS"
MAX_MARKS = 4
SCHEMA_VERSION = 1


class ScenarioError(Exception):
    """A scenario could not be saved, found or read (the message says which and why).

    `kind` says what went wrong, for the command line's exit code: "write" (the name is
    taken, or the file or its folder cannot be written), "data" (a scenario file is damaged,
    from a newer version, or holds another scenario's name), "usage" (anything else, e.g. no
    scenario of that name)."""

    def __init__(self, message: str, kind: str = "usage") -> None:
        super().__init__(message)
        self.kind = kind


class ScenarioFile(Strict):
    """What a scenario file holds. Only ids and numbers: no notes about the patient."""

    schema_version: int = 1
    name: Name
    saved: date
    condition: Slug | None = None
    payer: Slug | None = None
    deductible_met: Money = Decimal(0)
    oop_met: Money = Decimal(0)
    years: int = Field(default=1, ge=1, le=MAX_YEARS, strict=True)
    region: RegionCode | None = None
    """Where the patient lives; absent in files saved before regions existed."""
    weights: dict[str, int] | None = None
    """What matters (criterion: 0-3); absent in older files: the balanced weights."""
    category: Category | None = None
    max_invasiveness: Invasiveness | None = None
    max_patient_cost: Money | None = None
    max_downtime_days: Money | None = None
    covered_only: Annotated[bool, StrictType()] = False
    search: Name | None = None
    marked: tuple[Slug, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    profile: Profile
    filters: Filters
    marked: tuple[str, ...] = ()
    weights: Weights = BALANCED


@dataclass
class Resolved:
    """A scenario checked against today's data: what survives, and notes on what did not."""

    scenario: Scenario
    notes: list[str] = field(default_factory=list)


def scenarios_dir() -> Path:
    override = os.environ.get(SCENARIO_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("regen-compare", appauthor=False)) / "scenarios"


def identity(name: str) -> str:
    """What makes two scenario names the same scenario: NFC, then case-folded."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def file_stem(name: str) -> str:
    """The file name (without `.toml`) for a scenario name: an ASCII slug of its identity,
    for people, plus a hash of the identity, so two identities never share a file and no
    name can be another scenario's file name."""
    import hashlib

    key = identity(name)
    ascii_name = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-")
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    return f"{slug or 'scenario'}-{digest}"


def path_for(name: str, folder: Path | None = None) -> Path:
    """Where the scenario of that name is (or would be) saved."""
    return (folder or scenarios_dir()) / f"{file_stem(name)}.toml"


def exists(name: str, folder: Path | None = None) -> bool:
    """A scenario of that identity is saved (or its file is there, even if unreadable)."""
    return os.path.lexists(path_for(name, folder))


def _shown(name: str) -> str:
    return quote(name)


def _to_file(scenario: Scenario, today: date) -> dict[str, Any]:
    p, f = scenario.profile, scenario.filters
    data: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "name": scenario.name,
        "saved": today,
        "condition": p.condition,
        "payer": p.payer,
        "deductible_met": p.deductible_met,
        "oop_met": p.oop_met,
        "years": p.years,
        "region": p.region,
        "category": f.category.value if f.category else None,
        "max_invasiveness": f.max_invasiveness.value if f.max_invasiveness else None,
        "max_patient_cost": f.max_patient_cost,
        "max_downtime_days": f.max_downtime_days,
        "covered_only": f.covered_only,
        "search": f.search or None,
        "marked": list(scenario.marked),
        "weights": scenario.weights.as_dict(),
    }
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, Decimal):
            value = int(value) if value == value.to_integral_value() else float(value)
        out[key] = value
    return out


def save(
    scenario: Scenario,
    *,
    overwrite: bool = False,
    folder: Path | None = None,
    today: date | None = None,
) -> Path:
    """Write the scenario (mode 0600, atomically). Refuses to replace one unless asked.

    The scenario with the same identity (NFC, case-folded name) is the one replaced: saving
    "foo" while "Foo" exists is refused naming "Foo", or with `overwrite` replaces it."""
    if not scenario.name.strip():
        raise ScenarioError("a scenario needs a name")
    try:
        ScenarioFile.model_validate(_to_file(scenario, today or date.today()))
    except ValidationError as exc:
        raise ScenarioError(
            f"cannot save {_shown(scenario.name)}: {exc.errors()[0]['msg']}"
        ) from None
    target_folder = folder or scenarios_dir()
    target = path_for(scenario.name, target_folder)
    try:
        # Judged without following a link: a folder, FIFO or device there is refused now.
        there = check_target(target, overwrite=True)
    except WriteError as exc:
        raise ScenarioError(str(exc), "write") from None
    if there == "file":
        try:
            held = read_file(target).name
        except ScenarioError:
            held = None
        if held is not None and identity(held) != identity(scenario.name):
            raise ScenarioError(
                f"{target}: holds the scenario {_shown(held)}, not {_shown(scenario.name)}; "
                "nothing was saved (rename or remove that file)",
                "write",
            )
        if not overwrite:
            what = (
                f"a scenario named {_shown(held)} already exists"
                if held is not None
                else f"{target} already exists and cannot be read"
            )
            raise ScenarioError(f"{what}; use --force to replace it", "write")
    try:
        target_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ScenarioError(
            f"{target_folder}: cannot create the folder ({exc.strerror})", "write"
        ) from None
    remove_stale_temp_files(target_folder)
    text = tomli_w.dumps(_to_file(scenario, today or date.today()))
    try:
        return write_atomic(target, text, mode=0o600, overwrite=overwrite)
    except WriteError as exc:
        raise ScenarioError(str(exc), "write") from None


def _from_file(data: ScenarioFile) -> Scenario:
    profile = Profile(
        condition=data.condition,
        payer=data.payer,
        deductible_met=data.deductible_met,
        oop_met=data.oop_met,
        years=data.years,
        region=data.region,
    )
    filters = Filters(
        category=data.category,
        max_invasiveness=data.max_invasiveness,
        max_patient_cost=data.max_patient_cost,
        max_downtime_days=data.max_downtime_days,
        covered_only=data.covered_only,
        search=data.search or "",
    )
    try:
        weights = BALANCED if data.weights is None else Weights.from_mapping(data.weights)
    except WeightsError as exc:
        raise ScenarioError(f"weights: {exc} (the file is damaged)", "data") from None
    return Scenario(data.name, profile, filters, data.marked, weights)


def load(name: str, *, folder: Path | None = None) -> Scenario:
    """The scenario of that identity, by the name stored in its file (which must match)."""
    path = path_for(name, folder)
    if not os.path.lexists(path):
        known = ", ".join(quote(n) for n in list_names(folder)) or "none saved yet"
        raise ScenarioError(f"no scenario named {_shown(name)} (saved: {known})")
    scenario = read_file(path)
    if identity(scenario.name) != identity(name):
        raise ScenarioError(
            f"{path}: holds the scenario {_shown(scenario.name)}, not {_shown(name)} "
            "(the file was renamed or copied by hand); it was not opened",
            "data",
        )
    return scenario


def read_file(path: Path) -> Scenario:
    try:
        document = read_toml(path)
        version = document.get("schema_version", SCHEMA_VERSION)
        if version != SCHEMA_VERSION or type(version) is not int:
            raise ScenarioError(
                f"{path}: schema_version {quote(version)} is not supported (this version of "
                f"regen-compare reads {SCHEMA_VERSION}); was it saved by a newer one?",
                "data",
            )
        return _from_file(ScenarioFile.model_validate(document))
    except DataError as exc:
        raise ScenarioError("; ".join(str(p) for p in exc.errors), "data") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ScenarioError(
            f"{path}: {where}: {first['msg']} (the file is damaged)", "data"
        ) from None


@dataclass
class Listing:
    """The saved scenarios, and a line for each file that could not be listed."""

    names: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def scan(folder: Path | None = None) -> Listing:
    """Every scenario file, read: names of the good ones, sorted; problems for the others
    (unreadable, a newer schema_version, or a stored name that does not belong to the file's
    name, e.g. a file renamed by hand)."""
    base = folder or scenarios_dir()
    listing = Listing()
    if not base.is_dir():
        return listing
    for path in sorted(base.glob("*.toml")):
        try:
            name = read_file(path).name
        except ScenarioError as exc:
            listing.problems.append(f"{exc} (not listed)")
            continue
        if path.stem != file_stem(name):
            listing.problems.append(
                f"{path}: holds the scenario {_shown(name)}, but that name belongs in "
                f"{file_stem(name)}.toml; not listed (rename the file, or save it again)"
            )
            continue
        listing.names.append(name)
    listing.names.sort(key=identity)
    return listing


def list_names(folder: Path | None = None) -> list[str]:
    """Names of the saved scenarios, sorted; files that cannot be listed are left out (see
    `scan` for why)."""
    return scan(folder).names


def delete(name: str, *, folder: Path | None = None) -> None:
    path = path_for(name, folder)
    if os.path.lexists(path) and not os.path.islink(path):
        try:
            held: str | None = read_file(path).name
        except ScenarioError:
            held = None  # a damaged file of that name may be deleted
        if held is not None and identity(held) != identity(name):
            raise ScenarioError(
                f"{path}: holds the scenario {_shown(held)}, not {_shown(name)}; not deleted",
                "data",
            )
    try:
        path.unlink()
    except FileNotFoundError:
        raise ScenarioError(f"no scenario named {_shown(name)}") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot delete ({exc.strerror})", "write") from None


def rename(old: str, new: str, *, folder: Path | None = None) -> Path:
    """Give a scenario a new name. A name of another scenario's identity is refused naming
    it; a change of case or normalisation only rewrites the same file."""
    scenario = load(old, folder=folder)
    same = identity(new) == identity(old)
    if not same and exists(new, folder):
        try:
            held = read_file(path_for(new, folder)).name
        except ScenarioError:
            held = new
        raise ScenarioError(f"a scenario named {_shown(held)} already exists", "write")
    written = save(
        Scenario(new, scenario.profile, scenario.filters, scenario.marked, scenario.weights),
        overwrite=same,
        folder=folder,
    )
    if not same:
        delete(old, folder=folder)
    return written


def resolve(scenario: Scenario, catalog: Catalog, regions: RegionSet | None = None) -> Resolved:
    """Drop what today's data no longer has, with a note for each; never an error. The
    region is checked when `regions` is given (no regions data: it is kept as saved)."""
    notes = []
    profile = scenario.profile
    condition, payer, region = profile.condition, profile.payer, profile.region
    if condition is not None and condition not in catalog.conditions:
        notes.append(f"condition {condition!r} is no longer in the data; it was cleared")
        condition = None
    if payer is not None and payer not in catalog.payers:
        notes.append(f"plan {payer!r} is no longer in the data; it was cleared")
        payer = None
    if region is not None and regions is not None and region not in regions.regions:
        notes.append(f"region {region!r} is no longer in the data; it was cleared")
        region = None
    marked = []
    for tid in scenario.marked:
        if tid in catalog.therapies:
            marked.append(tid)
        else:
            notes.append(f"therapy {tid!r} is no longer in the data; it was unmarked")
    new_profile = replace(profile, condition=condition, payer=payer, region=region)
    kept = replace(scenario, profile=new_profile, marked=tuple(marked))
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


# --- two scenarios side by side -------------------------------------------------------------


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
            return "— (national prices)"
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
