"""Checks a schema cannot express: top-level keys and version, duplicate ids, references
across the two files, staleness and future dates, home-page sources, empty optional text.

Each check adds its problems (errors or warnings, with their lines) to a `FileContext`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from regen_compare.data import freshness
from regen_compare.data import positions as toml_scan
from regen_compare.data.messages import entity_label
from regen_compare.data.reading import FileContext
from regen_compare.model.entities import (
    SCHEMA_VERSIONS,
    Category,
    Condition,
    Payer,
    PayerKind,
    Source,
    Supplement,
    Therapy,
)
from regen_compare.model.problems import did_you_mean
from regen_compare.model.text import display_safe, quote
from regen_compare.model.types import published_from

STALE_AFTER = timedelta(days=730)
"""A date older than this (as_of, a source's accessed) is a warning: check the figures."""


def check_top_level(ctx: FileContext, doc: dict[str, Any], allowed: tuple[str, ...]) -> bool:
    """Check schema_version and unknown top-level keys; False when the file cannot be read on."""
    for key in doc:
        if key not in allowed:
            ctx.add(
                f"unknown top-level key {quote(key)}{did_you_mean(key, allowed)}",
                path=(key,),
                where=display_safe(key, limit=60),
            )
    version = doc.get("schema_version")
    if version is None:
        ctx.add("required key is missing", where="schema_version", line=1)
        return False
    if isinstance(version, bool) or not isinstance(version, int) or version not in SCHEMA_VERSIONS:
        known = ", ".join(str(v) for v in sorted(SCHEMA_VERSIONS))
        ctx.add(
            f"{quote(version)} is not a schema version this program knows ({known}); "
            "upgrade regen-compare or fix the number",
            path=("schema_version",),
            where="schema_version",
        )
        return False
    return True


def check_dates(
    ctx: FileContext,
    path: toml_scan.Path,
    where: str,
    *,
    as_of: date | None,
    sources: tuple[Source, ...],
    today: date,
) -> None:
    """Future dates are errors, dates over two years old warnings: `as_of` (when the entity
    has one) and every source's `accessed`."""

    def check(value: date, key_path: toml_scan.Path, key_where: str, what: str) -> None:
        if value > today:
            ctx.add(f"{what} {value} is in the future", path=key_path, where=key_where)
        elif today - value > STALE_AFTER:
            ctx.add(
                f"{what} {value} is more than 2 years old: check the figures and update it",
                path=key_path,
                where=key_where,
                severity="warning",
            )

    if as_of is not None:
        check(as_of, (*path, "as_of"), f"{where}.as_of", "as_of")
    for n, source in enumerate(sources):
        check(
            source.accessed,
            (*path, "sources", n, "accessed"),
            f"{where}.sources[{n + 1}].accessed",
            "accessed date",
        )
        where_n = f"{where}.sources[{n + 1}]"
        check_published(ctx, source.published, (*path, "sources", n), where_n, today)


def check_published(
    ctx: FileContext, published: str | None, path: toml_scan.Path, where: str, today: date
) -> None:
    """A source cannot have been published after today ("9999" passes the pattern)."""
    if published is not None and published_from(published) > today:
        ctx.add(
            f"published {published} is in the future",
            path=(*path, "published"),
            where=f"{where}.published",
        )


def duplicates(ctx: FileContext, kind: str, ids: list[tuple[int, object]]) -> None:
    """Each id given twice in `kind` (ids as (index, the raw `id` value))."""
    first_index: dict[str, int] = {}
    for index, ident in ids:
        if not isinstance(ident, str):
            continue
        if ident in first_index:
            # Lines are looked up only now: valid files never pay for the position scan.
            earlier = ctx.line_of((kind, first_index[ident]))
            at = f" (first defined on line {earlier})" if earlier else ""
            ctx.add(
                f"duplicate id {quote(ident)}{at}",
                path=(kind, index, "id"),
                where=f"{kind}[{display_safe(ident, limit=60)}].id",
            )
        else:
            first_index[ident] = index


def raw_ids(doc: dict[str, Any] | None, key: str) -> list[str]:
    if doc is None or not isinstance(doc.get(key), list):
        return []
    return [e["id"] for e in doc[key] if isinstance(e, dict) and isinstance(e.get("id"), str)]


def _strings(raw: Any, key: str) -> list[tuple[int, str]]:
    """The text entries of raw[key] with their index; checked even when the entity is invalid."""
    values = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(values, list):
        return []
    return [(n, v) for n, v in enumerate(values) if isinstance(v, str)]


def check_therapy_references(ctx: FileContext, i: int, raw: Any, condition_ids: set[str]) -> None:
    """The condition ids one therapy (the `i`th, as written) names must exist."""
    for n, cid in _strings(raw, "conditions"):
        if cid not in condition_ids:
            ctx.add(
                f"unknown condition id {quote(cid)}{did_you_mean(cid, condition_ids)}",
                path=("therapy", i, "conditions", n),
                where=f"{entity_label('therapy', raw, i)}.conditions[{n + 1}]",
            )


def check_coverage_references(
    ctx: FileContext, i: int, raw: Any, condition_ids: set[str], therapy_ids: set[str]
) -> None:
    """The therapy and condition ids one payer's coverage rules name must exist."""
    rules = raw.get("coverage") if isinstance(raw, dict) else None
    if not isinstance(rules, list):
        return
    for j, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        tid = rule.get("therapy")
        known = not isinstance(tid, str) or tid in therapy_ids
        strings = _strings(rule, "conditions")
        if known and all(cid in condition_ids for _, cid in strings):
            continue  # the common case: no labels to build
        payer_where = entity_label("payer", raw, i)
        rule_where = payer_where + ".coverage" + entity_label("", rule, j, "therapy")
        rule_path = ("payer", i, "coverage", j)
        if not known and isinstance(tid, str):
            ctx.add(
                f"unknown therapy id {quote(tid)}{did_you_mean(tid, therapy_ids)}",
                path=(*rule_path, "therapy"),
                where=f"{rule_where}.therapy",
            )
        for n, cid in strings:
            if cid not in condition_ids:
                ctx.add(
                    f"unknown condition id {quote(cid)}{did_you_mean(cid, condition_ids)}",
                    path=(*rule_path, "conditions", n),
                    where=f"{rule_where}.conditions[{n + 1}]",
                )


def _check_sources(
    ctx: FileContext, path: toml_scan.Path, where: str, sources: tuple[Source, ...]
) -> None:
    """A source that points at a site's home page cannot be traced to the figure: warn."""
    for n, source in enumerate(sources):
        if freshness.is_home_page(source.url):
            ctx.add(
                f"{quote(source.url)} is a site's home page: cite the page that gives the figure",
                path=(*path, "sources", n, "url"),
                where=f"{where}.sources[{n + 1}].url",
                severity="warning",
            )


def _check_old_figures(ctx: FileContext, i: int, therapy: Therapy) -> None:
    for old in freshness.old_figures(therapy):
        n = therapy.sources.index(old.source)
        ctx.add(
            f"the newest source for {old.support.value} was published in {old.year}, more than "
            f"{freshness.OLD_AFTER_YEARS} years before as_of {therapy.as_of}: shown as "
            f"'{old.year} figures'; find a newer source",
            path=("therapy", i, "sources", n, "published"),
            where=f"therapy[{therapy.id}].{old.support.value}",
            severity="warning",
        )


_OPTIONAL_TEXT = ("notes", "evidence_notes", "regulatory_notes", "price_unknown", "policy")


def has_empty_text(raw: Any) -> bool:
    """Whether `check_empty_text` would warn: cheap, so callers build labels only then."""
    if not isinstance(raw, dict):
        return False
    for key in _OPTIONAL_TEXT:
        value = raw.get(key)
        if type(value) is str and not value.strip():
            return True
    return False


def check_empty_text(ctx: FileContext, path: toml_scan.Path, where: str, raw: Any) -> None:
    """Empty optional text is read as absent (harmless), but it is probably a slip: warn."""
    if not isinstance(raw, dict):
        return
    for key in _OPTIONAL_TEXT:
        value = raw.get(key)
        if isinstance(value, str) and not value.strip():
            ctx.add(
                "is empty, so it is read as absent: remove the key or write the text",
                path=(*path, key),
                where=f"{where}.{key}",
                severity="warning",
            )


def check_therapy_empty_texts(ctx: FileContext, i: int, raw: Any) -> None:
    """Empty optional text in one therapy (`check_empty_text`)."""
    if has_empty_text(raw):  # the label is built only for what is warned about
        check_empty_text(ctx, ("therapy", i), entity_label("therapy", raw, i), raw)


def check_payer_empty_texts(ctx: FileContext, i: int, raw: Any) -> None:
    """Empty optional text in one payer and its coverage rules (`check_empty_text`)."""
    has_empty = has_empty_text
    if has_empty(raw):
        check_empty_text(ctx, ("payer", i), entity_label("payer", raw, i), raw)
    rules = raw.get("coverage") if isinstance(raw, dict) else None
    for j, rule in enumerate(rules if isinstance(rules, list) else []):
        if has_empty(rule):
            rule_where = entity_label("payer", raw, i) + ".coverage"
            rule_where += entity_label("", rule, j, "therapy")
            check_empty_text(ctx, ("payer", i, "coverage", j), rule_where, rule)


def check_therapies(ctx: FileContext, therapies: dict[int, Therapy], today: date) -> None:
    for i, therapy in therapies.items():
        where = f"therapy[{therapy.id}]"
        _check_sources(ctx, ("therapy", i), where, therapy.sources)
        _check_old_figures(ctx, i, therapy)
        for cid in therapy.evidence_by_condition:
            if cid not in therapy.conditions:
                ctx.add(
                    f"{quote(cid)} is not one of this therapy's conditions"
                    f"{did_you_mean(cid, therapy.conditions)}",
                    path=("therapy", i, "evidence_by_condition", cid),
                    where=f"{where}.evidence_by_condition.{cid}",
                )
        check_dates(
            ctx, ("therapy", i), where, as_of=therapy.as_of, sources=therapy.sources, today=today
        )


def check_conditions(
    ctx: FileContext,
    conditions: dict[int, Condition],
    therapy_ids: set[str],
    therapy_by_id: dict[str, Therapy],
) -> None:
    for i, cond in conditions.items():
        for n, tid in enumerate(cond.usual_care):
            where = f"condition[{cond.id}].usual_care[{n + 1}]"
            path = ("condition", i, "usual_care", n)
            if tid not in therapy_ids:
                ctx.add(
                    f"unknown therapy id {quote(tid)}{did_you_mean(tid, therapy_ids)}",
                    path=path,
                    where=where,
                )
                continue
            therapy = therapy_by_id.get(tid)
            if therapy is None:
                continue  # its own errors are reported where it is defined
            if therapy.category is not Category.TRADITIONAL:
                ctx.add(f"{quote(tid)} is not a traditional therapy", path=path, where=where)
            elif cond.id not in therapy.conditions:
                ctx.add(
                    f"{quote(tid)} does not list {quote(cond.id)} in its conditions",
                    path=path,
                    where=where,
                )


def check_payers(ctx: FileContext, payers: dict[int, Payer], *, today: date) -> None:
    for i, payer in payers.items():
        where = f"payer[{payer.id}]"
        check_dates(ctx, ("payer", i), where, as_of=payer.as_of, sources=payer.sources, today=today)
        _check_sources(ctx, ("payer", i), where, payer.sources)
        if payer.kind is PayerKind.SELF_PAY and payer.coverage:
            ctx.add(
                "a self_pay payer pays nothing, so it cannot have coverage rules",
                path=("payer", i, "coverage"),
                where=f"{where}.coverage",
            )
        seen: dict[str, int] = {}
        for j, rule in enumerate(payer.coverage):
            if rule.therapy not in seen and not rule.sources:
                seen[rule.therapy] = j
                continue  # the common case: nothing to check, no labels to build
            rule_where = f"{where}.coverage[{rule.therapy}]"
            rule_path = ("payer", i, "coverage", j)
            if rule.therapy in seen:
                earlier = ctx.line_of(("payer", i, "coverage", seen[rule.therapy]))
                at = f" (first rule on line {earlier})" if earlier else ""
                ctx.add(
                    f"a second coverage rule for {quote(rule.therapy)}{at}: one rule per "
                    "payer and therapy",
                    path=rule_path,
                    where=rule_where,
                )
            else:
                seen[rule.therapy] = j
            check_dates(ctx, rule_path, rule_where, as_of=None, sources=rule.sources, today=today)
            _check_sources(ctx, rule_path, rule_where, rule.sources)


def check_therapy_additions(ctx: FileContext, therapies: dict[int, Therapy], today: date) -> None:
    """Benefit figures name one of the therapy's conditions; the sources behind a benefit, a
    harm or a guideline get the same date checks as every other source."""
    for i, therapy in therapies.items():
        where = f"therapy[{therapy.id}]"
        for n, found in enumerate(therapy.benefit):
            path = ("therapy", i, "benefit", n)
            label = f"{where}.benefit[{found.condition}]"
            if found.condition not in therapy.conditions:
                ctx.add(
                    f"{quote(found.condition)} is not one of this therapy's conditions"
                    f"{did_you_mean(found.condition, therapy.conditions)}",
                    path=(*path, "condition"),
                    where=f"{label}.condition",
                )
            check_dates(ctx, path, label, as_of=None, sources=found.sources, today=today)
            _check_sources(ctx, path, label, found.sources)
        for n, harm in enumerate(therapy.harms):
            path = ("therapy", i, "harms", n)
            check_dates(
                ctx, path, f"{where}.harms[{n + 1}]", as_of=None, sources=harm.sources, today=today
            )


def check_condition_guidelines(
    ctx: FileContext, conditions: dict[int, Condition], today: date
) -> None:
    for i, cond in conditions.items():
        if cond.guideline is not None:
            where = f"condition[{cond.id}].guideline"
            check_dates(
                ctx, ("condition", i), where, as_of=None, sources=(cond.guideline,), today=today
            )


def check_payer_links(
    ctx: FileContext,
    payers: dict[int, Payer],
    supplements: dict[int, Supplement],
    *,
    today: date,
) -> None:
    """A plan's `allowed_from` and a supplement's `supplements` name payers that exist (a plan
    cannot borrow its own amounts); supplements get the usual date and source checks."""
    payer_ids = {p.id for p in payers.values()}
    for i, payer in payers.items():
        base = payer.allowed_from
        if base is None:
            continue
        if base == payer.id or base not in payer_ids:
            why = "is this payer itself" if base == payer.id else "is not a payer id"
            ctx.add(
                f"{quote(base)} {why}{did_you_mean(base, payer_ids - {payer.id})}",
                path=("payer", i, "allowed_from"),
                where=f"payer[{payer.id}].allowed_from",
            )
    # A repeated supplement id is reported with every other repeated id (`duplicates`).
    for i, supplement in supplements.items():
        where = f"supplement[{supplement.id}]"
        for n, pid in enumerate(supplement.supplements):
            if pid not in payer_ids:
                ctx.add(
                    f"unknown payer id {quote(pid)}{did_you_mean(pid, payer_ids)}",
                    path=("supplement", i, "supplements", n),
                    where=f"{where}.supplements[{n + 1}]",
                )
        check_dates(
            ctx,
            ("supplement", i),
            where,
            as_of=supplement.as_of,
            sources=supplement.sources,
            today=today,
        )
        _check_sources(ctx, ("supplement", i), where, supplement.sources)
