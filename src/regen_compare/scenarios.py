"""Saved scenarios: a counselor keeps a patient's profile, filters and marked therapies under a
name, only when asked, and reopens them later.

Stored as one TOML file per scenario in the user's data folder (platformdirs), mode 0600,
written atomically. A scenario that names a therapy, payer or condition the data no longer
has still opens: the missing parts are dropped with a note, never an error.
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

from regen_compare.atomic import WriteError, remove_stale_temp_files, write_atomic
from regen_compare.catalog import Catalog
from regen_compare.costs import MAX_YEARS, Profile
from regen_compare.load import read_toml
from regen_compare.model import Category, Invasiveness, Money, Name, Slug, Strict
from regen_compare.problems import DataError
from regen_compare.query import Filters

SCENARIO_ENV = "REGEN_COMPARE_SCENARIOS"
MAX_MARKS = 4


class ScenarioError(Exception):
    """A scenario could not be saved, found or read (the message says which and why)."""


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


def file_stem(name: str) -> str:
    """A safe file name for a scenario name: ASCII slug plus a short hash when needed."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]
    if not stem or stem != name.lower():
        import hashlib

        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        stem = f"{stem or 'scenario'}-{digest}"
    return stem


def path_for(name: str, folder: Path | None = None) -> Path:
    """Where the scenario of that name is (or would be) saved."""
    return (folder or scenarios_dir()) / f"{file_stem(name)}.toml"


def exists(name: str, folder: Path | None = None) -> bool:
    return path_for(name, folder).exists()


def _to_file(scenario: Scenario, today: date) -> dict[str, Any]:
    p, f = scenario.profile, scenario.filters
    data: dict[str, Any] = {
        "schema_version": 1,
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
    """Write the scenario (mode 0600, atomically). Refuses to replace one unless asked."""
    if not scenario.name.strip():
        raise ScenarioError("a scenario needs a name")
    try:
        ScenarioFile.model_validate(_to_file(scenario, today or date.today()))
    except ValidationError as exc:
        raise ScenarioError(f"cannot save {scenario.name!r}: {exc.errors()[0]['msg']}") from None
    target_folder = folder or scenarios_dir()
    try:
        target_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ScenarioError(f"{target_folder}: cannot create the folder ({exc.strerror})") from None
    remove_stale_temp_files(target_folder)
    text = tomli_w.dumps(_to_file(scenario, today or date.today()))
    try:
        return write_atomic(
            path_for(scenario.name, target_folder), text, mode=0o600, overwrite=overwrite
        )
    except WriteError as exc:
        raise ScenarioError(str(exc)) from None


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
    path = path_for(name, folder)
    if not path.exists():
        known = ", ".join(list_names(folder)) or "none saved yet"
        raise ScenarioError(f"no scenario named {name!r} (saved: {known})")
    return read_file(path)


def read_file(path: Path) -> Scenario:
    try:
        document = read_toml(path)
        return _from_file(ScenarioFile.model_validate(document))
    except DataError as exc:
        raise ScenarioError("; ".join(str(p) for p in exc.errors)) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ScenarioError(f"{path}: {where}: {first['msg']} (the file is damaged)") from None


def list_names(folder: Path | None = None) -> list[str]:
    """Names of the saved scenarios, sorted; unreadable files are skipped."""
    base = folder or scenarios_dir()
    if not base.is_dir():
        return []
    names = []
    for path in sorted(base.glob("*.toml")):
        try:
            names.append(read_file(path).name)
        except ScenarioError:
            continue
    return sorted(names, key=str.casefold)


def delete(name: str, *, folder: Path | None = None) -> None:
    path = path_for(name, folder)
    try:
        path.unlink()
    except FileNotFoundError:
        raise ScenarioError(f"no scenario named {name!r}") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot delete ({exc.strerror})") from None


def rename(old: str, new: str, *, folder: Path | None = None) -> Path:
    scenario = load(old, folder=folder)
    if path_for(new, folder).exists() and path_for(new, folder) != path_for(old, folder):
        raise ScenarioError(f"a scenario named {new!r} already exists")
    written = save(
        Scenario(new, scenario.profile, scenario.filters, scenario.marked),
        overwrite=True,
        folder=folder,
    )
    if path_for(old, folder) != written:
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
