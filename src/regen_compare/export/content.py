"""What a handout says, as a small document model of plain strings (`Block`s).

Every format renders from here, so they all say the same thing; only the renderers
(`markdown`, `html`) add markup and escaping. Nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from regen_compare import freshness, labels
from regen_compare.catalog import Catalog
from regen_compare.comparison import BEST, CompareLine, comparison
from regen_compare.costs import BenefitTerms, Profile, YearCost, YearSplit
from regen_compare.export.context import condition_name, plan_of, reader_text
from regen_compare.export.questions import questions
from regen_compare.fit import BALANCED, Criterion, Weights, score
from regen_compare.load_checks import STALE_AFTER
from regen_compare.model import (
    Payer,
    PayerKind,
    PriceUnit,
    Source,
)
from regen_compare.money import (
    ZERO,
    Range,
    cents,
    format_percent,
    format_quantity,
    format_range,
    format_range_typical,
    format_usd,
)
from regen_compare.query import Row

__all__ = ["condition_name", "plan_of", "questions"]

HANDOUT_FORMAT_NAME = "regen-compare-handout"
HANDOUT_VERSION = 1

TITLE = "Pain treatment options: cost, recovery and coverage"


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
    if split.unit_cap_saving > 0:
        parts.append(
            f"the most you pay per {unit.value} took off {_usd_exact(split.unit_cap_saving)}"
        )
    if split.cap_saving > 0 and benefit.cap is not None:
        parts.append(
            f"the {_usd_exact(benefit.cap)} yearly cap ({_usd_exact(oop_met)} already met) "
            f"took off {_usd_exact(split.cap_saving)}"
        )
    parts.append(f"you pay {_usd_exact(split.patient)}")
    return "; ".join(parts) + "."


def is_stale(as_of: date, today: date) -> bool:
    return today - as_of > STALE_AFTER


def as_of_text(as_of: date, today: date) -> str:
    text = as_of.isoformat()
    if is_stale(as_of, today):
        text += " (over two years old: check again)"
    return text


def data_as_of(rows: Sequence[Row], payer: Payer | None) -> date | None:
    dates = [r.therapy.as_of for r in rows]
    if payer is not None:
        dates.append(payer.as_of)
    return min(dates) if dates else None


def document_title(profile: Profile, catalog: Catalog) -> str:
    if profile.condition is None:
        return TITLE
    return f"{TITLE} — {condition_name(catalog, profile.condition)}"


# --- the document model (plain strings; renderers escape and add markup) --------------------


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""
    """"" plain, "strong", "code" (shown literally) or "link" (`text` linking to `href`)."""
    multiline: bool = False
    href: str = ""
    """For "link": an http(s) address from the data (validated as such when loaded)."""


Inline = tuple[Span, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    spans: Inline
    css: str = ""


@dataclass(frozen=True)
class List:
    items: tuple[Inline, ...]
    title: str = ""


@dataclass(frozen=True)
class KeyValues:
    items: tuple[tuple[str, Inline], ...]


@dataclass(frozen=True)
class Cell:
    text: str
    best: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    row_headers: bool = False
    caption: str = ""


@dataclass(frozen=True)
class Notice:
    kind: str
    """"warning" (official safety warnings) or "disclaimer"."""
    title: str
    items: tuple[Inline, ...]


@dataclass(frozen=True)
class Section:
    css: str
    blocks: tuple[Block, ...]


Block = Heading | Para | List | KeyValues | Table | Notice | Section


def _plain(text: str, *, multiline: bool = False) -> Inline:
    return (Span(text, multiline=multiline),)


def _source_spans(source: Source) -> Inline:
    tail = f" — accessed {source.accessed.isoformat()}"
    if source.published:
        tail += f", published {source.published}"
    if source.supports:
        tail += "; supports: " + ", ".join(s.value for s in source.supports)
    return (Span(source.title), Span(" — "), Span(source.url, "code"), Span(tail))


def _comparison_table(lines: Sequence[CompareLine], rows: Sequence[Row]) -> Table:
    return Table(
        header=("", *(r.therapy.name for r in rows)),
        rows=tuple(
            (Cell(line.label), *(Cell(c.text, c.best) for c in line.cells)) for line in lines
        ),
        row_headers=True,
    )


def _profile_items(profile: Profile, catalog: Catalog, today: date) -> list[tuple[str, Inline]]:
    payer = plan_of(profile, catalog)
    items: list[tuple[str, Inline]] = [
        (
            "Condition",
            _plain(
                condition_name(catalog, profile.condition)
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


def _cost_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[Block]:
    t = row.therapy
    cost = row.cost
    span = _span_years(profile.years)
    payer = plan_of(profile, catalog)
    blocks: list[Block] = [Heading(3, "Cost")]
    items: list[tuple[str, Inline]] = []
    if t.price is None:
        items.append(("Cash price", _plain("not for sale: available only inside clinical trials")))
    else:
        items.append(
            (
                "Cash price",
                _plain(
                    f"{format_range_typical(labels.amount_range(t.price))} per {t.price.unit.value}"
                ),
            )
        )
        first, later = t.units.first_year, t.units.later_years
        units = f"{_units_text(first.min, first.max, t.price.unit)} in year 1"
        if profile.years > 1:
            units += f"; {_units_text(later.min, later.max, t.price.unit)} a year after that"
        items.append(("How many", _plain(units)))
    items.append((f"Cash cost, {span}", _plain(labels.money_figure(cost.cash_total, cost))))
    if cost.status is not None:
        items.append((f"You pay, {span}", (Span(labels.you_pay_figure(cost), "strong"),)))
        if cost.unknown:
            items.append(("Coverage unknown", _plain(labels.UNKNOWN_HINT.removeprefix("? "))))
            items.append(
                (
                    f"If the plan covers it, {span}",
                    _plain(labels.money_figure(cost.total_if_covered, cost)),
                )
            )
            items.append(
                (
                    f"If it does not (cash), {span}",
                    _plain(labels.money_figure(cost.total_if_not_covered, cost)),
                )
            )
        none = labels.no_figure(cost) if not cost.priced else "—"
        per_year = _per_year_text([y.patient for y in cost.years], none)
        items.append(("You pay per year", _plain(per_year)))
    elif cost.cash_years:
        items.append(("Cash cost per year", _plain(_per_year_text(list(cost.cash_years), "—"))))
    items.append(("Why", _plain(cost.reason)))
    old = freshness.old_figures(t)
    if old:
        items.append(("Old figures", _plain("; ".join(o.label for o in old))))
    blocks.append(KeyValues(tuple(items)))

    if cost.years and t.price is not None:
        blocks.append(_year_table(row, payer))
        if cost.terms is not None:
            benefit = cost.terms
            ded_met = ZERO if benefit.separate else profile.deductible_met
            oop_met = ZERO if benefit.separate else profile.oop_met
            year1 = cost.if_covered[0] if cost.unknown else cost.years[0]
            title = (
                "Year 1 worked out if the plan covers it on its general terms:"
                if cost.unknown
                else "Year 1 worked out:"
            )
            blocks.append(
                List(
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
                    title=title,
                )
            )
    return blocks


def _year_table(row: Row, payer: Payer | None) -> Table:
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
    years = cost.if_covered if cost.unknown else cost.years
    for first, last, year in _group_years(years):
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
        body.append(tuple(Cell(c) for c in cells))
    caption = "Year by year (low–high)"
    if cost.unknown:
        caption += ", if the plan covers it on its general terms (if not: the cash cost)"
    return Table(tuple(header), tuple(body), caption=caption)


def _coverage_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[Block]:
    payer = plan_of(profile, catalog)
    if payer is None:
        return []
    cost = row.cost
    rule = cost.rule
    items: list[tuple[str, Inline]] = [("Status", _plain(labels.coverage_label(cost)))]
    if payer.kind is PayerKind.SELF_PAY:
        items.append(("Rule", _plain("self-pay: no plan pays any part")))
    elif rule is None:
        items.append(("Rule", _plain(f"none in the data for {payer.name}: ask the plan")))
    else:
        if rule.policy:
            items.append(("Policy", _plain(rule.policy)))
        if rule.conditions:
            names = ", ".join(condition_name(catalog, c) for c in rule.conditions)
            items.append(("Covered only for", _plain(names)))
        if rule.allowed is not None and row.therapy.price is not None:
            items.append(
                (
                    "Plan-allowed amount",
                    _plain(
                        f"{format_range_typical(labels.amount_range(rule.allowed))} "
                        f"per {row.therapy.price.unit.value}"
                    ),
                )
            )
        if rule.max_per_unit is not None:
            per = row.therapy.price.unit.value if row.therapy.price is not None else "unit"
            items.append(("Most you pay", _plain(f"{format_usd(rule.max_per_unit)} per {per}")))
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
        notes = reader_text(rule.notes)
        if notes:
            items.append(("Plan notes", _plain(notes, multiline=True)))
        if rule.confidence is not None:
            items.append(("Confidence in this rule", _plain(rule.confidence.value)))
    return [Heading(3, f"Coverage under {payer.name}"), KeyValues(tuple(items))]


def _fit_blocks(row: Row, weights: Weights) -> list[Block]:
    fit = score(row.therapy, row.evidence, row.cost, weights)
    blocks: list[Block] = [Heading(3, "Fit for you"), Para(_plain(fit.explain()))]
    if fit.scored:
        blocks.append(List(tuple(_plain(p.text()) for p in fit.parts)))
    return blocks


def _therapy_section(
    index: int, row: Row, profile: Profile, catalog: Catalog, today: date, weights: Weights
) -> Section:
    t = row.therapy
    blocks: list[Block] = [Heading(2, f"{index}. {t.name}")]
    kind = (
        f"{labels.CATEGORY[t.category]} · {t.modality.value.replace('-', ' ')} · "
        f"for {', '.join(condition_name(catalog, c) for c in t.conditions)}"
    )
    blocks.append(Para(_plain(kind), css="kind"))
    if t.warnings:
        blocks.append(
            Notice(
                "warning",
                "⚠ Official warning" + ("s" if len(t.warnings) > 1 else ""),
                tuple(_plain(w, multiline=True) for w in t.warnings),
            )
        )
    blocks.append(Para(_plain(t.summary, multiline=True)))
    blocks += _cost_blocks(row, profile, catalog)
    blocks += _coverage_blocks(row, profile, catalog)
    blocks += _fit_blocks(row, weights)

    recovery = t.recovery
    blocks.append(Heading(3, "Recovery and invasiveness"))
    blocks.append(
        KeyValues(
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

    blocks.append(Heading(3, "Evidence and FDA status"))
    evidence = labels.EVIDENCE[row.evidence]
    if profile.condition is not None and profile.condition in t.evidence_by_condition:
        evidence += f" (for {condition_name(catalog, profile.condition)})"
    facts: list[tuple[str, Inline]] = [("Evidence", _plain(evidence))]
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
    blocks.append(KeyValues(tuple(facts)))

    blocks.append(Heading(3, "Main risks"))
    if t.risks:
        blocks.append(List(tuple(_plain(r) for r in t.risks)))
    else:
        blocks.append(Para(_plain("None listed in the data: ask the clinic.")))
    if t.ethics:
        blocks.append(Heading(3, "Ethics to know"))
        blocks.append(List(tuple(_plain(e, multiline=True) for e in t.ethics)))

    clinic, plan = questions(row, profile, catalog)
    if clinic or plan:
        blocks.append(Heading(3, "Questions to ask"))
        if clinic:
            blocks.append(List(tuple(_plain(q) for q in clinic), title="The clinic:"))
        if plan:
            blocks.append(List(tuple(_plain(q) for q in plan), title="The plan:"))

    blocks.append(Heading(3, "Sources"))
    blocks.append(List(tuple(_source_spans(s) for s in t.sources), title="For this therapy:"))
    rule = row.cost.rule
    if rule is not None and rule.sources:
        blocks.append(
            List(tuple(_source_spans(s) for s in rule.sources), title="For the coverage rule:")
        )
    blocks.append(Para(_plain(f"Therapy figures as of {as_of_text(t.as_of, today)}.")))
    return Section("therapy", tuple(blocks))


def build_document(
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    today: date,
    weights: Weights = BALANCED,
) -> list[Block]:
    payer = plan_of(profile, catalog)
    doc: list[Block] = [Heading(1, document_title(profile, catalog))]
    as_of = data_as_of(rows, payer)
    intro = f"Prepared {today.isoformat()}"
    if as_of is not None:
        intro += f" · oldest figure checked {as_of_text(as_of, today)}"
    doc.append(Para(_plain(intro + "."), css="meta"))
    doc.append(Notice("disclaimer", "Please note", (_plain(labels.DISCLAIMER),)))
    doc.append(Heading(2, "Your situation"))
    doc.append(KeyValues(tuple(_profile_items(profile, catalog, today))))

    if rows:
        doc.append(Heading(2, "Side by side"))
        doc.append(
            Para(
                _plain(
                    f"{BEST} marks the best value in a row (lowest cost, least invasive, "
                    "quickest recovery, strongest evidence); a range is judged by its middle, "
                    "then its top. Costs are ranges: fewest units at the lowest price to most "
                    "units at the highest, rounded to whole dollars."
                ),
                css="note",
            )
        )
        doc.append(_comparison_table(comparison(rows, profile, weights), rows))
        doc.append(Heading(2, "What matters to you"))
        doc.append(
            Para(
                _plain(
                    "Weights, 0 (does not matter) to 3 (matters most): "
                    + ", ".join(f"{c.label.lower()} {weights.of(c)}" for c in Criterion)
                    + ". The fit adds each criterion's points: weight × value (0 to 1 on a "
                    "fixed scale) ÷ the sum of the weights × 100."
                )
            )
        )

    warned = [(r.therapy.name, w) for r in rows for w in r.therapy.warnings]
    if warned:
        doc.append(
            Notice(
                "warning",
                "⚠ Official warnings",
                tuple(
                    (Span(name + ":", "strong"), Span(" "), Span(w, multiline=True))
                    for name, w in warned
                ),
            )
        )

    doc += [
        _therapy_section(i, row, profile, catalog, today, weights) for i, row in enumerate(rows, 1)
    ]

    closing: list[Block] = []
    if payer is not None:
        closing.append(Heading(2, f"About the plan: {payer.name}"))
        plan_facts: list[tuple[str, Inline]] = [("Terms", _plain(_plan_terms(payer)))]
        payer_notes = reader_text(payer.notes)
        if payer_notes:
            plan_facts.append(("Notes", _plain(payer_notes, multiline=True)))
        plan_facts.append(("Plan figures as of", _plain(as_of_text(payer.as_of, today))))
        closing.append(KeyValues(tuple(plan_facts)))
        closing.append(
            List(tuple(_source_spans(s) for s in payer.sources), title="Sources for the plan:")
        )
    closing.append(Heading(2, "How these figures are worked out"))
    closing.append(
        List(
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
                    "Not covered or investigational: you pay the cash price, and it does not "
                    "count toward the cap. Unknown coverage (no rule in the data): the figure "
                    "runs from what you would pay if the plan covered it on its usual terms to "
                    "the cash price; ask the plan."
                ),
                _plain(
                    "≈ marks the typical figure: the source's typical price, else the middle of "
                    "the range."
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
            Para(_plain(f"Data as of {as_of_text(as_of, today)} (the oldest figure used)."))
        )
    closing.append(Notice("disclaimer", "Please note", (_plain(labels.DISCLAIMER),)))
    doc.append(Section("closing", tuple(closing)))
    return doc
