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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import tomli_w
from pydantic import Field, ValidationError
from pydantic import Strict as StrictType

from regen_compare.atomic import (
    WriteError,
    check_target,
    remove_stale_temp_files,
    write_atomic,
)
from regen_compare.catalog import Catalog
from regen_compare.costs import MAX_YEARS, Profile
from regen_compare.load import read_toml
from regen_compare.model import Category, Invasiveness, Money, Name, Slug, Strict
from regen_compare.problems import DataError
from regen_compare.query import Filters
from regen_compare.safe_text import quote

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
        "category": f.category.value if f.category else None,
        "max_invasiveness": f.max_invasiveness.value if f.max_invasiveness else None,
        "max_patient_cost": f.max_patient_cost,
        "max_downtime_days": f.max_downtime_days,
        "covered_only": f.covered_only,
        "search": f.search or None,
        "marked": list(scenario.marked),
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
    )
    filters = Filters(
        category=data.category,
        max_invasiveness=data.max_invasiveness,
        max_patient_cost=data.max_patient_cost,
        max_downtime_days=data.max_downtime_days,
        covered_only=data.covered_only,
        search=data.search or "",
    )
    return Scenario(data.name, profile, filters, data.marked)


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
        Scenario(new, scenario.profile, scenario.filters, scenario.marked),
        overwrite=same,
        folder=folder,
    )
    if not same:
        delete(old, folder=folder)
    return written


def resolve(scenario: Scenario, catalog: Catalog) -> Resolved:
    """Drop what today's data no longer has, with a note for each; never an error."""
    notes = []
    profile = scenario.profile
    condition, payer = profile.condition, profile.payer
    if condition is not None and condition not in catalog.conditions:
        notes.append(f"condition {condition!r} is no longer in the data; it was cleared")
        condition = None
    if payer is not None and payer not in catalog.payers:
        notes.append(f"plan {payer!r} is no longer in the data; it was cleared")
        payer = None
    marked = []
    for tid in scenario.marked:
        if tid in catalog.therapies:
            marked.append(tid)
        else:
            notes.append(f"therapy {tid!r} is no longer in the data; it was unmarked")
    new_profile = Profile(condition, payer, profile.deductible_met, profile.oop_met, profile.years)
    return Resolved(Scenario(scenario.name, new_profile, scenario.filters, tuple(marked)), notes)


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


def side_by_side(catalog: Catalog, left: Scenario, right: Scenario) -> list[SideBySideLine]:
    """The therapies marked in either scenario, priced under each; differences flagged.

    Typical use: the same therapies under Medicare and under an employer plan.
    """
    from regen_compare import labels
    from regen_compare.money import format_range
    from regen_compare.query import build_rows

    order: list[str] = []
    for tid in (*left.marked, *right.marked):
        if tid not in order and tid in catalog.therapies:
            order.append(tid)
    rows_l = {r.id: r for r in build_rows(catalog, left.profile)}
    rows_r = {r.id: r for r in build_rows(catalog, right.profile)}

    def plan(profile: Profile) -> str:
        if profile.payer is None:
            return "no plan (cash)"
        return catalog.payers[profile.payer].name

    def condition(profile: Profile) -> str:
        return catalog.conditions[profile.condition].name if profile.condition else "any"

    lines = [
        SideBySideLine("", "Plan", plan(left.profile), plan(right.profile)),
        SideBySideLine("", "Condition", condition(left.profile), condition(right.profile)),
        SideBySideLine("", "Years", str(left.profile.years), str(right.profile.years)),
        SideBySideLine(
            "",
            "Deductible met",
            f"${left.profile.deductible_met:,.0f}",
            f"${right.profile.deductible_met:,.0f}",
        ),
        SideBySideLine(
            "",
            "Out-of-pocket met",
            f"${left.profile.oop_met:,.0f}",
            f"${right.profile.oop_met:,.0f}",
        ),
    ]
    for tid in order:
        a, b = rows_l[tid], rows_r[tid]
        name = catalog.therapies[tid].name
        lines += [
            SideBySideLine(
                name,
                "You pay, total",
                format_range(a.your_cost, none=labels.no_figure(a.cost)),
                format_range(b.your_cost, none=labels.no_figure(b.cost)),
            ),
            SideBySideLine(
                name,
                "You pay, year 1",
                format_range(
                    a.cost.years[0].patient if a.cost.years else a.your_cost,
                    none=labels.no_figure(a.cost),
                ),
                format_range(
                    b.cost.years[0].patient if b.cost.years else b.your_cost,
                    none=labels.no_figure(b.cost),
                ),
            ),
            SideBySideLine(
                name, "Coverage", labels.coverage_label(a.cost), labels.coverage_label(b.cost)
            ),
            SideBySideLine(
                name,
                "Policy",
                a.cost.rule.policy if a.cost.rule and a.cost.rule.policy else "—",
                b.cost.rule.policy if b.cost.rule and b.cost.rule.policy else "—",
            ),
        ]
    return lines
