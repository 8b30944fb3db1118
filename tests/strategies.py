"""Hypothesis strategies that build valid data sets in the real format."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from regen_compare.model.entities import (
    Anesthesia,
    Category,
    Condition,
    CoverageStatus,
    DependencyRisk,
    Evidence,
    Invasiveness,
    Modality,
    Payer,
    PayerKind,
    PriceUnit,
    Regulatory,
    Therapy,
)
from regen_compare.model.text import text_problem

TODAY = date(2026, 11, 22)

slugs = st.from_regex(r"[a-z][a-z0-9]{0,7}(-[a-z0-9]{1,5}){0,2}", fullmatch=True)
lines = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1, max_size=30
).filter(lambda s: s.strip() != "" and text_problem(s) is None)
money = st.decimals(min_value=0, max_value=50_000, places=2, allow_nan=False)
counts = st.integers(min_value=0, max_value=24)
recent = st.dates(min_value=TODAY - timedelta(days=700), max_value=TODAY)


def _range(values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.tuples(values, values).map(lambda p: {"min": min(p), "max": max(p)})


sources = st.lists(
    st.fixed_dictionaries(
        {
            "title": lines,
            "url": slugs.map(lambda s: f"https://example.org/{s}"),
            "accessed": recent,
        },
        optional={"published": st.sampled_from(["2019", "2021-06", "2024-02-29"])},
    ),
    min_size=1,
    max_size=2,
)


@st.composite
def datasets(draw: st.DrawFn) -> tuple[list[Condition], list[Therapy], list[Payer]]:
    condition_ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    therapy_ids = draw(st.lists(slugs, min_size=1, max_size=5, unique=True))
    conditions = [
        Condition.model_validate(
            {"id": cid, "name": draw(lines), "aliases": draw(st.lists(lines, max_size=2))}
        )
        for cid in condition_ids
    ]
    therapies = []
    for tid in therapy_ids:
        investigational = draw(st.booleans())
        data: dict[str, Any] = {
            "id": tid,
            "name": draw(lines),
            "category": draw(st.sampled_from(list(Category))).value,
            "modality": draw(st.sampled_from(list(Modality))).value,
            "conditions": draw(st.lists(st.sampled_from(condition_ids), min_size=1, unique=True)),
            "invasiveness": draw(st.sampled_from(list(Invasiveness))).value,
            "anesthesia": draw(st.sampled_from(list(Anesthesia))).value,
            "evidence": draw(st.sampled_from(list(Evidence))).value,
            "regulatory": "investigational"
            if investigational
            else draw(st.sampled_from(list(Regulatory))).value,
            "dependency_risk": draw(st.sampled_from(list(DependencyRisk))).value,
            "summary": draw(lines),
            "risks": draw(st.lists(lines, max_size=2)),
            "as_of": draw(recent),
            "units": {"first_year": draw(_range(counts)), "later_years": draw(_range(counts))},
            "recovery": {"downtime_days": draw(_range(counts)), "full_weeks": draw(_range(counts))},
            "sources": draw(sources),
        }
        if not investigational or draw(st.booleans()):
            data["price"] = {
                **draw(_range(money)),
                "unit": draw(st.sampled_from(list(PriceUnit))).value,
            }
        therapies.append(Therapy.model_validate(data))
    payers = []
    for pid in draw(st.lists(slugs, min_size=1, max_size=3, unique=True)):
        deductible = draw(money)
        rules = []
        for tid in draw(st.lists(st.sampled_from(therapy_ids), unique=True)):
            rule: dict[str, Any] = {
                "therapy": tid,
                "status": draw(st.sampled_from(list(CoverageStatus))).value,
            }
            if draw(st.booleans()):
                rule["allowed"] = draw(_range(money))
            if draw(st.booleans()):
                rule["copay"] = draw(money)
            rule["conditions"] = draw(st.lists(st.sampled_from(condition_ids), unique=True))
            rules.append(rule)
        payers.append(
            Payer.model_validate(
                {
                    "id": pid,
                    "name": draw(lines),
                    "kind": draw(
                        st.sampled_from([k for k in PayerKind if k is not PayerKind.SELF_PAY])
                    ).value,
                    "deductible": deductible,
                    "coinsurance": draw(st.decimals(min_value=0, max_value=1, places=2)),
                    "oop_max": deductible + draw(money),
                    "as_of": draw(recent),
                    "sources": draw(sources),
                    "coverage": rules,
                }
            )
        )
    return conditions, therapies, payers


_SPELLED_HEAD = 'schema_version = 1\n\n[[condition]]\nid = "knee"\nname = "Knee"\n\n'
_HEADERS = ["[[therapy]]", "[[therapy]]  # next", "[[ therapy ]]", '[["therapy"]]', "  [[therapy]]"]
_KEYS = ['{k} = "{v}"', '{k}="{v}"', '"{k}" = "{v}"', '  {k} = "{v}"', "{k} = '{v}'"]


@st.composite
def spelled_files(draw: st.DrawFn) -> str:
    """therapies.toml text, valid TOML or not, written in the many ways TOML allows a
    therapy to be spelled (spaced, quoted and indented headers and keys; sub-tables with keys
    of the same names; a table after the therapies; CRLF)."""
    parts = [_SPELLED_HEAD]
    for n in range(draw(st.integers(1, 6))):
        header = draw(st.sampled_from(_HEADERS))
        ident = draw(st.sampled_from(["a", "b", "c", "d", "e", "f"]))
        name = draw(st.sampled_from(["Alpha", "alpha", "Beta", "beta", "Zed", "AAA"]))
        lines = [header, draw(st.sampled_from(_KEYS)).format(k="id", v=ident)]
        lines.append(draw(st.sampled_from(_KEYS)).format(k="name", v=name))
        lines.append(f"category = 'c{n}'")
        if draw(st.booleans()):
            lines += ["[therapy.evidence_by_condition]", 'name = "AAA"', 'id = "a"']
        parts.append("\n".join(lines) + "\n\n")
    if draw(st.booleans()):
        parts.append('[notes]\nname = "AAA"\n')
    text = "".join(parts)
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text
