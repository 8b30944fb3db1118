"""Handouts: what a patient takes home from a consult, as Markdown, HTML, CSV, JSON or TOML.

One handout covers one profile (condition, plan, amounts already met, horizon) and the
therapies picked for it, in the order given: the side-by-side table near the top (the best value
in each row marked with ★), then one section per therapy with its cost range, the patient's own
share year by year and how it was reached, coverage (policy, conditions, notes), recovery,
invasiveness, evidence, FDA status and official warnings, risks, questions to ask the clinic and
the plan, and sources with their dates; the data's `as_of` and the disclaimer close it.

How each format is made safe and stable:

* Every handout is a pure function of its inputs: `today` is passed in, nothing reads a clock,
  so the same inputs give the same bytes (the golden tests rely on it).
* Markdown and HTML are rendered from one small document model (`_Block`s holding *plain*
  strings), so both show the same content and only the renderers add markup. Every data string
  goes through `display_safe` first (no control, bidi or invisible characters reach a reader),
  then is escaped for the target: Markdown punctuation is backslash-escaped (`formats.md_cell`
  plus `&`, `~`, `#` and line-start list/heading markers), HTML text is `html.escape`d. URLs are
  shown as text (Markdown code spans, plain HTML text), never turned into links (reliability
  notes D4). The HTML stands alone: inline `<style>` with `@media print`, no scripts, no external
  assets, and a Content-Security-Policy that forbids anything else.
* CSV: one row per therapy with the key figures, and the profile repeated in leading columns
  (`generated, condition, condition_name, payer, payer_name, deductible_met, oop_met, years`)
  so that every row stands on its own in a spreadsheet; the disclaimer is the last column.
  Every cell is `display_safe`d and passed through `formats.csv_cell`, so a cell a spreadsheet
  would run as a formula (`=`, `+`, `-`, `@`) is prefixed with `'` (OWASP CSV injection).
* JSON: `{"format", "version", "generated", "data_as_of", "disclaimer", "profile"
  (formats.profile_to_dict), "condition", "payer", "comparison", "therapies"}`, each therapy being
  `formats.row_to_dict` plus its details (summary, risks, warnings, coverage rule, year-by-year
  breakdown, sources, questions). Numbers are numbers (money via `money.json_number`); text is
  written losslessly with `ensure_ascii=True`, so no raw control character is in the file.
* TOML: the same structure written with tomli-w, with every `None` dropped (TOML has no null).
  tomli-w escapes C0 controls but writes C1, bidi and zero-width characters raw, so any
  non-printable character left in its output is rewritten as a TOML `\\uXXXX` escape: lossless
  (it reads back as the same string) and safe to print.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w

from regen_compare import atomic, labels
from regen_compare.catalog import Catalog
from regen_compare.comparison import BEST, CompareLine, comparison
from regen_compare.costs import BenefitTerms, Profile, Status, YearCost, YearSplit
from regen_compare.formats import csv_cell, md_cell, profile_to_dict, row_to_dict
from regen_compare.load import STALE_AFTER
from regen_compare.model import (
    Anesthesia,
    Coverage,
    DependencyRisk,
    Evidence,
    Invasiveness,
    Payer,
    PayerKind,
    PriceUnit,
    Regulatory,
    Source,
)
from regen_compare.money import (
    ZERO,
    Range,
    cents,
    format_percent,
    format_quantity,
    format_range,
    format_usd,
    json_number,
)
from regen_compare.query import Row
from regen_compare.safe_text import display_safe, quote

HANDOUT_FORMATS: tuple[str, ...] = ("md", "html", "csv", "json", "toml")

_SUFFIXES = {
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".toml": "toml",
}

HANDOUT_FORMAT_NAME = "regen-compare-handout"
HANDOUT_VERSION = 1

TITLE = "Pain treatment options: cost, recovery and coverage"


def format_from_path(path: str | os.PathLike[str]) -> str:
    """The handout format a file name asks for, from its suffix (case-insensitive)."""
    suffix = Path(path).suffix.lower()
    fmt = _SUFFIXES.get(suffix)
    if fmt is None:
        endings = ", ".join(_SUFFIXES)
        raise ValueError(
            f"cannot tell the handout format from {quote(os.fspath(path))}: "
            f"use a file name ending in {endings}"
        )
    return fmt


def render_handout(
    fmt: str, rows: Sequence[Row], profile: Profile, catalog: Catalog, *, today: date
) -> str:
    """The handout for `rows` (in the order given) under `profile`, as text in `fmt`."""
    if fmt == "md":
        return _render_md(_document(rows, profile, catalog, today))
    if fmt == "html":
        return _render_html(_document(rows, profile, catalog, today), _title(profile, catalog))
    if fmt == "csv":
        return _render_csv(rows, profile, catalog, today)
    if fmt == "json":
        data = handout_dict(rows, profile, catalog, today=today)
        return json.dumps(data, indent=2, ensure_ascii=True) + "\n"
    if fmt == "toml":
        return _render_toml(handout_dict(rows, profile, catalog, today=today))
    raise ValueError(
        f"unknown handout format {quote(fmt)}: choose one of {', '.join(HANDOUT_FORMATS)}"
    )


def write_handout(
    path: str | os.PathLike[str],
    fmt: str,
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    *,
    today: date,
    force: bool,
) -> Path:
    """Render and write a handout atomically; without `force` an existing file is an error.

    Raises `atomic.WriteError` when the file cannot be written (the old file is untouched) and
    `ValueError` for an unknown format (before anything is written).
    """
    text = render_handout(fmt, rows, profile, catalog, today=today)
    return atomic.write_atomic(path, text, overwrite=force)


# --- wording shared by every format ---------------------------------------------------------

_UNIT_PLURAL = {
    PriceUnit.INJECTION: "injections",
    PriceUnit.SESSION: "sessions",
    PriceUnit.PROCEDURE: "procedures",
    PriceUnit.MONTH: "months",
    PriceUnit.COURSE: "courses",
}


def _usd_exact(amount: Decimal) -> str:
    """Whole dollars when the amount is whole, else to the cent (used where arithmetic is shown)."""
    exact = cents(amount)
    if exact == exact.to_integral_value():
        return format_usd(exact)
    return f"${exact:,.2f}"


def _units_text(low: Decimal, high: Decimal, unit: PriceUnit) -> str:
    name = unit.value if low == high == 1 else _UNIT_PLURAL[unit]
    return labels.days_range(low, high, name)


def _year_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _group_years(years: Sequence[YearCost]) -> list[tuple[int, int, YearCost]]:
    """Consecutive years with identical figures, as (first year, last year, one of them)."""
    groups: list[tuple[int, int, YearCost]] = []
    for year in years:
        if groups:
            first, _last, seen = groups[-1]
            if seen.low == year.low and seen.high == year.high:
                groups[-1] = (first, year.year, seen)
                continue
        groups.append((year.year, year.year, year))
    return groups


def _per_year_text(rows: Sequence[Range], none: str) -> str:
    """`year 1: $500–$7,500; years 2–5: $0–$5,000 each`."""
    if not rows:
        return none
    parts = []
    start = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or rows[i] != rows[start]:
            value = format_range(rows[start])
            if i - start == 1:
                parts.append(f"year {start + 1}: {value}")
            else:
                parts.append(f"years {start + 1}–{i}: {value} each")
            start = i
    return "; ".join(parts)


def _condition_name(catalog: Catalog, condition_id: str) -> str:
    cond = catalog.conditions.get(condition_id)
    return cond.name if cond is not None else condition_id


def _payer(profile: Profile, catalog: Catalog) -> Payer | None:
    return catalog.payers.get(profile.payer) if profile.payer is not None else None


def _span_years(years: int) -> str:
    return "1 year" if years == 1 else f"{years} years"


def _plan_terms(payer: Payer) -> str:
    if payer.kind is PayerKind.SELF_PAY:
        return "no insurance: you pay the cash price"
    cap = (
        f"{format_usd(payer.oop_max)} yearly out-of-pocket cap"
        if payer.oop_max is not None
        else "no yearly out-of-pocket cap"
    )
    return (
        f"{format_usd(payer.deductible)} yearly deductible, "
        f"{format_percent(payer.coinsurance)} coinsurance, {cap}"
    )


def _explain_split(
    split: YearSplit,
    unit: PriceUnit,
    benefit: BenefitTerms,
    deductible_met: Decimal,
    oop_met: Decimal,
) -> str:
    """One year's bound worked out in words, to the cent, so it can be checked by hand."""
    units = format_quantity(split.units)
    unit_name = _UNIT_PLURAL[unit] if split.units != 1 else unit.value
    parts = [f"{units} {unit_name} × {_usd_exact(split.per_unit)} = {_usd_exact(split.cost)}"]
    if benefit.copay is not None:
        full = benefit.copay * split.units
        text = f"copay {_usd_exact(benefit.copay)} × {units} = {_usd_exact(full)}"
        if split.copay_part < full:
            text += f", limited to the cost: {_usd_exact(split.copay_part)}"
        parts.append(text)
    else:
        left = max(ZERO, benefit.deductible - deductible_met)
        parts.append(
            f"deductible part {_usd_exact(split.deductible_part)} "
            f"({_usd_exact(left)} of the {_usd_exact(benefit.deductible)} deductible was left)"
        )
        parts.append(
            f"coinsurance {format_percent(benefit.coinsurance)} of the remaining "
            f"{_usd_exact(split.cost - split.deductible_part)} = "
            f"{_usd_exact(split.coinsurance_part)}"
        )
    if split.cap_saving > 0 and benefit.cap is not None:
        parts.append(
            f"the {_usd_exact(benefit.cap)} yearly cap ({_usd_exact(oop_met)} already met) "
            f"took off {_usd_exact(split.cap_saving)}"
        )
    parts.append(f"you pay {_usd_exact(split.patient)}")
    return "; ".join(parts) + "."


_UNAPPROVED = (Regulatory.UNAPPROVED, Regulatory.HCT_P_361)
_WEAK_EVIDENCE = (Evidence.LIMITED, Evidence.INSUFFICIENT, Evidence.INVESTIGATIONAL)
_ANESTHESIA_ASK = (Anesthesia.SEDATION, Anesthesia.REGIONAL, Anesthesia.GENERAL)


def questions(row: Row, profile: Profile, catalog: Catalog) -> tuple[list[str], list[str]]:
    """Questions for the clinic and for the plan, generated from what the data says (and
    does not say) about this therapy under this profile."""
    t = row.therapy
    name = t.name
    clinic: list[str] = []
    plan: list[str] = []
    if t.regulatory in _UNAPPROVED:
        clinic.append(
            f"Is {name} FDA-approved for my condition, or part of an FDA-overseen trial? "
            'If it is a trial, what is its IND number? ("FDA registered" is not FDA approval.)'
        )
    elif t.regulatory is Regulatory.INVESTIGATIONAL:
        clinic.append(
            f"Is {name} FDA-approved for my condition, or part of an FDA-overseen trial? "
            "Which trials are enrolling, and could I take part?"
        )
    elif t.regulatory is Regulatory.OFF_LABEL:
        clinic.append(f"{name} is used off-label for this: why, and what is the evidence?")
    if t.warnings:
        clinic.append(f"How do the official warnings about {name} apply to me?")
    if t.price is not None:
        if t.price.min != t.price.max:
            clinic.append(
                f"What exactly is included in the price of {name} (imaging, follow-up visits)?"
            )
        first, later = t.units.first_year, t.units.later_years
        repeats = profile.years > 1 and later.max > 0
        if t.price.unit is not PriceUnit.COURSE and (first.min != first.max or repeats):
            clinic.append(
                f"How many {_UNIT_PLURAL[t.price.unit]} of {name} will I need, "
                "and how often would they be repeated?"
            )
    if row.evidence in _WEAK_EVIDENCE:
        clinic.append(
            f"The evidence for {name} is {labels.EVIDENCE[row.evidence]}: "
            "what results have patients like me had?"
        )
    if t.dependency_risk in (DependencyRisk.MODERATE, DependencyRisk.HIGH):
        clinic.append(f"What is the risk of dependence on {name}, and how would I stop it?")
    if (
        t.invasiveness.rank >= Invasiveness.OUTPATIENT_SURGERY.rank
        or t.anesthesia in _ANESTHESIA_ASK
    ):
        clinic.append(
            f"What does the {labels.ANESTHESIA[t.anesthesia]} anesthesia for {name} involve, "
            "and how should I prepare?"
        )
    if t.recovery.downtime_days.max > 7:
        clinic.append(f"How much time off work or help at home will I need after {name}?")

    payer = _payer(profile, catalog)
    if payer is None or payer.kind is PayerKind.SELF_PAY:
        if t.price is not None:
            clinic.append(f"Is there a cash price or package price for {name}?")
        return clinic, plan
    cost = row.cost
    rule = cost.rule
    if cost.status is Status.UNKNOWN or rule is None:
        plan.append(f"Does my plan cover {name}? Under which policy?")
        return clinic, plan
    policy = f" (policy {rule.policy})" if rule.policy else ""
    if cost.status is Status.PRIOR_AUTH:
        plan.append(f"What do I need for prior authorization of {name}{policy}?")
    if rule.conditions and cost.status in (Status.COVERED, Status.PRIOR_AUTH):
        names = ", ".join(_condition_name(catalog, c) for c in rule.conditions)
        plan.append(
            f"{name} is covered only for {names}: does my diagnosis qualify, "
            "and what must the clinic document?"
        )
    if cost.status in (Status.NOT_COVERED, Status.INVESTIGATIONAL):
        plan.append(f"{name} is listed as not paid for{policy}: is there an exception or appeal?")
        if t.price is not None:
            plan.append(f"If I pay cash for {name}, does it count toward my deductible?")
    if cost.covered:
        if not rule.policy:
            plan.append(f"Which policy and billing codes cover {name}?")
        if rule.allowed is not None:
            plan.append(f"Is the clinic in network for {name}, so the plan-allowed amount applies?")
        if rule.separate_benefit:
            plan.append(
                f"Which benefit pays for {name}, and how much of its own deductible "
                "and cap have I used?"
            )
    return clinic, plan


def _stale(as_of: date, today: date) -> bool:
    return today - as_of > STALE_AFTER


def _as_of_text(as_of: date, today: date) -> str:
    text = as_of.isoformat()
    if _stale(as_of, today):
        text += " (over two years old: check again)"
    return text


def _data_as_of(rows: Sequence[Row], payer: Payer | None) -> date | None:
    dates = [r.therapy.as_of for r in rows]
    if payer is not None:
        dates.append(payer.as_of)
    return min(dates) if dates else None


def _title(profile: Profile, catalog: Catalog) -> str:
    if profile.condition is None:
        return TITLE
    return f"{TITLE} — {_condition_name(catalog, profile.condition)}"


# --- the document model (plain strings; renderers escape and add markup) --------------------


@dataclass(frozen=True)
class _Span:
    text: str
    style: str = ""
    """"" plain, "strong", or "code" (shown literally: used for URLs)."""
    multiline: bool = False


_Inline = tuple[_Span, ...]


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str


@dataclass(frozen=True)
class _Para:
    spans: _Inline
    css: str = ""


@dataclass(frozen=True)
class _List:
    items: tuple[_Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class _KeyValues:
    items: tuple[tuple[str, _Inline], ...]


@dataclass(frozen=True)
class _Cell:
    text: str
    best: bool = False


@dataclass(frozen=True)
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[_Cell, ...], ...]
    row_headers: bool = False
    caption: str = ""


@dataclass(frozen=True)
class _Notice:
    kind: str
    """"warning" (official safety warnings) or "disclaimer"."""
    title: str
    items: tuple[_Inline, ...]


@dataclass(frozen=True)
class _Section:
    css: str
    blocks: tuple[_Block, ...]


_Block = _Heading | _Para | _List | _KeyValues | _Table | _Notice | _Section


def _plain(text: str, *, multiline: bool = False) -> _Inline:
    return (_Span(text, multiline=multiline),)


def _source_spans(source: Source) -> _Inline:
    tail = f" — accessed {source.accessed.isoformat()}"
    if source.published:
        tail += f", published {source.published}"
    if source.supports:
        tail += "; supports: " + ", ".join(s.value for s in source.supports)
    return (_Span(source.title), _Span(" — "), _Span(source.url, "code"), _Span(tail))


def _comparison_table(lines: Sequence[CompareLine], rows: Sequence[Row]) -> _Table:
    return _Table(
        header=("", *(r.therapy.name for r in rows)),
        rows=tuple(
            (_Cell(line.label), *(_Cell(c.text, c.best) for c in line.cells)) for line in lines
        ),
        row_headers=True,
    )


def _profile_items(profile: Profile, catalog: Catalog, today: date) -> list[tuple[str, _Inline]]:
    payer = _payer(profile, catalog)
    items: list[tuple[str, _Inline]] = [
        (
            "Condition",
            _plain(
                _condition_name(catalog, profile.condition)
                if profile.condition is not None
                else "not chosen"
            ),
        ),
    ]
    if payer is not None:
        items.append(("Plan", _plain(payer.name)))
        items.append(("Plan terms", _plain(_plan_terms(payer))))
    elif profile.payer is not None:
        items.append(("Plan", _plain(f"{profile.payer} (not in the data: cash prices shown)")))
    else:
        items.append(("Plan", _plain("none chosen: cash prices shown")))
    items += [
        ("Deductible already met this year", _plain(format_usd(profile.deductible_met))),
        ("Out-of-pocket already met this year", _plain(format_usd(profile.oop_met))),
        ("Horizon", _plain(_span_years(profile.years))),
        ("Date", _plain(today.isoformat())),
    ]
    return items


def _cost_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[_Block]:
    t = row.therapy
    cost = row.cost
    span = _span_years(profile.years)
    payer = _payer(profile, catalog)
    blocks: list[_Block] = [_Heading(3, "Cost")]
    items: list[tuple[str, _Inline]] = []
    if t.price is None:
        items.append(("Cash price", _plain("not for sale: available only inside clinical trials")))
    else:
        items.append(
            (
                "Cash price",
                _plain(f"{format_range(Range(t.price.min, t.price.max))} per {t.price.unit.value}"),
            )
        )
        first, later = t.units.first_year, t.units.later_years
        units = f"{_units_text(first.min, first.max, t.price.unit)} in year 1"
        if profile.years > 1:
            units += f"; {_units_text(later.min, later.max, t.price.unit)} a year after that"
        items.append(("How many", _plain(units)))
    items.append(
        (f"Cash cost, {span}", _plain(format_range(cost.cash_total, none=labels.no_figure(cost))))
    )
    if cost.status is not None:
        items.append(
            (
                f"You pay, {span}",
                (_Span(format_range(cost.patient_total, none=labels.no_figure(cost)), "strong"),),
            )
        )
        none = labels.no_figure(cost) if not cost.priced else "—"
        per_year = _per_year_text([y.patient for y in cost.years], none)
        items.append(("You pay per year", _plain(per_year)))
    elif cost.cash_years:
        items.append(("Cash cost per year", _plain(_per_year_text(list(cost.cash_years), "—"))))
    items.append(("Why", _plain(cost.reason)))
    blocks.append(_KeyValues(tuple(items)))

    if cost.years and t.price is not None:
        blocks.append(_year_table(row, payer))
        if cost.terms is not None:
            benefit = cost.terms
            ded_met = ZERO if benefit.separate else profile.deductible_met
            oop_met = ZERO if benefit.separate else profile.oop_met
            year1 = cost.years[0]
            blocks.append(
                _List(
                    (
                        _plain(
                            "Low end: "
                            + _explain_split(year1.low, t.price.unit, benefit, ded_met, oop_met)
                        ),
                        _plain(
                            "High end: "
                            + _explain_split(year1.high, t.price.unit, benefit, ded_met, oop_met)
                        ),
                    ),
                    title="Year 1 worked out:",
                )
            )
    return blocks


def _year_table(row: Row, payer: Payer | None) -> _Table:
    cost = row.cost
    header = ["Year", "Units", "Per unit", "Cost"]
    parts: list[tuple[str, str]] = []
    if cost.terms is not None:
        benefit = cost.terms
        if benefit.copay is not None:
            parts.append(("Copay", "copay_part"))
        else:
            parts += [("Deductible", "deductible_part"), ("Coinsurance", "coinsurance_part")]
        if benefit.cap is not None:
            parts.append(("Cap saved", "cap_saving"))
    header += [label for label, _ in parts]
    header.append("You pay")
    body = []
    for first, last, year in _group_years(cost.years):
        low, high = year.low, year.high
        label = _year_label(first, last) + (" (each)" if last > first else "")
        cells = [
            label,
            labels.days_range(low.units, high.units, "").strip(),
            format_range(Range(low.per_unit, high.per_unit)),
            format_range(Range(low.cost, high.cost)),
        ]
        for _label, attr in parts:
            cells.append(format_range(Range(getattr(low, attr), getattr(high, attr))))
        cells.append(format_range(Range(low.patient, high.patient)))
        body.append(tuple(_Cell(c) for c in cells))
    return _Table(tuple(header), tuple(body), caption="Year by year (low–high)")


def _coverage_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[_Block]:
    payer = _payer(profile, catalog)
    if payer is None:
        return []
    cost = row.cost
    rule = cost.rule
    items: list[tuple[str, _Inline]] = [("Status", _plain(labels.coverage_label(cost)))]
    if payer.kind is PayerKind.SELF_PAY:
        items.append(("Rule", _plain("self-pay: no plan pays any part")))
    elif rule is None:
        items.append(("Rule", _plain(f"none in the data for {payer.name}: ask the plan")))
    else:
        items.append(("Policy", _plain(rule.policy or "not named in the data")))
        if rule.conditions:
            names = ", ".join(_condition_name(catalog, c) for c in rule.conditions)
            items.append(("Covered only for", _plain(names)))
        if rule.allowed is not None and row.therapy.price is not None:
            items.append(
                (
                    "Plan-allowed amount",
                    _plain(
                        f"{format_range(Range(rule.allowed.min, rule.allowed.max))} "
                        f"per {row.therapy.price.unit.value}"
                    ),
                )
            )
        if rule.copay is not None:
            per = row.therapy.price.unit.value if row.therapy.price is not None else "unit"
            items.append(("Copay", _plain(f"{format_usd(rule.copay)} per {per}")))
        if rule.coinsurance is not None:
            items.append(("Coinsurance", _plain(format_percent(rule.coinsurance))))
        if rule.separate_benefit:
            terms = []
            if rule.deductible is not None:
                terms.append(f"{format_usd(rule.deductible)} deductible")
            if rule.oop_max is not None:
                terms.append(f"{format_usd(rule.oop_max)} yearly cap")
            items.append(("Separate benefit", _plain(", ".join(terms))))
        if rule.notes:
            items.append(("Plan notes", _plain(rule.notes, multiline=True)))
        if rule.confidence is not None:
            items.append(("Confidence in this rule", _plain(rule.confidence.value)))
    return [_Heading(3, f"Coverage under {payer.name}"), _KeyValues(tuple(items))]


def _therapy_section(
    index: int, row: Row, profile: Profile, catalog: Catalog, today: date
) -> _Section:
    t = row.therapy
    blocks: list[_Block] = [_Heading(2, f"{index}. {t.name}")]
    kind = (
        f"{labels.CATEGORY[t.category]} · {t.modality.value.replace('-', ' ')} · "
        f"for {', '.join(_condition_name(catalog, c) for c in t.conditions)}"
    )
    blocks.append(_Para(_plain(kind), css="kind"))
    if t.warnings:
        blocks.append(
            _Notice(
                "warning",
                "⚠ Official warning" + ("s" if len(t.warnings) > 1 else ""),
                tuple(_plain(w, multiline=True) for w in t.warnings),
            )
        )
    blocks.append(_Para(_plain(t.summary, multiline=True)))
    blocks += _cost_blocks(row, profile, catalog)
    blocks += _coverage_blocks(row, profile, catalog)

    recovery = t.recovery
    blocks.append(_Heading(3, "Recovery and invasiveness"))
    blocks.append(
        _KeyValues(
            (
                (
                    "Back to normal daily activity",
                    _plain(
                        labels.days_range(
                            recovery.downtime_days.min, recovery.downtime_days.max, "days"
                        )
                    ),
                ),
                (
                    "Full effect or full recovery",
                    _plain(
                        labels.days_range(recovery.full_weeks.min, recovery.full_weeks.max, "weeks")
                    ),
                ),
                ("Invasiveness", _plain(labels.INVASIVENESS[t.invasiveness])),
                ("Anesthesia", _plain(labels.ANESTHESIA[t.anesthesia])),
                ("Dependency risk", _plain(labels.DEPENDENCY[t.dependency_risk])),
            )
        )
    )

    blocks.append(_Heading(3, "Evidence and FDA status"))
    evidence = labels.EVIDENCE[row.evidence]
    if profile.condition is not None and profile.condition in t.evidence_by_condition:
        evidence += f" (for {_condition_name(catalog, profile.condition)})"
    facts: list[tuple[str, _Inline]] = [("Evidence", _plain(evidence))]
    if t.evidence_notes:
        facts.append(("About the evidence", _plain(t.evidence_notes, multiline=True)))
    facts.append(("FDA status", _plain(labels.REGULATORY[t.regulatory])))
    if t.regulatory_notes:
        facts.append(("About the FDA status", _plain(t.regulatory_notes, multiline=True)))
    facts.append(
        (
            "Confidence in these figures",
            _plain(t.confidence.value if t.confidence else "not stated"),
        )
    )
    if t.notes:
        facts.append(("Notes", _plain(t.notes, multiline=True)))
    blocks.append(_KeyValues(tuple(facts)))

    blocks.append(_Heading(3, "Main risks"))
    if t.risks:
        blocks.append(_List(tuple(_plain(r) for r in t.risks)))
    else:
        blocks.append(_Para(_plain("None listed in the data: ask the clinic.")))

    clinic, plan = questions(row, profile, catalog)
    if clinic or plan:
        blocks.append(_Heading(3, "Questions to ask"))
        if clinic:
            blocks.append(_List(tuple(_plain(q) for q in clinic), title="The clinic:"))
        if plan:
            blocks.append(_List(tuple(_plain(q) for q in plan), title="The plan:"))

    blocks.append(_Heading(3, "Sources"))
    blocks.append(_List(tuple(_source_spans(s) for s in t.sources), title="For this therapy:"))
    rule = row.cost.rule
    if rule is not None and rule.sources:
        blocks.append(
            _List(tuple(_source_spans(s) for s in rule.sources), title="For the coverage rule:")
        )
    blocks.append(_Para(_plain(f"Therapy figures as of {_as_of_text(t.as_of, today)}.")))
    return _Section("therapy", tuple(blocks))


def _document(rows: Sequence[Row], profile: Profile, catalog: Catalog, today: date) -> list[_Block]:
    payer = _payer(profile, catalog)
    doc: list[_Block] = [_Heading(1, _title(profile, catalog))]
    as_of = _data_as_of(rows, payer)
    intro = f"Prepared {today.isoformat()}"
    if as_of is not None:
        intro += f" · oldest figure checked {_as_of_text(as_of, today)}"
    doc.append(_Para(_plain(intro + "."), css="meta"))
    doc.append(_Notice("disclaimer", "Please note", (_plain(labels.DISCLAIMER),)))
    doc.append(_Heading(2, "Your situation"))
    doc.append(_KeyValues(tuple(_profile_items(profile, catalog, today))))

    if rows:
        doc.append(_Heading(2, "Side by side"))
        doc.append(
            _Para(
                _plain(
                    f"{BEST} marks the best value in a row (lowest cost, least invasive, "
                    "quickest recovery, strongest evidence); a range is judged by its middle, "
                    "then its top. Costs are ranges: fewest units at the lowest price to most "
                    "units at the highest, rounded to whole dollars."
                ),
                css="note",
            )
        )
        doc.append(_comparison_table(comparison(rows, profile), rows))

    warned = [(r.therapy.name, w) for r in rows for w in r.therapy.warnings]
    if warned:
        doc.append(
            _Notice(
                "warning",
                "⚠ Official warnings",
                tuple(
                    (_Span(name + ":", "strong"), _Span(" "), _Span(w, multiline=True))
                    for name, w in warned
                ),
            )
        )

    doc += [_therapy_section(i, row, profile, catalog, today) for i, row in enumerate(rows, 1)]

    closing: list[_Block] = []
    if payer is not None:
        closing.append(_Heading(2, f"About the plan: {payer.name}"))
        plan_facts: list[tuple[str, _Inline]] = [("Terms", _plain(_plan_terms(payer)))]
        if payer.notes:
            plan_facts.append(("Notes", _plain(payer.notes, multiline=True)))
        plan_facts.append(("Plan figures as of", _plain(_as_of_text(payer.as_of, today))))
        closing.append(_KeyValues(tuple(plan_facts)))
        closing.append(
            _List(tuple(_source_spans(s) for s in payer.sources), title="Sources for the plan:")
        )
    closing.append(_Heading(2, "How these figures are worked out"))
    closing.append(
        _List(
            (
                _plain(
                    "Cost of a year = price per unit × units that year. Under a plan that pays, "
                    "the per-unit amount is the plan-allowed amount when the data gives one."
                ),
                _plain(
                    "Your share of a covered year: the part of the deductible still left, then "
                    "coinsurance on the rest (or a fixed copay per unit), never more than what "
                    "is left under the yearly cap. Year 1 counts what you have already met; "
                    "later years start from zero."
                ),
                _plain(
                    "Not covered, investigational or unknown coverage: you pay the cash price, "
                    "and it does not count toward the cap."
                ),
                _plain(
                    "Totals add up the years; every figure is a range from the low to the high "
                    "end, rounded to whole dollars."
                ),
            )
        )
    )
    if as_of is not None:
        closing.append(
            _Para(_plain(f"Data as of {_as_of_text(as_of, today)} (the oldest figure used)."))
        )
    closing.append(_Notice("disclaimer", "Please note", (_plain(labels.DISCLAIMER),)))
    doc.append(_Section("closing", tuple(closing)))
    return doc


# --- Markdown -------------------------------------------------------------------------------

_LIST_START = re.compile(r"^([-+=])")
_ORDERED_START = re.compile(r"^(\d{1,9})([.)])")


def _md_line(line: str, *, line_start: bool) -> str:
    text = md_cell(line.replace("\t", " "))
    if line_start:
        # At the start of a line, leading spaces would start a code block, and `-`, `+`, `=`
        # or `1.` a list or a heading underline.
        text = _LIST_START.sub(r"\\\1", text.lstrip(" \t"))
        text = _ORDERED_START.sub(r"\1\\\2", text)
    return text


def md_text(text: str, *, multiline: bool = False, line_start: bool = True) -> str:
    """Data text for Markdown: shown as written, never read as Markdown or HTML.

    Control characters become visible escapes (`display_safe`), Markdown punctuation is
    backslash-escaped (`formats.md_cell`), and text that starts a line
    (`line_start`, and every line after a break) cannot open a list, heading or code block.
    Line breaks in multi-line text become hard breaks (a trailing backslash).
    """
    safe = display_safe(text, multiline=multiline)
    return "\\\n".join(
        _md_line(line, line_start=line_start or i > 0) for i, line in enumerate(safe.split("\n"))
    )


def _md_code(text: str) -> str:
    """A code span: its content is shown literally (used for URLs, so none becomes a link)."""
    safe = display_safe(text)
    longest = max((len(m) for m in re.findall(r"`+", safe)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if safe.startswith("`") or safe.endswith("`") else ""
    return f"{fence}{pad}{safe}{pad}{fence}"


def _md_inline(spans: _Inline, *, line_start: bool = True) -> str:
    """Spans as Markdown; `line_start` when the first one begins a line of its own."""
    out = []
    for i, span in enumerate(spans):
        first = line_start and i == 0
        if span.style == "code":
            out.append(_md_code(span.text))
        elif span.style == "strong":
            text = md_text(span.text, multiline=span.multiline, line_start=False)
            out.append(f"**{text}**")
        else:
            out.append(md_text(span.text, multiline=span.multiline, line_start=first))
    return "".join(out)


def _indent(text: str, prefix: str) -> str:
    return text.replace("\n", "\n" + prefix)


def _md_block(block: _Block) -> str:
    if isinstance(block, _Heading):
        return "#" * block.level + " " + md_text(block.text, line_start=False)
    if isinstance(block, _Para):
        text = _md_inline(block.spans)
        return f"*{text}*" if block.css in ("meta", "note") else text
    if isinstance(block, _List):
        lines = [f"**{md_text(block.title)}**", ""] if block.title else []
        lines += ["- " + _indent(_md_inline(item), "  ") for item in block.items]
        return "\n".join(lines)
    if isinstance(block, _KeyValues):
        return "\n".join(
            f"- **{md_text(label)}:** " + _indent(_md_inline(value, line_start=False), "  ")
            for label, value in block.items
        )
    if isinstance(block, _Table):
        return _md_table(block)
    if isinstance(block, _Notice):
        title = f"**{md_text(block.title)}**"
        if block.kind == "warning":
            items = ["- " + _indent(_md_inline(item), "  ") for item in block.items]
            text = "\n".join([title, "", *items])
        else:
            text = title + " " + " ".join(_md_inline(i, line_start=False) for i in block.items)
        return "\n".join("> " + line if line else ">" for line in text.split("\n"))
    return "\n\n".join(_md_block(b) for b in block.blocks)


def _md_table(table: _Table) -> str:
    def cell(c: _Cell) -> str:
        text = md_text(c.text, line_start=False)
        return f"{text} {BEST}" if c.best else text

    lines = []
    if table.caption:
        lines += [f"*{md_text(table.caption)}*", ""]
    header = [md_text(h, line_start=False) for h in table.header]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for row in table.rows:
        cells = [cell(c) for c in row]
        if table.row_headers and cells:
            cells[0] = f"**{cells[0]}**"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _render_md(doc: Sequence[_Block]) -> str:
    return "\n\n".join(_md_block(b) for b in doc) + "\n"


# --- HTML -----------------------------------------------------------------------------------

_CSS = """\
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
       sans-serif; color: #111; background: #fff; line-height: 1.45; margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.3rem; margin: 1.8rem 0 .5rem; border-bottom: 2px solid #111;
     padding-bottom: .15rem; }
h3 { font-size: 1.05rem; margin: 1.1rem 0 .35rem; }
p.meta, p.note, p.kind { color: #333; font-style: italic; margin: .2rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: .95rem; }
th, td { border: 1px solid #777; padding: .25rem .45rem; text-align: left;
         vertical-align: top; }
thead th { background: #eee; }
th[scope="row"] { background: #f6f6f6; white-space: nowrap; }
td.best { font-weight: bold; }
table.kv { width: auto; }
table.kv th { font-weight: 600; }
caption { text-align: left; font-style: italic; padding: .2rem 0; }
.url { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
       font-size: .9em; overflow-wrap: anywhere; }
.notice { border: 2px solid #111; padding: .5rem .8rem; margin: .8rem 0; }
.notice.warning { border-width: 3px; background: #fff4e5; }
.notice .title { font-weight: bold; display: block; margin-bottom: .2rem; }
.notice ul { margin: .2rem 0; }
p.list-title { font-weight: 600; margin: .5rem 0 .1rem; }
ul { margin-top: .2rem; }
@media print {
  @page { margin: 15mm; }
  body { font-size: 10.5pt; color: #000; background: #fff; }
  main { max-width: none; padding: 0; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, .notice, ul, tr { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  thead th, th[scope="row"], .notice.warning { background: #fff; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'"


def html_text(text: str, *, multiline: bool = False) -> str:
    """Data text for HTML: control characters made visible, then `html.escape`d."""
    escaped = html.escape(display_safe(text, multiline=multiline), quote=True)
    return escaped.replace("\n", "<br>\n") if multiline else escaped


def _html_inline(spans: _Inline) -> str:
    out = []
    for span in spans:
        text = html_text(span.text, multiline=span.multiline)
        if span.style == "code":
            out.append(f'<span class="url">{text}</span>')
        elif span.style == "strong":
            out.append(f"<strong>{text}</strong>")
        else:
            out.append(text)
    return "".join(out)


def _html_block(block: _Block) -> str:
    if isinstance(block, _Heading):
        return f"<h{block.level}>{html_text(block.text)}</h{block.level}>"
    if isinstance(block, _Para):
        css = f' class="{block.css}"' if block.css else ""
        return f"<p{css}>{_html_inline(block.spans)}</p>"
    if isinstance(block, _List):
        title = f'<p class="list-title">{html_text(block.title)}</p>\n' if block.title else ""
        items = "\n".join(f"<li>{_html_inline(item)}</li>" for item in block.items)
        return f"{title}<ul>\n{items}\n</ul>"
    if isinstance(block, _KeyValues):
        rows = "\n".join(
            f'<tr><th scope="row">{html_text(label)}</th><td>{_html_inline(value)}</td></tr>'
            for label, value in block.items
        )
        return f'<table class="kv">\n{rows}\n</table>'
    if isinstance(block, _Table):
        return _html_table(block)
    if isinstance(block, _Notice):
        title = f'<span class="title">{html_text(block.title)}</span>'
        if block.kind == "warning":
            items = "\n".join(f"<li>{_html_inline(item)}</li>" for item in block.items)
            body = f"<ul>\n{items}\n</ul>"
        else:
            body = " ".join(_html_inline(item) for item in block.items)
        return f'<div class="notice {block.kind}" role="note">{title}\n{body}\n</div>'
    inner = "\n".join(_html_block(b) for b in block.blocks)
    return f'<section class="{block.css}">\n{inner}\n</section>'


def _html_table(table: _Table) -> str:
    parts = ["<table>"]
    if table.caption:
        parts.append(f"<caption>{html_text(table.caption)}</caption>")
    head = "".join(
        f'<th scope="col">{html_text(h)}</th>' if h else "<td></td>" for h in table.header
    )
    parts.append(f"<thead><tr>{head}</tr></thead>")
    parts.append("<tbody>")
    for row in table.rows:
        cells = []
        for i, c in enumerate(row):
            text = html_text(c.text)
            if table.row_headers and i == 0:
                cells.append(f'<th scope="row">{text}</th>')
            elif c.best:
                cells.append(f'<td class="best">{text} {BEST}</td>')
            else:
                cells.append(f"<td>{text}</td>")
        parts.append("<tr>" + "".join(cells) + "</tr>")
    parts.append("</tbody>")
    parts.append("</table>")
    return "\n".join(parts)


def _render_html(doc: Sequence[_Block], title: str) -> str:
    body = "\n".join(_html_block(b) for b in doc)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_text(title)}</title>\n"
        f"<style>\n{_CSS}</style>\n"
        "</head>\n"
        "<body>\n"
        "<main>\n"
        f"{body}\n"
        "</main>\n"
        "</body>\n"
        "</html>\n"
    )


# --- CSV ------------------------------------------------------------------------------------

HANDOUT_CSV_COLUMNS: tuple[str, ...] = (
    "generated", "condition", "condition_name", "payer", "payer_name", "deductible_met",
    "oop_met", "years",
    "id", "name", "category", "modality", "invasiveness", "anesthesia",
    "downtime_days_min", "downtime_days_max", "full_weeks_min", "full_weeks_max",
    "evidence", "regulatory", "dependency_risk", "warnings",
    "coverage", "coverage_applies", "policy", "basis",
    "price_min", "price_max", "price_unit", "cost_min", "cost_max",
    "patient_cost_min", "patient_cost_max", "patient_year1_min", "patient_year1_max",
    "reason", "as_of", "sources", "disclaimer",
)  # fmt: skip
"""The columns of a CSV handout, in order (profile first, then the therapy, disclaimer last)."""


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(display_safe(str(value)))


def _source_line(source: Source) -> str:
    return f"{source.title} <{source.url}> (accessed {source.accessed.isoformat()})"


def _render_csv(rows: Sequence[Row], profile: Profile, catalog: Catalog, today: date) -> str:
    payer = _payer(profile, catalog)
    lead = profile_to_dict(profile)
    prefix: list[object] = [
        today.isoformat(),
        lead["condition"],
        _condition_name(catalog, profile.condition) if profile.condition is not None else None,
        lead["payer"],
        payer.name if payer is not None else None,
        lead["deductible_met"],
        lead["oop_met"],
        lead["years"],
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HANDOUT_CSV_COLUMNS)
    for row in rows:
        d = row_to_dict(row)
        t = row.therapy
        price = d["price"] or {}
        cost = d["cost"] or {}
        patient = d["patient_cost"] or {}
        year1 = row.cost.years[0].patient if row.cost.years and row.cost.status else None
        sources = list(t.sources) + (list(row.cost.rule.sources) if row.cost.rule else [])
        values: list[object] = [
            *prefix,
            d["id"], d["name"], d["category"], d["modality"], d["invasiveness"],
            d["anesthesia"],
            d["downtime_days"]["min"], d["downtime_days"]["max"],
            d["full_weeks"]["min"], d["full_weeks"]["max"],
            d["evidence"], d["regulatory"], d["dependency_risk"], " | ".join(t.warnings),
            d["coverage"], d["coverage_applies"], d["policy"], d["basis"],
            price.get("min"), price.get("max"), price.get("unit"),
            cost.get("min"), cost.get("max"), patient.get("min"), patient.get("max"),
            json_number(year1.min) if year1 else None,
            json_number(year1.max) if year1 else None,
            d["reason"], d["as_of"], " | ".join(_source_line(s) for s in sources),
            labels.DISCLAIMER,
        ]  # fmt: skip
        writer.writerow(_csv_value(v) for v in values)
    return out.getvalue()


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
    }


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


def _therapy_dict(row: Row, profile: Profile, catalog: Catalog) -> dict[str, Any]:
    t = row.therapy
    cost = row.cost
    out = row_to_dict(row)
    clinic, plan = questions(row, profile, catalog)
    out.update(
        {
            "coverage_label": labels.coverage_label(cost),
            "summary": t.summary,
            "conditions": list(t.conditions),
            "units": {
                "first_year": _num_range(t.units.first_year.min, t.units.first_year.max),
                "later_years": _num_range(t.units.later_years.min, t.units.later_years.max),
            },
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
        "stale": _stale(payer.as_of, today),
        "notes": payer.notes,
        "sources": [_source_dict(s) for s in payer.sources],
    }


def handout_dict(
    rows: Sequence[Row], profile: Profile, catalog: Catalog, *, today: date
) -> dict[str, Any]:
    """The handout as plain data: the JSON shape (TOML drops its `None`s)."""
    payer = _payer(profile, catalog)
    as_of = _data_as_of(rows, payer)
    condition = (
        {"id": profile.condition, "name": _condition_name(catalog, profile.condition)}
        if profile.condition is not None
        else None
    )
    lines = comparison(rows, profile) if rows else []
    return {
        "format": HANDOUT_FORMAT_NAME,
        "version": HANDOUT_VERSION,
        "generated": today.isoformat(),
        "data_as_of": as_of.isoformat() if as_of is not None else None,
        "disclaimer": labels.DISCLAIMER,
        "profile": profile_to_dict(profile),
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
        "therapies": [_therapy_dict(r, profile, catalog) for r in rows],
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


def _render_toml(data: dict[str, Any]) -> str:
    return _safe_toml(tomli_w.dumps(drop_none(data)))
