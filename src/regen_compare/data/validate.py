"""Checking both data files once they are parsed: every entity validated on its own (so one
bad therapy never hides another), what a schema cannot say (references across the files,
duplicates, dates, empty texts), every problem collected and sorted by file and line.

One file at a time, one entity at a time: each raw table is checked (validated, its
references and empty texts) and then let go, so a load holds one file's tables and the models
built so far, never both files' tables beside all the models (at 10,000 therapies the raw
tables are ~5 times the size of the models). Whatever the checks across files need of the
first file is kept as ids.

Only a load that parses runs this (a start served from the cache never imports it, nor
pydantic's validation machinery).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from regen_compare.data import checks as load_checks
from regen_compare.data import reading as load_read
from regen_compare.data.messages import validate_entities
from regen_compare.data.reading import FileContext
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Condition, Payer, Supplement, Therapy
from regen_compare.model.problems import DataError, Problem, has_error
from regen_compare.model.types import Strict

M = TypeVar("M", bound=Strict)
EachRaw = Callable[[int, Any], None]


@dataclass
class _Found:
    """The valid models by index, and the ids therapies.toml declares (None: it could not
    be read on, so references into it are not checked)."""

    conditions: dict[int, Condition] = field(default_factory=dict)
    therapies: dict[int, Therapy] = field(default_factory=dict)
    payers: dict[int, Payer] = field(default_factory=dict)
    supplements: dict[int, Supplement] = field(default_factory=dict)
    condition_ids: set[str] | None = None
    therapy_ids: set[str] | None = None


def _validate_array(
    ctx: FileContext,
    doc: dict[str, Any],
    key: str,
    model: type[M],
    into: dict[int, M],
    *,
    each: EachRaw | None = None,
) -> None:
    """Validate `doc[key]` entity by entity into `into`. With `each`, each raw table is
    handed to it after its validation and then dropped from `doc` (its memory freed)."""
    ids: list[tuple[int, object]] = []
    entries = doc.get(key)
    for i, raw, valid in validate_entities(ctx, doc, key, model):
        ids.append((i, raw.get("id") if isinstance(raw, dict) else None))
        if valid is not None:
            into[i] = valid
        if each is not None and isinstance(entries, list):
            each(i, raw)
            entries[i] = None
    load_checks.duplicates(ctx, key, ids)


def _check_therapies_file(
    ctx: FileContext, doc: dict[str, Any], found: _Found, today: date
) -> None:
    if not load_checks.check_top_level(ctx, doc, ("schema_version", "condition", "therapy")):
        return
    _validate_array(ctx, doc, "condition", Condition, found.conditions)
    condition_ids = set(load_checks.raw_ids(doc, "condition"))
    therapy_ids = set(load_checks.raw_ids(doc, "therapy"))

    def each(i: int, raw: Any) -> None:
        load_checks.check_therapy_empty_texts(ctx, i, raw)
        load_checks.check_therapy_references(ctx, i, raw, condition_ids)

    _validate_array(ctx, doc, "therapy", Therapy, found.therapies, each=each)
    found.condition_ids, found.therapy_ids = condition_ids, therapy_ids
    therapy_by_id = {t.id: t for t in found.therapies.values()}
    load_checks.check_therapies(ctx, found.therapies, today)
    load_checks.check_therapy_additions(ctx, found.therapies, today)
    load_checks.check_conditions(ctx, found.conditions, therapy_ids, therapy_by_id)
    load_checks.check_condition_guidelines(ctx, found.conditions, today)


def _check_payers_file(ctx: FileContext, doc: dict[str, Any], found: _Found, today: date) -> None:
    if not load_checks.check_top_level(ctx, doc, ("schema_version", "payer", "supplement")):
        return
    condition_ids, therapy_ids = found.condition_ids, found.therapy_ids

    def each(i: int, raw: Any) -> None:
        load_checks.check_payer_empty_texts(ctx, i, raw)
        # When therapies.toml could not be read on, every reference would look wrong.
        if condition_ids is not None and therapy_ids is not None:
            load_checks.check_coverage_references(ctx, i, raw, condition_ids, therapy_ids)

    _validate_array(ctx, doc, "payer", Payer, found.payers, each=each)
    _validate_array(ctx, doc, "supplement", Supplement, found.supplements)
    load_checks.check_payers(ctx, found.payers, today=today)
    load_checks.check_payer_links(ctx, found.payers, found.supplements, today=today)


def _check_file(
    ctx: FileContext,
    data: list[bytes | Problem],
    loads: load_read.Loads,
    check: Callable[[FileContext, dict[str, Any], _Found, date], None],
    *,
    found: _Found,
    today: date,
) -> None:
    """Parse the file whose bytes are `data`'s first item (taken out of it: the bytes are
    freed once the text is decoded) and check it; its parsed tables go when this returns."""
    doc = load_read.document_of(data.pop(0), ctx, loads)
    if doc is not None:
        check(ctx, doc, found, today)


def check_files(
    files: tuple[Path, Path],
    today: date,
    data: list[bytes | Problem],
    loads: load_read.Loads,
) -> tuple[Catalog, list[Problem]]:
    """The catalog of therapies.toml and payers.toml (`files`) and its warnings; raises
    `DataError` with every problem of both files.

    `data` holds the two files' bytes (or why each could not be read), in that order, and is
    emptied: each file's bytes are let go once its text is read."""
    t_ctx, p_ctx = FileContext(str(files[0])), FileContext(str(files[1]))
    found = _Found()
    _check_file(t_ctx, data, loads, _check_therapies_file, found=found, today=today)
    _check_file(p_ctx, data, loads, _check_payers_file, found=found, today=today)
    problems = sorted(t_ctx.problems, key=lambda p: p.sort_key) + sorted(
        p_ctx.problems, key=lambda p: p.sort_key
    )
    if has_error(problems):
        raise DataError(problems)
    catalog = Catalog.build(
        list(found.conditions.values()),
        list(found.therapies.values()),
        list(found.payers.values()),
        files=files,
        supplements=list(found.supplements.values()),
    )
    return catalog, problems
