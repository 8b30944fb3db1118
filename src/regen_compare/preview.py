"""The first rows of a large data set, shown while the whole of it is checked.

The first start on 10,000 therapies takes seconds to parse, check and price them all (later
starts read the cache). The first screen of a plain start, sorted by name, shows only the
few therapies whose names sort first, priced at cash. So those are found by a scan
(`name_scan`), and each is parsed, checked and priced here exactly as the full load and the
engine would do it. The screen shows them, says the rest is being checked, and keeps every
key but quit waiting until the full load has replaced it (or its errors have).

Nothing here guesses. A therapy shown passed the same checks as in the full load: the
model's validation, its references to conditions, its sources and dates; any error in one of
them and there is no preview. Their warnings (old or hard-to-trace figures) are counted, so
the screen can flag them as the live one will. A start that asks for more than the scan
can answer (a plan, a region, a condition, a filter, a search, marks) gets no preview: its
first screen depends on every therapy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel

from regen_compare import load_checks, load_read, name_scan
from regen_compare.catalog import Catalog
from regen_compare.costs import Profile
from regen_compare.fit import Weights
from regen_compare.load import THERAPIES_FILE
from regen_compare.load_messages import validate_entities
from regen_compare.load_read import FileContext
from regen_compare.model import Condition, Therapy
from regen_compare.problems import has_error
from regen_compare.query import Filters, Row, build_rows, sort_rows

HEAD_KEYS = ("schema_version", "condition")
"""What may come before the first therapy: a `therapy` there is one the scan did not see."""
M = TypeVar("M", bound=BaseModel)


class Preview(NamedTuple):
    rows: list[Row]
    """The first therapies by name, priced, in the table's order."""
    total: int
    """How many therapies the file holds, as the scan counted them."""
    flagged: int
    """The warnings on the rows shown (old or hard-to-trace figures): the full load's too."""


def applies(profile: Profile, filters: Filters, marks: tuple[str, ...] | list[str]) -> bool:
    """Whether a start's first screen depends only on the therapies that sort first by name:
    cash prices (no plan, no region), any condition, no filter or search, nothing marked."""
    plain = profile.payer is None and profile.region is None and profile.condition is None
    return plain and filters == Filters() and not marks


def first_rows(
    data_dir: Path, profile: Profile, weights: Weights, today: date, count: int
) -> Preview | None:
    """The first `count` rows of `profile`'s table, from the therapies alone; None when they
    cannot be told apart from the rest for certain, or any of them has a problem."""
    if not applies(profile, Filters(), ()):
        return None
    label = str(data_dir / THERAPIES_FILE)
    data = load_read.read_bytes(data_dir / THERAPIES_FILE, label, load_read.MAX_FILE_BYTES)
    text = load_read.decode(data, label) if isinstance(data, bytes) else None
    found = name_scan.first_by_name(text, count) if isinstance(text, str) else None
    if found is None:
        return None
    ctx = FileContext(label, error_lines=False)  # any error: no preview, no message
    checked = _checked(ctx, found, today)
    if checked is None or has_error(ctx.problems):
        return None
    conditions, therapies = checked
    if len({t.id for t in therapies}) != len(therapies):
        return None  # one would hide the other in the catalog (the scan refuses this first)
    catalog = Catalog.build(conditions, therapies, [])
    rows = build_rows(catalog, profile, weights=weights)
    return Preview(sort_rows(rows, "name"), found.total, len(ctx.problems))


def _checked(
    ctx: FileContext, found: name_scan.Found, today: date
) -> tuple[list[Condition], list[Therapy]] | None:
    """The conditions and the chosen therapies, validated and checked as the full load does
    (problems go on `ctx`); None when any part does not parse or validate."""
    head = load_read.parse(found.head, ctx)
    if head is None or not load_checks.check_top_level(ctx, head, HEAD_KEYS):
        return None
    raws: list[Any] = []
    for table in found.tables:
        document = load_read.parse(table, ctx) or {}
        entries = document.get("therapy")
        if list(document) != ["therapy"] or not isinstance(entries, list) or len(entries) != 1:
            return None  # not one therapy's table alone (the parse said why, or nothing did)
        raws.append(entries[0])
    conditions = _valid(ctx, head, "condition", Condition)
    therapies = _valid(ctx, {"therapy": raws}, "therapy", Therapy)
    if conditions is None or therapies is None:
        return None
    for i, raw in enumerate(raws):
        load_checks.check_therapy_empty_texts(ctx, i, raw)
    load_checks.check_therapy_references(ctx, list(enumerate(raws)), {c.id for c in conditions})
    load_checks.check_therapies(ctx, dict(enumerate(therapies)), today)
    return conditions, therapies


def _valid(ctx: FileContext, doc: dict[str, Any], key: str, model: type[M]) -> list[M] | None:
    """Every entry of `doc[key]` as a `model`; None at the first that is not valid."""
    valid: list[M] = []
    for _, _, item in validate_entities(ctx, doc, key, model):
        if item is None:
            return None
        valid.append(item)
    return None if has_error(ctx.problems) else valid
