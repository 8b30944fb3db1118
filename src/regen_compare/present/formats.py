"""Rows as data: the JSON rows (every key listed in README.md, "JSON rows"), CSV and Markdown
tables.

JSON numbers are numbers (money to the cent, whole amounts as integers); every string from
the data is written as it is (JSON escapes it), but CSV and Markdown cells are made safe
for the programs that open them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from regen_compare.data.regions import Region
from regen_compare.engine import cash_or_plan
from regen_compare.engine.costs import Profile, units_in_effect
from regen_compare.engine.fit.score import BALANCED, Weights, fit_text, score
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.entities import Benefit
from regen_compare.model.money import Range, json_number
from regen_compare.model.text import display_safe
from regen_compare.present import figures


def _range(value: Range | None) -> dict[str, int | float | None] | None:
    """`{min, typical, max}`; typical is null when no single figure is honest (unknown
    coverage: the two outcomes carry their own)."""
    if value is None:
        return None
    typical = None if value.typical is None else json_number(value.typical)
    return {"min": json_number(value.min), "typical": typical, "max": json_number(value.max)}


def _qty(low: Decimal, high: Decimal) -> dict[str, int | float]:
    return {"min": json_number(low), "max": json_number(high)}


def _units(row: Row, profile: Profile | None) -> dict[str, Any]:
    """The units the figures count (`costs.units_in_effect`), whose number it is, and whether
    it rests on an assumption (README.md, "JSON rows")."""
    t = row.therapy
    chosen = profile or Profile()
    units = units_in_effect(t, chosen)
    first, later = units.first_year, units.later_years
    return {
        "unit": t.price.unit.value if t.price is not None else None,
        "first_year": _qty(first.min, first.max),
        "later_years": _qty(later.min, later.max),
        "set_in_consult": first.set_in_consult,
        "assumed": first.assumed or (chosen.years > 1 and later.assumed),
    }


def benefit_to_dict(found: Benefit | None) -> dict[str, Any] | None:
    """The chance of benefit for the profile's condition; counts not known are null."""
    if found is None:
        return None

    def count(value: Decimal | None) -> int | float | None:
        return None if value is None else json_number(value)

    return {
        "condition": found.condition,
        "measure": found.measure,
        "timeframe": found.timeframe,
        "with_therapy": count(found.with_therapy),
        "comparator": found.comparator,
        "with_comparator": count(found.with_comparator),
        "difference": count(found.difference),
        "certainty": found.certainty.value if found.certainty is not None else None,
        "evidence": found.evidence,
        "finding": found.finding,
    }


def additions(row: Row, profile: Profile | None) -> dict[str, Any]:
    """What the third round added to a row: the short name, the units and what they assume,
    what the price leaves out, the chance of benefit, harms and the supplement applied."""
    t = row.therapy
    terms = row.cost.terms
    supplement = terms.supplement if terms is not None else None
    return {
        "short_name": t.short_name,
        "figures_assumed": row.cost.assumed and row.cost.priced,
        "service": t.service.value if t.service is not None else None,
        "units": _units(row, profile),
        "assumptions": [{"figure": a.figure.value, "reason": a.reason} for a in t.assumptions],
        "not_included": list(t.not_included),
        "benefit": benefit_to_dict(row.benefit),
        "harms": [
            {
                "what": h.what,
                "count": json_number(h.count),
                "out_of": h.out_of,
                "timeframe": h.timeframe,
            }
            for h in t.harms
        ],
        "supplement": supplement.id if supplement is not None else None,
    }


def row_to_dict(
    row: Row,
    *,
    weights: Weights = BALANCED,
    region: Region | None = None,
    profile: Profile | None = None,
) -> dict[str, Any]:
    """One JSON row (README.md, "JSON rows"): the therapy, its costs, the fit under `weights`
    and its parts, cash or plan, the region the figures are for, and (for `profile`: the
    units it set) the units, assumptions, benefit and harms."""
    t = row.therapy
    cost = row.cost
    rule = cost.rule
    return {
        "id": t.id,
        "name": t.name,
        "category": t.category.value,
        "modality": t.modality.value,
        "invasiveness": t.invasiveness.value,
        "anesthesia": t.anesthesia.value,
        "evidence": row.evidence.value,
        "regulatory": t.regulatory.value,
        "dependency_risk": t.dependency_risk.value,
        "coverage": cost.status.value if cost.status is not None else None,
        "coverage_applies": cost.covered if cost.status is not None else None,
        "coverage_conditions": list(rule.conditions) if rule is not None else [],
        "policy": rule.policy if rule is not None else None,
        "basis": cost.basis.value,
        "reason": cost.reason,
        "price": (
            {
                "min": json_number(t.price.min),
                "typical": None if t.price.typical is None else json_number(t.price.typical),
                "max": json_number(t.price.max),
                "unit": t.price.unit.value,
            }
            if t.price is not None
            else None
        ),
        "cost": _range(cost.cash_total),
        "patient_cost": _range(cost.patient_total),
        **_unknown_outcomes(row),
        "patient_cost_by_year": (
            [_range(y.patient) for y in cost.years] if cost.status is not None else None
        ),
        "downtime_days": _qty(t.recovery.downtime_days.min, t.recovery.downtime_days.max),
        "full_weeks": _qty(t.recovery.full_weeks.min, t.recovery.full_weeks.max),
        "confidence": t.confidence.value if t.confidence is not None else None,
        "as_of": t.as_of.isoformat(),
        **score(t, row.evidence, cost, weights, row.benefit).to_json(),
        **cash_or_plan.compare(cost).to_json(),
        "region": region.to_json() if region is not None else None,
        **additions(row, profile),
    }


def _unknown_outcomes(row: Row) -> dict[str, Any]:
    """A row whose coverage is unknown carries both outcomes (README.md, "JSON rows")."""
    cost = row.cost
    if not cost.unknown:
        return {}
    return {
        "patient_cost_if_covered": _range(cost.total_if_covered),
        "patient_cost_if_not_covered": _range(cost.total_if_not_covered),
    }


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    return {
        "condition": profile.condition,
        "payer": profile.payer,
        "deductible_met": json_number(profile.deductible_met),
        "oop_met": json_number(profile.oop_met),
        "years": profile.years,
        "supplement": profile.supplement,
        "units": [
            {
                "therapy": u.therapy,
                "first_year": json_number(u.first_year),
                "later_years": None if u.later_years is None else json_number(u.later_years),
            }
            for u in profile.units
        ],
    }


def rows_to_json(
    rows: Sequence[Row],
    *,
    weights: Weights = BALANCED,
    region: Region | None = None,
    profile: Profile | None = None,
) -> str:
    """The rows as a JSON array (README.md, "The command line", lists every key)."""
    data = [row_to_dict(r, weights=weights, region=region, profile=profile) for r in rows]
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


# --- CSV ------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "id",
    "name",
    "category",
    "modality",
    "invasiveness",
    "evidence",
    "regulatory",
    "coverage",
    "policy",
    "cost_min",
    "cost_max",
    "patient_cost_min",
    "patient_cost_max",
    "downtime_days_min",
    "downtime_days_max",
    "full_weeks_min",
    "full_weeks_max",
    "cost_typical",
    "patient_cost_typical",
    "patient_cost_if_covered_min",
    "patient_cost_if_covered_max",
    "patient_cost_if_not_covered_min",
    "patient_cost_if_not_covered_max",
]
"""New columns are appended, so scripts that read columns by position keep working."""


def csv_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection), with every
    control character made visible (`display_safe`), as on every other output path."""
    if value is None:
        return ""
    text = display_safe(str(value))
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def rows_to_csv(rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        d = row_to_dict(row)
        cost, patient = d["cost"] or {}, d["patient_cost"] or {}
        if_covered = d.get("patient_cost_if_covered") or {}
        if_not = d.get("patient_cost_if_not_covered") or {}
        writer.writerow(
            csv_cell(v)
            for v in (
                d["id"],
                d["name"],
                d["category"],
                d["modality"],
                d["invasiveness"],
                d["evidence"],
                d["regulatory"],
                d["coverage"],
                d["policy"],
                cost.get("min"),
                cost.get("max"),
                patient.get("min"),
                patient.get("max"),
                d["downtime_days"]["min"],
                d["downtime_days"]["max"],
                d["full_weeks"]["min"],
                d["full_weeks"]["max"],
                cost.get("typical"),
                patient.get("typical"),
                if_covered.get("min"),
                if_covered.get("max"),
                if_not.get("min"),
                if_not.get("max"),
            )
        )
    return out.getvalue()


# --- Markdown -------------------------------------------------------------------------------


# What link detection (GFM autolinks, markdown-it's linkify) keys on in plain text: a dot
# inside a name (`www.`, `example.com`), `@` (e-mail), `:` before `/` and `//` (schemes).
_AUTOLINK_TRIGGERS = re.compile(r"(?<=\w)\.(?=[^\W\d_])|@|:(?=/)|(?<=/)/")


def no_autolinks(text: str) -> str:
    """Markdown text in which no URL, domain or e-mail address is detected as a link.

    Each trigger character is backslash-escaped: CommonMark renders `\\.` as `.`, so the text
    reads the same, but the escape splits the run a link detector would match."""
    return _AUTOLINK_TRIGGERS.sub(lambda m: "\\" + m.group(0), text)


def md_cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no control characters, pipes and Markdown
    punctuation escaped, and no address a renderer would turn into a link (`no_autolinks`)."""
    safe = display_safe(text).replace("\\", "\\\\").replace("|", "\\|")
    for ch in "*_`[]<>&~#":
        safe = safe.replace(ch, "\\" + ch)
    return no_autolinks(safe)


def md_table(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |"]
    lines.append("|" + "|".join("---" for _ in header) + "|")
    for cells in body:
        lines.append("| " + " | ".join(md_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def list_columns(profile: Profile, *, fit: bool = False) -> list[str]:
    """The list's columns; `fit` adds the fit score (when the rows carry one)."""
    span = "1 yr" if profile.years == 1 else f"{profile.years} yrs"
    cols = ["Therapy", "Type", "Invasive", "Downtime", f"Cash cost ({span})"]
    if profile.payer is not None:
        cols += [f"You pay ({span})", "Coverage"]
    cols.append("Evidence")
    if fit:
        cols.append("Fit")
    return cols


def list_cells(row: Row, profile: Profile, *, wrap: bool = False, fit: bool = False) -> list[str]:
    """The cells of one list row as text (shared by the Markdown and terminal tables).

    `wrap` lets money ranges break over two lines in a narrow terminal; `fit` adds the row's
    fit score (`fit.fit_text`).
    """
    t = row.therapy
    cells = [
        t.name,
        (labels.CATEGORY_SHORT if wrap else labels.CATEGORY)[t.category],
        labels.INVASIVENESS_SHORT[t.invasiveness],
        labels.days_range(t.recovery.downtime_days.min, t.recovery.downtime_days.max, "d"),
        figures.money_figure(row.cost.cash_total, row.cost, wrap=wrap),
    ]
    if profile.payer is not None:
        cells += [figures.you_pay_figure(row.cost, wrap=wrap), figures.coverage_label(row.cost)]
    cells.append(labels.EVIDENCE[row.evidence])
    if fit:
        cells.append(fit_text(row.fit))
    return cells


def rows_to_markdown(rows: Sequence[Row], profile: Profile, *, fit: bool = False) -> str:
    """The list as a Markdown table, then the legends of the marks it shows; `fit` adds the
    fit column."""
    table = md_table(
        list_columns(profile, fit=fit), [list_cells(r, profile, fit=fit) for r in rows]
    )
    hints = figures.symbol_hints(r.cost for r in rows)
    return table + "".join(f"\n{md_cell(hint)}\n" for hint in hints)
