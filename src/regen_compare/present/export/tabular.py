"""Handouts as CSV: one row per therapy, every cell safe for spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import (
    Source,
)
from regen_compare.model.money import (
    json_number,
)
from regen_compare.present import chances
from regen_compare.present.export.content import condition_name, plan_of
from regen_compare.present.export.structured import new_figures
from regen_compare.present.formats import csv_cell, profile_to_dict, row_to_dict

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
    "short_name", "units_first_year_min", "units_first_year_max", "units_later_years_min",
    "units_later_years_max", "units_set_in_consult", "assumptions", "not_included",
    "benefit_condition", "benefit_measure", "benefit_timeframe", "benefit_with_therapy",
    "benefit_comparator", "benefit_with_comparator", "benefit_difference",
    "benefit_certainty", "benefit_evidence", "benefit_finding", "harms", "supplement",
)  # fmt: skip
"""The columns of a CSV handout, in order: the profile first, then the therapy, up to the
disclaimer (version 1's last column); the columns added since follow it, so a script that
reads columns by position keeps working. Lists are joined with ` | `."""


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return csv_cell(value)


def _source_line(source: Source) -> str:
    return f"{source.title} <{source.url}> (accessed {source.accessed.isoformat()})"


def _new_figures(row: Row, profile: Profile) -> list[object]:
    """The values of the columns after the disclaimer (`structured.new_figures` flattened)."""
    f = new_figures(row, profile)
    units, benefit = f["units"], f["benefit"] or {}
    return [
        f["short_name"],
        units["first_year"]["min"], units["first_year"]["max"],
        units["later_years"]["min"], units["later_years"]["max"], units["set_in_consult"],
        " | ".join(f"{a['figure']}: {a['reason']}" for a in f["assumptions"]),
        " | ".join(f["not_included"]),
        *(benefit.get(key) for key in _BENEFIT_KEYS),
        " | ".join(chances.harm_sentence(h) for h in row.therapy.harms),
        f["supplement"],
    ]  # fmt: skip


_BENEFIT_KEYS = (
    "condition", "measure", "timeframe", "with_therapy", "comparator", "with_comparator",
    "difference", "certainty", "evidence", "finding",
)  # fmt: skip


def render_csv(rows: Sequence[Row], profile: Profile, catalog: Catalog, today: date) -> str:
    payer = plan_of(profile, catalog)
    lead = profile_to_dict(profile)
    prefix: list[object] = [
        today.isoformat(),
        lead["condition"],
        condition_name(catalog, profile.condition) if profile.condition is not None else None,
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
            *_new_figures(row, profile),
        ]  # fmt: skip
        writer.writerow(_csv_value(v) for v in values)
    return out.getvalue()
