"""Handouts as JSON and TOML: the same structure, numbers as numbers, lossless text."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import tomli_w

from regen_compare.engine.costs import Profile, YearCost
from regen_compare.engine.fit.score import Weights
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import (
    Coverage,
    Payer,
    Source,
)
from regen_compare.model.money import (
    json_number,
)
from regen_compare.present import figures
from regen_compare.present.comparison import comparison
from regen_compare.present.export.content import (
    HANDOUT_FORMAT_NAME,
    HANDOUT_VERSION,
    condition_name,
    data_as_of,
    is_stale,
    plan_of,
    questions,
)
from regen_compare.present.formats import additions, profile_to_dict, row_to_dict

# --- JSON and TOML --------------------------------------------------------------------------


def _num_range(low: Decimal, high: Decimal) -> dict[str, int | float]:
    return {"min": json_number(low), "max": json_number(high)}


def _source_dict(source: Source) -> dict[str, Any]:
    return {
        "title": source.title,
        "url": source.url,
        "accessed": source.accessed.isoformat(),
        "published": source.published,
        "supports": [s.value for s in source.supports],
        "kind": source.kind.value if source.kind is not None else None,
    }


def new_figures(row: Row, profile: Profile) -> dict[str, Any]:
    """The third round's keys of a handout row: those of a JSON row (`formats.row_to_dict`:
    `short_name`, `units`, `assumptions`, `not_included`, `benefit`, `harms`, `supplement`),
    with the sources of the benefit and of each harm, which a handout file keeps."""
    keys = additions(row, profile)
    t = row.therapy
    if keys["benefit"] is not None and row.benefit is not None:
        keys["benefit"]["sources"] = [_source_dict(s) for s in row.benefit.sources]
    for harm, found in zip(keys["harms"], t.harms, strict=True):
        harm["sources"] = [_source_dict(s) for s in found.sources]
    return keys


def _rule_dict(rule: Coverage) -> dict[str, Any]:
    return {
        "status": rule.status.value,
        "policy": rule.policy,
        "conditions": list(rule.conditions),
        "allowed": _num_range(rule.allowed.min, rule.allowed.max) if rule.allowed else None,
        "coinsurance": float(rule.coinsurance) if rule.coinsurance is not None else None,
        "copay": json_number(rule.copay) if rule.copay is not None else None,
        "deductible": json_number(rule.deductible) if rule.deductible is not None else None,
        "oop_max": json_number(rule.oop_max) if rule.oop_max is not None else None,
        "separate_benefit": rule.separate_benefit,
        "notes": rule.notes,
        "confidence": rule.confidence.value if rule.confidence is not None else None,
        "sources": [_source_dict(s) for s in rule.sources],
    }


_SPLIT_FIELDS = (
    "units", "per_unit", "cost", "deductible_part", "coinsurance_part", "copay_part",
    "cap_saving", "patient",
)  # fmt: skip


def _year_dict(year: YearCost) -> dict[str, Any]:
    out: dict[str, Any] = {"year": year.year}
    for name in _SPLIT_FIELDS:
        out[name] = _num_range(getattr(year.low, name), getattr(year.high, name))
    return out


_NOT_ASKED_FIT: dict[str, Any] = {"fit": None, "fit_parts": [], "fit_weights": None}
"""A row's fit keys before the patient said what matters: kept, but empty (no fit)."""


def _therapy_dict(
    row: Row, profile: Profile, catalog: Catalog, weights: Weights | None
) -> dict[str, Any]:
    t = row.therapy
    cost = row.cost
    out = row_to_dict(row) if weights is None else row_to_dict(row, weights=weights)
    if weights is None:
        out.update(_NOT_ASKED_FIT)
    clinic, plan = questions(row, profile, catalog)
    out.update(
        {
            "coverage_label": figures.coverage_label(cost),
            "summary": t.summary,
            "conditions": list(t.conditions),
            "risks": list(t.risks),
            "warnings": list(t.warnings),
            "evidence_notes": t.evidence_notes,
            "regulatory_notes": t.regulatory_notes,
            "notes": t.notes,
            "coverage_rule": _rule_dict(cost.rule) if cost.rule is not None else None,
            "cash_cost_by_year": [_num_range(r.min, r.max) for r in cost.cash_years],
            "years": [_year_dict(y) for y in cost.years],
            "sources": [_source_dict(s) for s in t.sources],
            "questions": {"clinic": clinic, "plan": plan},
            **new_figures(row, profile),
        }
    )
    return out


def _payer_dict(payer: Payer, today: date) -> dict[str, Any]:
    return {
        "id": payer.id,
        "name": payer.name,
        "kind": payer.kind.value,
        "deductible": json_number(payer.deductible),
        "coinsurance": float(payer.coinsurance),
        "oop_max": json_number(payer.oop_max) if payer.oop_max is not None else None,
        "as_of": payer.as_of.isoformat(),
        "stale": is_stale(payer.as_of, today),
        "notes": payer.notes,
        "sources": [_source_dict(s) for s in payer.sources],
    }


def handout_dict(
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    *,
    today: date,
    weights: Weights | None = None,
) -> dict[str, Any]:
    """The handout as plain data: the JSON shape (TOML drops its `None`s). `weights`: what
    matters to the patient; None until asked (`weights_asked` false, each row's `fit` null
    and no fit line in `comparison`)."""
    payer = plan_of(profile, catalog)
    as_of = data_as_of(rows, payer)
    condition = (
        {"id": profile.condition, "name": condition_name(catalog, profile.condition)}
        if profile.condition is not None
        else None
    )
    lines = comparison(rows, profile, weights) if rows else []
    return {
        "format": HANDOUT_FORMAT_NAME,
        "version": HANDOUT_VERSION,
        "generated": today.isoformat(),
        "data_as_of": as_of.isoformat() if as_of is not None else None,
        "disclaimer": labels.DISCLAIMER,
        "profile": profile_to_dict(profile),
        "weights_asked": weights is not None,
        "condition": condition,
        "payer": _payer_dict(payer, today) if payer is not None else None,
        "comparison": [
            {
                "key": line.key,
                "label": line.label,
                "cells": [
                    {"id": r.id, "text": c.text, "best": c.best}
                    for r, c in zip(rows, line.cells, strict=True)
                ],
            }
            for line in lines
        ],
        "therapies": [_therapy_dict(r, profile, catalog, weights) for r in rows],
    }


def drop_none(value: Any) -> Any:
    """`value` with every `None` removed from dicts and lists (TOML has no null)."""
    if isinstance(value, dict):
        return {k: drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_none(v) for v in value if v is not None]
    return value


def _toml_escape(ch: str) -> str:
    cp = ord(ch)
    return f"\\u{cp:04X}" if cp < 0x10000 else f"\\U{cp:08X}"


def _safe_toml(text: str) -> str:
    """Rewrite any raw non-printable character tomli-w left (C1, bidi, zero-width) as a TOML
    escape. tomli-w writes every string as a basic string with `\\n` escaped, so outside our
    own line breaks such a character can only sit inside a string, where the escape means the
    same character: the file reads back identical and prints safely."""
    if all(ch.isprintable() or ch == "\n" for ch in text):
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else _toml_escape(ch) for ch in text)


def render_toml(data: dict[str, Any]) -> str:
    return _safe_toml(tomli_w.dumps(drop_none(data)))
