"""Load valid data straight into an entry (`load_entry`), one entity at a time.

What the TUI's loader child and the cache store need is the entry, not the models. The usual
path (`load._load_bytes`) holds every parsed table and every validated model until the last
cross-check: at 10,000 therapies ~56 MB of parsed tables and ~63 MB of models at once, and the
child peaked at 240 MB. Here each therapy and payer is validated, checked and written as plain
data, and its parsed table and its model are let go at once, so only the largest parsed file
is ever held whole.

The checks are the same functions, called for one entity at a time with the same inputs (the
ids of every condition and therapy are read from the parsed files first). Only warnings can
come out of this path: at the first error it gives up (returns None) and the caller loads the
usual way, so every message of invalid data, and their order, is the usual one. Warnings are
collected in the order the usual path adds them (all empty-text warnings of a file, then the
other checks), then sorted the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from regen_compare import load_checks
from regen_compare.catalog import search_text
from regen_compare.load_entry import EntryWriter
from regen_compare.load_messages import validate_entities
from regen_compare.load_read import FileContext
from regen_compare.model import Condition, Payer, Therapy
from regen_compare.problems import Problem, has_error


class _Failed(Exception):
    """An error was found: the usual path reports it."""


def _run(
    ctx: FileContext, bucket: list[Problem], check: Callable[..., None], *args: Any, **kw: Any
) -> None:
    """`check(ctx, *args)` with its problems going to `bucket`; stop at the first error."""
    ctx.problems = bucket
    start = len(bucket)
    check(ctx, *args, **kw)
    if has_error(bucket[start:]):
        raise _Failed


def _ids(ctx: FileContext, doc: dict[str, Any], key: str) -> set[str]:
    """The entities' ids, read before any is let go; duplicates are an error."""
    ids = load_checks.raw_ids(doc, key)
    unique = set(ids)
    if len(unique) != len(ids) or ctx.problems:
        raise _Failed
    return unique


def _top_level(ctx: FileContext, doc: dict[str, Any] | None, allowed: tuple[str, ...]) -> Any:
    """The parsed file, if it could be read and its top level is sound."""
    if doc is None or ctx.problems or not load_checks.check_top_level(ctx, doc, allowed):
        raise _Failed
    if ctx.problems:
        raise _Failed
    return doc


class _Lean:
    def __init__(self, t_ctx: FileContext, p_ctx: FileContext, today: date) -> None:
        self.t_ctx, self.p_ctx, self.today = t_ctx, p_ctx, today
        self.writer = EntryWriter()
        self.buckets: dict[str, list[Problem]] = {
            name: [] for name in ("t_empty", "t_checks", "p_empty", "p_checks")
        }

    def conditions(self, doc: dict[str, Any]) -> dict[int, Condition]:
        found: dict[int, Condition] = {}
        for i, _, condition in validate_entities(self.t_ctx, doc, "condition", Condition):
            if condition is None:
                raise _Failed
            found[i] = condition
        return found

    def therapies(
        self, doc: dict[str, Any], by_id: dict[str, Condition], condition_ids: set[str]
    ) -> dict[str, Therapy]:
        """Write every therapy; return those a condition lists as usual care."""
        usual = {tid for c in by_id.values() for tid in c.usual_care}
        kept: dict[str, Therapy] = {}
        ctx, buckets = self.t_ctx, self.buckets
        entries = doc.get("therapy")
        for i, raw, therapy in validate_entities(ctx, doc, "therapy", Therapy):
            if therapy is None:
                raise _Failed
            if load_checks.has_empty_text(raw):  # (no bucket switch for the many without)
                _run(ctx, buckets["t_empty"], load_checks.check_therapy_empty_texts, i, raw)
            checks = buckets["t_checks"]
            _run(ctx, checks, load_checks.check_therapy_references, [(i, raw)], condition_ids)
            _run(ctx, checks, load_checks.check_therapies, {i: therapy}, self.today)
            self.writer.add("therapies", therapy, search_text(therapy, by_id))
            if therapy.id in usual:
                kept[therapy.id] = therapy
            if isinstance(entries, list):
                entries[i] = None  # the parsed table goes now, not at the end
        return kept

    def payers(self, doc: dict[str, Any], condition_ids: set[str], therapy_ids: set[str]) -> None:
        ctx, buckets = self.p_ctx, self.buckets
        entries = doc.get("payer")
        for i, raw, payer in validate_entities(ctx, doc, "payer", Payer):
            if payer is None:
                raise _Failed
            _run(ctx, buckets["p_empty"], load_checks.check_payer_empty_texts, i, raw)
            checks = buckets["p_checks"]
            refs = load_checks.check_coverage_references
            _run(ctx, checks, refs, [(i, raw)], condition_ids, therapy_ids)
            _run(ctx, checks, load_checks.check_payers, {i: payer}, today=self.today)
            self.writer.add("payers", payer)
            if isinstance(entries, list):
                entries[i] = None

    def warnings(self, *others: list[Problem]) -> list[Problem]:
        """The warnings in the usual order; `_Failed` if any list holds an error (an error
        reported where no check stops at once, e.g. a `therapy` key that is not an array)."""
        b = self.buckets
        if any(has_error(problems) for problems in (*b.values(), *others)):
            raise _Failed
        return sorted(b["t_empty"] + b["t_checks"], key=lambda p: p.sort_key) + sorted(
            b["p_empty"] + b["p_checks"], key=lambda p: p.sort_key
        )


def write_entry(
    t_ctx: FileContext,
    p_ctx: FileContext,
    read: Callable[[FileContext], dict[str, Any] | None],
    today: date,
) -> bytes | None:
    """The entry of valid data, or None at the first error (then load the usual way).

    `read(ctx)` parses one file (called for therapies.toml, then payers.toml, so only one
    parsed file is whole at a time)."""
    lean = _Lean(t_ctx, p_ctx, today)
    try:
        t_doc = _top_level(t_ctx, read(t_ctx), ("schema_version", "condition", "therapy"))
        t_first = t_ctx.problems
        condition_ids = _ids(t_ctx, t_doc, "condition")
        therapy_ids = _ids(t_ctx, t_doc, "therapy")
        conditions = lean.conditions(t_doc)
        by_id = {c.id: c for c in conditions.values()}
        for condition in by_id.values():
            lean.writer.add("conditions", condition)
        usual = lean.therapies(t_doc, by_id, condition_ids)
        del t_doc
        checks = lean.buckets["t_checks"]
        _run(t_ctx, checks, load_checks.check_conditions, conditions, therapy_ids, usual)
        p_doc = _top_level(p_ctx, read(p_ctx), ("schema_version", "payer"))
        p_first = p_ctx.problems
        _ids(p_ctx, p_doc, "payer")
        lean.payers(p_doc, condition_ids, therapy_ids)
        warnings = lean.warnings(t_first, p_first)
    except _Failed:
        return None
    return lean.writer.finish(warnings)
