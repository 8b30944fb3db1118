"""Where the patient lives: the regional factors of data/regions.toml, checked strictly.

`--region` names a US state (its two-letter code). What the data can adjust honestly:

* **Medicare amounts** move with CMS's geographic adjustment for the state's physician payment
  localities. A state with several localities carries the lowest and highest factor: the
  patient's locality decides, so an adjusted amount becomes a range (`adjust_medicare`).
* **Cash prices** move only where a sourced regional index exists (`cash_index`). None does
  yet, so cash prices stay national and every screen says so (`cash_note`).

The file gets the guarantees of the other data files: a small regular UTF-8 file (size, kind,
encoding and run-away-input guards of `load.py`), strict models (unknown keys, NaN, text for
numbers are errors), and every problem reported at once as `FILE:LINE: region[XX].key: …`.

Through the cache (`load_cached`, `load_beside`): a file checked before, with the same bytes,
date and code, is read back as plain data (`store.entry`) and validated no more; an entry is
written only from a `RegionSet` that was just checked, keyed on the very bytes checked.
"""

from __future__ import annotations

import marshal
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from regen_compare.data import load
from regen_compare.data import reading as load_read
from regen_compare.data.reading import FileContext
from regen_compare.model.entities import (
    Coverage,
    CoverageStatus,
    Date,
    MoneyRange,
    Name,
    PayerKind,
    Published,
    Slug,
    Strict,
    Url,
)
from regen_compare.model.markers import Before, Constrain, JsonSchema
from regen_compare.model.money import CENT, Range
from regen_compare.model.problems import DataError, Problem, did_you_mean, has_error
from regen_compare.model.text import display_safe, quote
from regen_compare.model.types import AT_LEAST_ONE, adapter, entity
from regen_compare.model.types import number as _number
from regen_compare.store import cache
from regen_compare.store import entry as load_entry

REGIONS_FILE = "regions.toml"
MAX_FACTOR = Decimal(3)
CODE_PATTERN = r"^[A-Z]{2}$"


def _factor(value: Any) -> Decimal:
    factor = _number(value, what="a factor", maximum=MAX_FACTOR, places=3)
    if factor == 0:
        raise ValueError("a factor must be greater than 0")
    return factor


Factor = Annotated[
    Decimal,
    Before(_factor),
    JsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": 3}),
]
Code = Annotated[str, Constrain(strict=True, pattern=CODE_PATTERN)]
Count = Annotated[int, Constrain(strict=True, ge=1, le=100)]


@entity
class FactorRange(Strict):
    """The lowest and highest factor among a state's localities."""

    min: Factor
    max: Factor

    def _check(self) -> None:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")

    @property
    def single(self) -> bool:
        return self.min == self.max

    def text(self) -> str:
        return f"{self.min}" if self.single else f"{self.min}–{self.max}"


@entity
class RegionSource(Strict):
    title: Name
    url: Url
    accessed: Date
    published: Published | None = None
    supports: tuple[Literal["medicare_gaf", "cash_index", "prior_auth"], ...] = ()


@entity
class RegionalPriorAuth(Strict):
    """A plan's prior authorization that applies only in this state (Medicare's WISeR model
    from 2026): a rule that covers one of `therapies` becomes prior auth here, its policy
    named."""

    payer: Slug
    therapies: Annotated[tuple[Slug, ...], AT_LEAST_ONE]
    policy: Name
    since: Date


@entity
class Region(Strict):
    code: Code
    name: Name
    medicare_gaf: FactorRange
    localities: Count = 1
    cash_index: FactorRange | None = None
    """A sourced regional index for cash prices; absent: cash prices are national."""
    prior_auth: tuple[RegionalPriorAuth, ...] = ()
    as_of: Date
    sources: Annotated[tuple[RegionSource, ...], AT_LEAST_ONE]

    def _check(self) -> None:
        if self.cash_index is not None and not any(
            "cash_index" in s.supports for s in self.sources
        ):
            raise ValueError(
                'cash_index needs a source that supports it (supports = ["cash_index"]): '
                "a regional cash index is never guessed"
            )
        if self.prior_auth and not any("prior_auth" in s.supports for s in self.sources):
            raise ValueError(
                'prior_auth needs a source that supports it (supports = ["prior_auth"])'
            )
        if self.localities == 1 and not self.medicare_gaf.single:
            raise ValueError("one locality has one factor: medicare_gaf min and max must match")

    def describe(self) -> str:
        """The one line the header, the handout and the JSON name the region with."""
        if self.medicare_gaf.single:
            medicare = f"Medicare amounts × {self.medicare_gaf.min}"
        else:
            medicare = (
                f"Medicare amounts × {self.medicare_gaf.text()} "
                f"(your locality decides; {self.localities} localities)"
            )
        return f"{self.name} ({self.code}): {medicare}; {cash_note(self)}"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "medicare_gaf": {
                "min": float(self.medicare_gaf.min),
                "max": float(self.medicare_gaf.max),
            },
            "cash_index": None
            if self.cash_index is None
            else {"min": float(self.cash_index.min), "max": float(self.cash_index.max)},
            "cash_prices": "regional" if self.cash_index is not None else "national",
        }


@entity
class RegionsFile(Strict):
    """The top level of regions.toml, for its JSON Schema (`schema.py`); the loader validates
    each region on its own, so one bad region does not hide the others."""

    schema_version: Literal[1]
    region: tuple[Region, ...] = ()


@dataclass(frozen=True)
class RegionSet:
    regions: dict[str, Region]
    file: Path
    warnings: list[Problem]

    def get(self, code: str) -> Region:
        """The region for a code typed by a person (case-insensitive), or `UnknownRegion`."""
        key = code.strip().upper()
        region = self.regions.get(key)
        if region is None:
            raise UnknownRegion(code, sorted(self.regions))
        return region


class UnknownRegion(ValueError):
    """A region code not in the file: the message is a usage line with the valid codes."""

    def __init__(self, code: str, known: list[str]) -> None:
        self.code = code
        self.known = known
        hint = did_you_mean(code.strip().upper(), known)
        super().__init__(
            f"unknown region {quote(code)}{hint}: use a US state's two-letter code, "
            f"one of {', '.join(known)}"
        )


# --- applying a region ----------------------------------------------------------------------


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _scale(amount: Range, factor: FactorRange) -> Range:
    """`amount` in a place whose factor lies in `factor`: the low end with the lowest factor,
    the high end with the highest. The typical figure survives only when the state has one
    factor; across localities no single figure is honest."""
    typical = None
    if amount.typical is not None and factor.single:
        typical = _cents(amount.typical * factor.min)
    return Range(_cents(amount.min * factor.min), _cents(amount.max * factor.max), typical)


def adjust_medicare(amount: Range, region: Region | None) -> Range:
    """A Medicare allowed amount (or a range of them) in `region`. Apply it to Medicare
    fee-schedule amounts only, never to a cash price. No region: unchanged."""
    if region is None:
        return amount
    return _scale(amount, region.medicare_gaf)


def adjust_cash(amount: Range, region: Region | None) -> Range:
    """A cash price in `region`: moved only by a sourced regional cash index; without one the
    price is national and comes back unchanged (say so with `cash_note`)."""
    if region is None or region.cash_index is None:
        return amount
    return _scale(amount, region.cash_index)


def cash_note(region: Region | None) -> str:
    if region is None:
        return "cash prices are national"
    if region.cash_index is None:
        return f"cash prices are national (no sourced regional price index for {region.name})"
    return f"cash prices × {region.cash_index.text()} (a sourced regional index)"


def applies_to(kind: PayerKind) -> bool:
    """Whose amounts the factor moves: Original Medicare's fee schedule. Other plans' allowed
    amounts are their own (a Medicare Advantage plan's network rates are not published per
    locality), so they stay as the data gives them."""
    return kind is PayerKind.MEDICARE


def regional_rule(
    rule: Coverage | None,
    kind: PayerKind,
    region: Region | None,
    payer_id: str | None = None,
) -> Coverage | None:
    """A coverage rule as it applies in `region`: a state's own prior authorization for this
    plan (`Region.prior_auth`) turns a covering rule into prior auth with that policy named,
    and Original Medicare's `allowed` amount moves by the region's factor; every other rule
    comes back as it is. A rule without an `allowed` amount is priced at the cash price,
    which a region never moves."""
    if rule is None or region is None:
        return rule
    rule = _regional_prior_auth(rule, region, payer_id)
    if rule.allowed is None or not applies_to(kind):
        return rule
    allowed = rule.allowed
    moved = adjust_medicare(Range(allowed.min, allowed.max, allowed.typical), region)
    return rule.model_copy(
        update={"allowed": MoneyRange(min=moved.min, typical=moved.typical, max=moved.max)}
    )


def _regional_prior_auth(rule: Coverage, region: Region, payer_id: str | None) -> Coverage:
    if payer_id is None or rule.status is not CoverageStatus.COVERED:
        return rule
    for entry in region.prior_auth:
        if entry.payer == payer_id and rule.therapy in entry.therapies:
            policy = f"{entry.policy} ({region.name}, since {entry.since.isoformat()})"
            if rule.policy:
                policy = f"{rule.policy}; {policy}"
            return rule.model_copy(
                update={"status": CoverageStatus.PRIOR_AUTH, "policy": policy[:200]}
            )
    return rule


# --- loading -----------------------------------------------------------------------------------


def regions_path(data_dir: str | os.PathLike[str]) -> Path:
    return Path(data_dir) / REGIONS_FILE


def load_regions(path: str | os.PathLike[str], *, today: date | None = None) -> RegionSet:
    """Read and check one regions file (a folder means its regions.toml). Raises
    `DataError` listing every problem, each with its line; warnings come back on the set."""
    file = Path(path)
    if file.is_dir():
        file = file / REGIONS_FILE
    return regions_from(file, read_bytes(file), today=today)


def read_bytes(file: Path) -> bytes | Problem:
    """The file's bytes through the data loader's guards (size, kind), or why not."""
    return load_read.read_bytes(file, str(file), load.MAX_FILE_BYTES)


KnownIds = tuple[Collection[str], Collection[str]]
"""The payer ids and therapy ids of the data files, to check the references of a state's
prior-auth rules against (`validate`)."""


def regions_from(
    file: Path, data: bytes | Problem, *, today: date | None = None, known: KnownIds | None = None
) -> RegionSet:
    """`load_regions` of bytes already read (a cache keys its entry on the very bytes checked);
    with `known`, each payer or therapy id a regional prior authorization names is checked
    against them too (a typo would leave the rule silently unused)."""
    # Checking is imported when a file is checked: a start served from the cache never is.
    from regen_compare.data.checks import check_top_level

    today = today or date.today()
    ctx = FileContext(str(file))
    try:
        doc = load_read.document_of(data, ctx)
        regions: dict[str, Region] = {}
        if doc is not None and check_top_level(ctx, doc, ("schema_version", "region")):
            regions = _validate(ctx, doc, today, known)
    except RecursionError:
        raise DataError([Problem(str(file), None, "refused: data nested too deep")]) from None
    except MemoryError:
        raise DataError([Problem(str(file), None, "refused: data too large to check")]) from None
    problems = sorted(ctx.problems, key=lambda p: p.sort_key)
    if has_error(problems):
        raise DataError(problems)
    return RegionSet(regions, file, problems)


def _label(raw: Any, index: int) -> str:
    code = raw.get("code") if isinstance(raw, dict) else None
    if isinstance(code, str) and code:
        return f"region[{display_safe(code, limit=20)}]"
    return f"region#{index + 1}"


def _validate(
    ctx: FileContext, doc: dict[str, Any], today: date, known: KnownIds | None = None
) -> dict[str, Region]:
    from pydantic import ValidationError

    from regen_compare.data.messages import describe, key_path, model_at, type_name

    entries = doc.get("region", [])
    if not isinstance(entries, list):
        ctx.add(
            f"must be an array of tables ([[region]]), not {type_name(entries)}",
            path=("region",),
            where="region",
        )
        return {}
    regions: dict[str, Region] = {}
    first_at: dict[str, int] = {}
    for index, raw in enumerate(entries):
        label = _label(raw, index)
        try:
            region = adapter(Region).validate_python(raw)
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                if err["type"] == "string_pattern_mismatch" and loc == ("code",):
                    message = (
                        f"{quote(err.get('input'))} is not a region code: use a US state's "
                        "two-letter code in capitals (e.g. 'FL')"
                    )
                else:
                    message = describe(err, model_at(Region, loc))
                ctx.add(
                    message,
                    path=("region", index, *[p for p in loc if p != "[key]"]),
                    where=key_path(label, loc, raw),
                )
            continue
        if region.code in first_at:
            earlier = ctx.line_of(("region", first_at[region.code]))
            at = f" (first defined on line {earlier})" if earlier else ""
            ctx.add(
                f"duplicate code {quote(region.code)}{at}",
                path=("region", index, "code"),
                where=f"{label}.code",
            )
            continue
        first_at[region.code] = index
        regions[region.code] = region
        _check_dates(ctx, index, label, region, today)
        if known is not None:
            _check_references(ctx, index, label, region, known)
    return regions


def _check_dates(ctx: FileContext, index: int, label: str, region: Region, today: date) -> None:
    from regen_compare.data.checks import STALE_AFTER, check_published

    checks: list[tuple[date, tuple[str | int, ...], str, str]] = [
        (region.as_of, ("as_of",), f"{label}.as_of", "as_of")
    ]
    for n, source in enumerate(region.sources):
        checks.append(
            (
                source.accessed,
                ("sources", n, "accessed"),
                f"{label}.sources[{n + 1}].accessed",
                "accessed date",
            )
        )
    for n, source in enumerate(region.sources):
        where = f"{label}.sources[{n + 1}]"
        check_published(ctx, source.published, ("region", index, "sources", n), where, today)
    for value, key, where, what in checks:
        if value > today:
            ctx.add(f"{what} {value} is in the future", path=("region", index, *key), where=where)
        elif today - value > STALE_AFTER:
            ctx.add(
                f"{what} {value} is more than 2 years old: check the factors and update them",
                path=("region", index, *key),
                where=where,
                severity="warning",
            )


def _check_references(
    ctx: FileContext, index: int, label: str, region: Region, known: KnownIds
) -> None:
    payers, therapies = known
    for n, entry in enumerate(region.prior_auth):
        at, where = ("region", index, "prior_auth", n), f"{label}.prior_auth[{n + 1}]"
        if entry.payer not in payers:
            ctx.add(
                f"unknown payer id {quote(entry.payer)}{did_you_mean(entry.payer, payers)}",
                path=(*at, "payer"),
                where=f"{where}.payer",
            )
        for m, therapy in enumerate(entry.therapies):
            if therapy not in therapies:
                ctx.add(
                    f"unknown therapy id {quote(therapy)}{did_you_mean(therapy, therapies)}",
                    path=(*at, "therapies", m),
                    where=f"{where}.therapies[{m + 1}]",
                )


# --- through the cache -------------------------------------------------------------------

CACHE_FORMAT = 1
"""The layout of a cache entry; bumped when it changes (the key covers this file's code too)."""


def load_cached(path: Path, today: date) -> RegionSet:
    """`load_regions(path)`, from the cache when it holds the same file checked
    today; raises `DataError` as it does."""
    data = read_bytes(path)
    key = cache.make_key(today, data) if isinstance(data, bytes) else None
    if key is not None:
        found = decode(cache.load(path, key), path)
        if found is not None:
            return found
    checked = regions_from(path, data, today=today)
    if key is not None:
        cache.store(path, key, encode(checked))
    return checked


def encode(found: RegionSet) -> bytes:
    models = load_entry.encode_models(Region, found.regions.values())
    warnings = tuple(load_entry.problem_fields(p) for p in found.warnings)
    return marshal.dumps((CACHE_FORMAT, models, warnings))


def decode(payload: bytes | None, path: Path) -> RegionSet | None:
    """The regions an entry holds, or None when there is none or it is not one we wrote."""
    if payload is None:
        return None
    try:
        parts = marshal.loads(payload)
        if type(parts) is not tuple or len(parts) != 3 or parts[0] != CACHE_FORMAT:
            return None
        found = load_entry.decode_models(Region, parts[1])
        warnings = [load_entry.problem(p) for p in parts[2]]
    except Exception:  # anything an entry we did not write can raise: read the file instead
        return None
    return RegionSet({region.code: region for region in found}, path, warnings)


def regions_beside(
    data_dir: Path, today: date | None = None, *, known: KnownIds | None = None
) -> RegionSet | None:
    """The regions data beside the data files, checked; None when nothing is at regions.toml.
    Anything else at that name (a dangling link, a folder, a FIFO, a device, a damaged file)
    raises `DataError`, located. Through the cache, except with `known` (`validate` checks
    the references too, from the file itself)."""
    path = regions_path(data_dir)
    if not os.path.lexists(path):
        return None
    if known is not None:
        return regions_from(path, read_bytes(path), today=today, known=known)
    return load_cached(path, today or date.today())


def load_beside(data_dir: Path, today: date) -> tuple[RegionSet | None, str | None]:
    """`regions_beside` for the app: the set or None, and what was wrong with a file that is
    there but does not load (the app shows it and goes on without regions)."""
    try:
        return regions_beside(data_dir, today), None
    except DataError as exc:
        problems = exc.errors or exc.problems
        return None, str(problems[0]) if problems else "cannot load the regions data"
