"""Checking both data files once they are parsed: every entity validated on its own (so one
bad therapy never hides another), what a schema cannot say (references across the files,
duplicates, dates, empty texts), every problem collected and sorted by file and line.

Only a load that parses runs this (a start served from the cache never imports it, nor
pydantic's validation machinery).
"""

from __future__ import annotations

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


@dataclass
class _Entities:
    """What one file's arrays of tables held: the raw entries (checked even when invalid)
    and the valid models by index."""

    raw: dict[str, list[tuple[int, object]]] = field(default_factory=dict)
    conditions: dict[int, Condition] = field(default_factory=dict)
    therapies: dict[int, Therapy] = field(default_factory=dict)
    payers: dict[int, Payer] = field(default_factory=dict)
    supplements: dict[int, Supplement] = field(default_factory=dict)


def _validate_array(
    ctx: FileContext, doc: dict[str, Any], key: str, model: type[M], into: dict[int, M]
) -> list[tuple[int, object]]:
    raws: list[tuple[int, object]] = []
    for i, raw, valid in validate_entities(ctx, doc, key, model):
        raws.append((i, raw))
        if valid is not None:
            into[i] = valid
    load_checks.duplicates(ctx, key, raws)
    return raws


def _check_empty_texts(t_ctx: FileContext, p_ctx: FileContext, found: _Entities) -> None:
    for i, raw in found.raw.get("therapy", []):
        load_checks.check_therapy_empty_texts(t_ctx, i, raw)
    for i, raw in found.raw.get("payer", []):
        load_checks.check_payer_empty_texts(p_ctx, i, raw)


def _cross_check(
    t_ctx: FileContext,
    p_ctx: FileContext,
    t_doc: dict[str, Any] | None,
    found: _Entities,
    today: date,
) -> None:
    """References across files, dates and sources; each file only when it could be read."""
    t_ok, p_ok = "therapy" in found.raw, "payer" in found.raw
    condition_ids = set(load_checks.raw_ids(t_doc, "condition")) if t_ok else set()
    therapy_ids = set(load_checks.raw_ids(t_doc, "therapy")) if t_ok else set()
    _check_empty_texts(t_ctx, p_ctx, found)
    if t_ok:
        therapy_by_id = {t.id: t for t in found.therapies.values()}
        load_checks.check_therapy_references(t_ctx, found.raw["therapy"], condition_ids)
        load_checks.check_therapies(t_ctx, found.therapies, today)
        load_checks.check_therapy_additions(t_ctx, found.therapies, today)
        load_checks.check_conditions(t_ctx, found.conditions, therapy_ids, therapy_by_id)
        load_checks.check_condition_guidelines(t_ctx, found.conditions, today)
    if p_ok:
        if t_ok:  # when therapies.toml is unreadable, every reference would look wrong
            load_checks.check_coverage_references(
                p_ctx, found.raw["payer"], condition_ids, therapy_ids
            )
        load_checks.check_payers(p_ctx, found.payers, today=today)
        load_checks.check_payer_links(p_ctx, found.payers, found.supplements, today=today)


def check_files(
    files: tuple[Path, Path],
    today: date,
    t_bytes: bytes | Problem,
    p_bytes: bytes | Problem,
    loads: load_read.Loads,
) -> tuple[Catalog, list[Problem]]:
    """The catalog of therapies.toml and payers.toml (`files`, their bytes or why they could
    not be read) and its warnings; raises `DataError` with every problem of both files."""
    labels = (str(files[0]), str(files[1]))
    t_ctx, p_ctx = FileContext(labels[0]), FileContext(labels[1])
    t_doc = load_read.document_of(t_bytes, t_ctx, loads)
    p_doc = load_read.document_of(p_bytes, p_ctx, loads)
    found = _Entities()
    if t_doc is not None and load_checks.check_top_level(
        t_ctx, t_doc, ("schema_version", "condition", "therapy")
    ):
        found.raw["condition"] = _validate_array(
            t_ctx, t_doc, "condition", Condition, found.conditions
        )
        found.raw["therapy"] = _validate_array(t_ctx, t_doc, "therapy", Therapy, found.therapies)
    if p_doc is not None and load_checks.check_top_level(
        p_ctx, p_doc, ("schema_version", "payer", "supplement")
    ):
        found.raw["payer"] = _validate_array(p_ctx, p_doc, "payer", Payer, found.payers)
        found.raw["supplement"] = _validate_array(
            p_ctx, p_doc, "supplement", Supplement, found.supplements
        )
    _cross_check(t_ctx, p_ctx, t_doc, found, today)
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
