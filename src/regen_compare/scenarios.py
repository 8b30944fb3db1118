"""Saved scenarios: a counselor keeps a patient's profile, filters and marked therapies under a
name, only when asked, and reopens them later.

Stored as one TOML file per scenario in the user's data folder (platformdirs), mode 0600,
written atomically (never through a link). A scenario that names a therapy, payer or
condition the data no longer has still opens: the missing parts are dropped with a note,
never an error.

A scenario's identity is its name trimmed, in Unicode NFKC, case-folded (`identity`): "Foo",
"foo" and "Foo ", or "café" typed precomposed and decomposed, are one scenario, stored in one
file whose name is derived from the identity (a readable ASCII part plus a hash, so no name
can equal another scenario's file name). A name that only looks like a saved one ("Mrs Α"
with a Greek alpha beside "Mrs A": `lookalike.skeleton`) is refused naming the saved one, so
the wrong patient's scenario cannot be opened by mistake. The file's stored `name` is the
truth: a file whose stored name does not belong to its file name is reported, not listed or
opened under the wrong name; saving a name whose identity is taken is refused naming the
scenario that holds it; a file written by a newer version (`schema_version` other than
`SCHEMA_VERSION`) is a clear error. A damaged file's problems are located like the data's
(`FILE:LINE: key: message`).
"""

from __future__ import annotations

import contextlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import tomli_w

from regen_compare.data.load import read_document
from regen_compare.data.reading import FileContext
from regen_compare.data.regions import Code as RegionCode
from regen_compare.engine.costs import MAX_YEARS, Profile, UnitsChoice
from regen_compare.engine.fit.score import BALANCED, Weights, WeightsError
from regen_compare.engine.query import Filters
from regen_compare.model.entities import Category, Invasiveness, Money, Name, Slug, Strict
from regen_compare.model.lookalike import skeleton
from regen_compare.model.markers import After, Constrain
from regen_compare.model.problems import Problem
from regen_compare.model.text import quote
from regen_compare.model.types import Units as UnitsCount
from regen_compare.model.types import entity
from regen_compare.store.atomic import (
    WriteError,
    check_target,
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

    def __init__(self, message: str, kind: str = "usage", problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.kind = kind
        self.problems = list(problems)
        """A damaged file's problems, each with its file and line (empty otherwise)."""


def _one_choice_per_therapy(units: tuple[ScenarioUnits, ...]) -> tuple[ScenarioUnits, ...]:
    seen: set[str] = set()
    for choice in units:
        if choice.therapy in seen:
            raise ValueError(f"{quote(choice.therapy)} is given twice: once per therapy")
        seen.add(choice.therapy)
    return units


@entity
class ScenarioUnits(Strict):
    """Units of one therapy the patient set in the consult (this year, each later year)."""

    therapy: Slug
    first_year: UnitsCount
    later_years: UnitsCount | None = None


@entity
class ScenarioFile(Strict):
    """What a scenario file holds. Only ids and numbers: no notes about the patient."""

    schema_version: int = 1
    name: Name
    saved: date
    condition: Slug | None = None
    payer: Slug | None = None
    deductible_met: Money = Decimal(0)
    oop_met: Money = Decimal(0)
    years: Annotated[int, Constrain(strict=True, ge=1, le=MAX_YEARS)] = 1
    region: RegionCode | None = None
    """Where the patient lives; absent in files saved before regions existed."""
    supplement: Slug | None = None
    """Coverage that pays after the plan (Medigap, Medicaid); absent in older files."""
    units: Annotated[tuple[ScenarioUnits, ...], After(_one_choice_per_therapy)] = ()
    """Units set in the consult, per therapy (each therapy once); absent in older files."""
    weights: dict[str, int] | None = None
    """What matters (criterion: 0-3); absent in older files: the balanced weights."""
    category: Category | None = None
    max_invasiveness: Invasiveness | None = None
    max_patient_cost: Money | None = None
    max_downtime_days: Money | None = None
    covered_only: Annotated[bool, Constrain(strict=True)] = False
    search: Name | None = None
    """Read from files of earlier versions and ignored: a search is for the moment, not
    something to keep (it is never written)."""
    marked: tuple[Slug, ...] = ()


@dataclass(frozen=True)
class Scenario:
    name: str
    profile: Profile
    filters: Filters
    marked: tuple[str, ...] = ()
    weights: Weights = BALANCED


def scenarios_dir() -> Path:
    override = os.environ.get(SCENARIO_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("regen-compare", appauthor=False)) / "scenarios"


def identity(name: str) -> str:
    """What makes two scenario names the same scenario: trimmed, NFKC, then case-folded."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


def _legacy_identity(name: str) -> str:
    """The identity of the first versions (NFC, case-folded, untrimmed): their files are
    still found under it (`path_for`)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", name).casefold())


def _slug(key: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-") or "scenario"


def _stem_of(key: str) -> str:
    import hashlib

    return f"{_slug(key)}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"


def file_stem(name: str) -> str:
    """The file name (without `.toml`) for a scenario name: an ASCII slug of its identity,
    for people, plus a hash of the identity, so two identities never share a file and no
    name can be another scenario's file name."""
    return _stem_of(identity(name))


def _stems(name: str) -> tuple[str, ...]:
    """The file names a scenario of that stored name may be saved under: its own, then the
    one the first versions gave it (the same for most names)."""
    own, legacy = file_stem(name), _stem_of(_legacy_identity(name))
    return (own,) if legacy == own else (own, legacy)


def path_for(name: str, folder: Path | None = None) -> Path:
    """Where the scenario of that name is (or would be) saved. A scenario an earlier version
    saved under its old file name (its name untrimmed, NFC: `_legacy_identity`), for this
    name or another spelling of the same identity ("Mrs A " for "Mrs A"), is used in place
    while there is none under the new name."""
    base = folder or scenarios_dir()
    own = base / f"{file_stem(name)}.toml"
    if os.path.lexists(own):
        return own
    return _saved_before(name, base) or own


def _saved_before(name: str, base: Path) -> Path | None:
    """The file an earlier version saved the scenario of `name`'s identity in, if any.
    Its file name starts with the same readable slug, so only those files are read."""
    typed = base / f"{_stem_of(_legacy_identity(name))}.toml"
    if os.path.lexists(typed):
        return typed
    key = identity(name)
    for path in sorted(base.glob(f"{_slug(key)}-*.toml")):
        try:
            stored = read_file(path).name
        except ScenarioError:
            continue
        if identity(stored) == key and path.stem in _stems(stored):
            return path
    return None


def exists(name: str, folder: Path | None = None) -> bool:
    """A scenario of that identity is saved (or its file is there, even if unreadable)."""
    return os.path.lexists(path_for(name, folder))


def _shown(name: str) -> str:
    return quote(name)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


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
        "supplement": p.supplement,
        "units": [
            {
                "therapy": u.therapy,
                "first_year": _number(u.first_year),
                **({} if u.later_years is None else {"later_years": _number(u.later_years)}),
            }
            for u in p.units
        ]
        or None,
        "category": f.category.value if f.category else None,
        "max_invasiveness": f.max_invasiveness.value if f.max_invasiveness else None,
        "max_patient_cost": f.max_patient_cost,
        "max_downtime_days": f.max_downtime_days,
        "covered_only": f.covered_only,
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
    renaming: str | None = None,
) -> Path:
    """Write the scenario (mode 0600, atomically), its name trimmed. Refuses to replace one
    unless asked.

    The scenario with the same identity (trimmed, NFKC, case-folded name) is the one
    replaced: saving "foo" while "Foo" exists is refused naming "Foo", or with `overwrite`
    replaces it. A new name that only looks like a saved one (`lookalike.skeleton`) is
    refused naming it, whatever `overwrite` says; `renaming`: the scenario being renamed,
    which the new name may look like."""
    scenario = replace(scenario, name=scenario.name.strip())
    if not scenario.name:
        raise ScenarioError("a scenario needs a name")
    from pydantic import ValidationError

    try:
        ScenarioFile.model_validate(_to_file(scenario, today or date.today()))
    except ValidationError as exc:
        raise ScenarioError(
            f"cannot save {_shown(scenario.name)}: {exc.errors()[0]['msg']}"
        ) from None
    target_folder = folder or scenarios_dir()
    existing = path_for(scenario.name, target_folder)
    if not _check_existing(existing, scenario.name, overwrite):
        _refuse_lookalike(scenario.name, target_folder, renaming)
    target = target_folder / f"{file_stem(scenario.name)}.toml"
    try:
        target_folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ScenarioError(
            f"{target_folder}: cannot create the folder ({exc.strerror})", "write"
        ) from None
    text = tomli_w.dumps(_to_file(scenario, today or date.today()))
    try:
        written = write_atomic(target, text, mode=0o600, overwrite=overwrite)
    except WriteError as exc:
        raise ScenarioError(str(exc), "write") from None
    if existing != target:  # it was kept under an earlier version's file name
        with contextlib.suppress(OSError):
            existing.unlink()
    return written


def _check_existing(target: Path, name: str, overwrite: bool) -> bool:
    """Whether a file is at `target` (the scenario of `name`'s identity), refusing what
    may not be replaced: another scenario's file, or any file without `overwrite`."""
    try:
        # Judged without following a link: a folder, FIFO or device there is refused now.
        there = check_target(target, overwrite=True)
    except WriteError as exc:
        raise ScenarioError(str(exc), "write") from None
    if there != "file":
        return there is not None
    try:
        held: str | None = read_file(target).name
    except ScenarioError:
        held = None
    if held is not None and identity(held) != identity(name):
        raise ScenarioError(
            f"{target}: holds the scenario {_shown(held)}, not {_shown(name)}; "
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
    return True


def _refuse_lookalike(name: str, folder: Path, renaming: str | None) -> None:
    """A new scenario name must not look like a saved one's ("Mrs Α" beside "Mrs A")."""
    looks = skeleton(name)
    mine = {identity(name), *([identity(renaming)] if renaming is not None else [])}
    for saved in scan(folder).names:
        if identity(saved) not in mine and skeleton(saved) == looks:
            raise ScenarioError(
                f"{_shown(name)} looks the same as the saved scenario {_shown(saved)} "
                "(letters from another alphabet, or spacing); nothing was saved: choose a "
                "name that reads differently",
                "write",
            )


def _from_file(data: ScenarioFile, ctx: FileContext) -> Scenario:
    profile = Profile(
        condition=data.condition,
        payer=data.payer,
        deductible_met=data.deductible_met,
        oop_met=data.oop_met,
        years=data.years,
        region=data.region,
        supplement=data.supplement,
        units=tuple(UnitsChoice(u.therapy, u.first_year, u.later_years) for u in data.units),
    )
    filters = Filters(
        category=data.category,
        max_invasiveness=data.max_invasiveness,
        max_patient_cost=data.max_patient_cost,
        max_downtime_days=data.max_downtime_days,
        covered_only=data.covered_only,
    )
    weights = BALANCED if data.weights is None else _weights(data.weights, ctx)
    return Scenario(data.name, profile, filters, data.marked, weights)


def _weights(table: dict[str, int], ctx: FileContext) -> Weights:
    """The weights a file holds; a bad one is located at its own key (file and line)."""
    for key, value in table.items():
        try:
            Weights.from_mapping({key: value})
        except WeightsError as exc:
            ctx.add(f"{exc} (the file is damaged)", path=("weights", key), where=f"weights.{key}")
            raise _damaged(ctx) from None
    return Weights.from_mapping(table)


def _damaged(ctx: FileContext) -> ScenarioError:
    """A damaged file's problems as one error (each `FILE:LINE: key: message`)."""
    return ScenarioError("; ".join(str(p) for p in ctx.problems), "data", ctx.problems)


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
    """The scenario a file holds, through every guard of the data loader (a regular file of
    bounded size, UTF-8, TOML), or `ScenarioError` ("data") with each problem located."""
    ctx = FileContext(str(path))
    document = read_document(path, ctx)
    if document is None:
        raise _damaged(ctx)
    version = document.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION or type(version) is not int:
        ctx.add(
            f"{quote(version)} is not supported (this version of regen-compare reads "
            f"{SCHEMA_VERSION}); was it saved by a newer one?",
            path=("schema_version",),
            where="schema_version",
        )
        raise _damaged(ctx)
    from pydantic import ValidationError

    from regen_compare.data.messages import describe, key_path, model_at

    try:
        data = ScenarioFile.model_validate(document)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(part for part in error["loc"] if part != "[key]")
            ctx.add(
                f"{describe(error, model_at(ScenarioFile, loc))} (the file is damaged)",
                path=loc,
                where=key_path("", loc, document).lstrip("."),
            )
        raise _damaged(ctx) from None
    return _from_file(data, ctx)


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
    seen: dict[str, str] = {}
    for path in sorted(base.glob("*.toml")):
        try:
            name = read_file(path).name
        except ScenarioError as exc:
            listing.problems.append(f"{exc} (not listed)")
            continue
        if path.stem not in _stems(name):
            listing.problems.append(
                f"{path}: holds the scenario {_shown(name)}, but that name belongs in "
                f"{file_stem(name)}.toml; not listed (rename the file, or save it again)"
            )
            continue
        if identity(name) in seen:
            listing.problems.append(
                f"{path}: holds the scenario {_shown(name)}, the same name as "
                f"{_shown(seen[identity(name)])} (saved by an earlier version); not listed "
                "(delete one of the two files)"
            )
            continue
        seen[identity(name)] = name
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
        renaming=old,
    )
    if not same:
        delete(old, folder=folder)
    return written
