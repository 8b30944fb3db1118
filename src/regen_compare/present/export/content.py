"""The full-detail handout (`--detailed`): every worked figure, coverage rule and source.

The patient's handout is `patient.py`. Both are built from the document model in
`document.py` with the wording in `wording.py`; this module re-exports those names for the
renderers and the other handout parts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from regen_compare.data import freshness
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import Criterion, Weights, score
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import AssumedFigure, Coverage, Payer, PayerKind, Source
from regen_compare.model.money import (
    ZERO,
    Range,
    format_percent,
    format_range,
    format_range_typical,
    format_usd,
)
from regen_compare.present import chances, figures
from regen_compare.present.comparison import (
    BEST,
    CompareLine,
    comparison,
    money_buys,
    not_asked_line,
)
from regen_compare.present.export.context import condition_name, plan_of, reader_text
from regen_compare.present.export.document import (
    Block,
    Cell,
    Heading,
    Inline,
    KeyValues,
    List,
    Notice,
    Para,
    Picture,
    Section,
    Span,
    Table,
    plain,
    warnings_notice,
)
from regen_compare.present.export.patient_words import (
    supplement_lines,
    units_set_lines,
)
from regen_compare.present.export.questions import questions
from regen_compare.present.export.wording import (
    HANDOUT_FORMAT_NAME,
    HANDOUT_VERSION,
    TITLE,
    as_of_text,
    data_as_of,
    document_title,
    explain_split,
    group_years,
    is_stale,
    per_year_text,
    plan_terms,
    span_years,
    year_label,
)

__all__ = [
    "HANDOUT_FORMAT_NAME",
    "HANDOUT_VERSION",
    "TITLE",
    "Block",
    "Cell",
    "Heading",
    "Inline",
    "KeyValues",
    "List",
    "Notice",
    "Para",
    "Section",
    "Span",
    "Table",
    "as_of_text",
    "build_document",
    "condition_name",
    "data_as_of",
    "document_title",
    "is_stale",
    "plan_of",
    "questions",
]


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


def _profile_items(
    rows: Sequence[Row], profile: Profile, catalog: Catalog, today: date
) -> list[tuple[str, Inline]]:
    """Who is asking, in `figures.profile_facts`'s words (the plan's terms beside the plan),
    the supplement the figures include (or the question to ask), and the numbers of units
    set in this consult."""
    payer = plan_of(profile, catalog)
    items: list[tuple[str, Inline]] = []
    for what, value in figures.profile_facts(catalog, profile):
        items.append((what.capitalize(), plain(value)))
        if what == "plan" and payer is not None:
            items.append(("Plan terms", plain(plan_terms(payer))))
            supplement = supplement_lines(profile, catalog, payer)
            if supplement:
                items.append(("Supplement", plain(" ".join(supplement))))
    changed = units_set_lines(rows, profile)
    if changed:
        items.append(("Set in this consult", plain(" ".join(changed))))
    items.append(("Date", plain(today.isoformat())))
    return items


def _price_items(row: Row) -> list[tuple[str, Inline]]:
    t = row.therapy
    if t.price is None:
        return [("Cash price", plain("not for sale: available only inside clinical trials"))]
    price = f"{format_range_typical(labels.amount_range(t.price))} per {t.price.unit.value}"
    # How many units: "Units counted" (`chances.units_sentence`), the consult's numbers.
    return [("Cash price", plain(price))]


_UNIT_FIGURES = (AssumedFigure.UNITS_FIRST_YEAR, AssumedFigure.UNITS_LATER_YEARS)


def _cost_items(row: Row, profile: Profile) -> list[tuple[str, Inline]]:
    t, cost = row.therapy, row.cost
    span = span_years(profile.years)
    items = _price_items(row)
    items.append((f"Cash cost, {span}", plain(figures.money_figure(cost.cash_total, cost))))
    if cost.status is not None:
        items.append((f"You pay, {span}", (Span(figures.you_pay_figure(cost), "strong"),)))
        if cost.unknown:
            items += [
                ("Coverage unknown", plain(labels.UNKNOWN_HINT.removeprefix("? "))),
                (
                    f"If the plan covers it, {span}",
                    plain(figures.money_figure(cost.total_if_covered, cost)),
                ),
                (
                    f"If it does not (cash), {span}",
                    plain(figures.money_figure(cost.total_if_not_covered, cost)),
                ),
            ]
        none = figures.no_figure(cost) if not cost.priced else "—"
        per_year = per_year_text([y.patient for y in cost.years], none)
        items.append(("You pay per year", plain(per_year)))
    elif cost.cash_years:
        items.append(("Cash cost per year", plain(per_year_text(list(cost.cash_years), "—"))))
    items.append(("Why", plain(cost.reason)))
    if t.price is not None:
        items.append(("Units counted", plain(chances.units_sentence(t, profile), multiline=True)))
    # The units' reasons are in the sentence above; the other assumptions follow.
    others = tuple(a for a in t.assumptions if a.figure not in _UNIT_FIGURES)
    assumed = chances.assumption_lines(t.model_copy(update={"assumptions": others}))
    if assumed:
        items.append(("Assumed", plain(" ".join(assumed), multiline=True)))
    if t.not_included:
        items.append(("The price leaves out", plain("; ".join(t.not_included))))
    old = freshness.old_figures(t)
    if old:
        items.append(("Old figures", plain("; ".join(o.label for o in old))))
    return items


def _year1_worked(row: Row, profile: Profile) -> List | None:
    """Year 1's low and high ends worked out in words, when a plan's terms apply."""
    t, cost = row.therapy, row.cost
    if cost.terms is None or t.price is None:
        return None
    benefit = cost.terms
    ded_met = ZERO if benefit.separate else profile.deductible_met
    oop_met = ZERO if benefit.separate else profile.oop_met
    year1 = cost.if_covered[0] if cost.unknown else cost.years[0]
    title = (
        "Year 1 worked out if the plan covers it on its general terms:"
        if cost.unknown
        else "Year 1 worked out:"
    )
    unit = t.price.unit
    return List(
        (
            plain("Low end: " + explain_split(year1.low, unit, benefit, ded_met, oop_met)),
            plain("High end: " + explain_split(year1.high, unit, benefit, ded_met, oop_met)),
        ),
        title=title,
    )


def _cost_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[Block]:
    blocks: list[Block] = [Heading(3, "Cost"), KeyValues(tuple(_cost_items(row, profile)))]
    if row.cost.years and row.therapy.price is not None:
        blocks.append(_year_table(row, plan_of(profile, catalog)))
        worked = _year1_worked(row, profile)
        if worked is not None:
            blocks.append(worked)
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
    for first, last, year in group_years(years):
        low, high = year.low, year.high
        label = year_label(first, last) + (" (each)" if last > first else "")
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
    items: list[tuple[str, Inline]] = [("Status", plain(figures.coverage_label(cost)))]
    if payer.kind is PayerKind.SELF_PAY:
        items.append(("Rule", plain("self-pay: no plan pays any part")))
    elif rule is None:
        items.append(("Rule", plain(f"none in the data for {payer.name}: ask the plan")))
    else:
        items += _rule_items(rule, row, catalog)
    return [Heading(3, f"Coverage under {payer.name}"), KeyValues(tuple(items))]


def _rule_items(rule: Coverage, row: Row, catalog: Catalog) -> list[tuple[str, Inline]]:
    """A covering rule's terms, each as a label and its value."""
    items: list[tuple[str, Inline]] = []
    if rule.policy:
        items.append(("Policy", plain(rule.policy)))
    if rule.conditions:
        names = ", ".join(condition_name(catalog, c) for c in rule.conditions)
        items.append(("Covered only for", plain(names)))
    if rule.allowed is not None and row.therapy.price is not None:
        items.append(
            (
                "Plan-allowed amount",
                plain(
                    f"{format_range_typical(labels.amount_range(rule.allowed))} "
                    f"per {row.therapy.price.unit.value}"
                ),
            )
        )
    if rule.max_per_unit is not None:
        per = row.therapy.price.unit.value if row.therapy.price is not None else "unit"
        items.append(("Most you pay", plain(f"{format_usd(rule.max_per_unit)} per {per}")))
    if rule.copay is not None:
        per = row.therapy.price.unit.value if row.therapy.price is not None else "unit"
        items.append(("Copay", plain(f"{format_usd(rule.copay)} per {per}")))
    if rule.coinsurance is not None:
        items.append(("Coinsurance", plain(format_percent(rule.coinsurance))))
    if rule.separate_benefit:
        items.append(("Separate benefit", plain(labels.separate_benefit_terms(rule))))
    notes = reader_text(rule.notes)
    if notes:
        items.append(("Plan notes", plain(notes, multiline=True)))
    if rule.confidence is not None:
        items.append(("Confidence in this rule", plain(rule.confidence.value)))
    return items


NOT_ASKED = labels.NOT_ASKED


def _fit_blocks(row: Row, weights: Weights | None) -> list[Block]:
    if weights is None:
        shown = f"{NOT_ASKED.capitalize()}: no fit is shown."
        return [Heading(3, "Fit for you"), Para(plain(shown))]
    fit = score(row.therapy, row.evidence, row.cost, weights, row.benefit)
    blocks: list[Block] = [Heading(3, "Fit for you"), Para(plain(fit.explain()))]
    if fit.scored:
        blocks.append(List(tuple(plain(p.text()) for p in fit.parts)))
    return blocks


def _chances_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[Block]:
    """How likely it is to help (`present/chances.py`'s words) and the harms counted in
    studies, each with its sources."""
    t, found = row.therapy, row.benefit
    blocks: list[Block] = [Heading(3, "How likely it is to help")]
    if found is None:
        condition = (
            condition_name(catalog, profile.condition)
            if profile.condition is not None
            else "any condition (choose one)"
        )
        blocks.append(Para(plain(f"Not known for {condition}: the data gives no figure.")))
    else:
        blocks.append(Para(plain(found.finding, multiline=True)))
        lines = [chances.helped_sentence(found)]
        difference = chances.difference_sentence(found)
        if difference is not None:
            lines.append(difference)
        sure = chances.certainty_sentence(found)
        if sure is not None:
            lines.append(sure)
        if money_buys(row) != "—":
            lines.append(f"What the money buys: {money_buys(row)}.")
        blocks.append(List(tuple(plain(line) for line in lines)))
        counts = chances.icon_counts(found)
        if counts is not None:
            blocks.append(Picture(counts, chances.icon_sentence(found)))
        blocks.append(
            List(tuple(_source_spans(s) for s in found.sources), title="Sources for these figures:")
        )
    if t.harms:
        blocks.append(Heading(3, "Harms counted in studies"))
        blocks.append(List(tuple(plain(chances.harm_sentence(h)) for h in t.harms)))
        harm_sources = list({s.url: s for h in t.harms for s in h.sources}.values())
        blocks.append(
            List(tuple(_source_spans(s) for s in harm_sources), title="Sources for the harms:")
        )
    return blocks


def _recovery_blocks(row: Row) -> list[Block]:
    t = row.therapy
    downtime, full = t.recovery.downtime_days, t.recovery.full_weeks
    items: tuple[tuple[str, Inline], ...] = (
        (
            "Back to normal daily activity",
            plain(labels.days_range(downtime.min, downtime.max, "days")),
        ),
        ("Full effect or full recovery", plain(labels.days_range(full.min, full.max, "weeks"))),
        ("Invasiveness", plain(labels.INVASIVENESS[t.invasiveness])),
        ("Anesthesia", plain(labels.ANESTHESIA[t.anesthesia])),
        ("Dependency risk", plain(labels.DEPENDENCY[t.dependency_risk])),
    )
    return [Heading(3, "Recovery and invasiveness"), KeyValues(items)]


def _evidence_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[Block]:
    t = row.therapy
    evidence = labels.EVIDENCE[row.evidence]
    if profile.condition is not None and profile.condition in t.evidence_by_condition:
        evidence += f" (for {condition_name(catalog, profile.condition)})"
    facts: list[tuple[str, Inline]] = [("Evidence", plain(evidence))]
    if t.evidence_notes:
        facts.append(("About the evidence", plain(t.evidence_notes, multiline=True)))
    facts.append(("FDA status", plain(labels.REGULATORY[t.regulatory])))
    if t.regulatory_notes:
        facts.append(("About the FDA status", plain(t.regulatory_notes, multiline=True)))
    confidence = t.confidence.value if t.confidence else "not stated"
    facts.append(("Confidence in these figures", plain(confidence)))
    return [Heading(3, "Evidence and FDA status"), KeyValues(tuple(facts))]


def _risk_blocks(row: Row, profile: Profile, catalog: Catalog) -> list[Block]:
    t = row.therapy
    blocks: list[Block] = [Heading(3, "Main risks")]
    if t.risks:
        blocks.append(List(tuple(plain(r) for r in t.risks)))
    else:
        blocks.append(Para(plain("None listed in the data: ask the clinic.")))
    if t.ethics:
        blocks.append(Heading(3, "Ethics to know"))
        blocks.append(List(tuple(plain(e, multiline=True) for e in t.ethics)))
    clinic, plan = questions(row, profile, catalog)
    if clinic or plan:
        blocks.append(Heading(3, "Questions to ask"))
        if clinic:
            blocks.append(List(tuple(plain(q) for q in clinic), title="The clinic:"))
        if plan:
            blocks.append(List(tuple(plain(q) for q in plan), title="The plan:"))
    return blocks


def _source_blocks(row: Row, today: date) -> list[Block]:
    t = row.therapy
    blocks: list[Block] = [
        Heading(3, "Sources"),
        List(tuple(_source_spans(s) for s in t.sources), title="For this therapy:"),
    ]
    rule = row.cost.rule
    if rule is not None and rule.sources:
        blocks.append(
            List(tuple(_source_spans(s) for s in rule.sources), title="For the coverage rule:")
        )
    blocks.append(Para(plain(f"Therapy figures as of {as_of_text(t.as_of, today)}.")))
    return blocks


def _therapy_section(
    index: int,
    row: Row,
    profile: Profile,
    catalog: Catalog,
    *,
    today: date,
    weights: Weights | None,
) -> Section:
    t = row.therapy
    blocks: list[Block] = [Heading(2, f"{index}. {t.name}")]
    kind = (
        f"{labels.CATEGORY[t.category]} · {t.modality.value.replace('-', ' ')} · "
        f"for {', '.join(condition_name(catalog, c) for c in t.conditions)}"
    )
    blocks.append(Para(plain(kind), css="kind"))
    blocks += warnings_notice(t)
    blocks.append(Para(plain(t.summary, multiline=True)))
    blocks += _chances_blocks(row, profile, catalog)
    blocks += _cost_blocks(row, profile, catalog)
    blocks += _coverage_blocks(row, profile, catalog)
    blocks += _fit_blocks(row, weights)
    blocks += _recovery_blocks(row)
    blocks += _evidence_blocks(row, profile, catalog)
    blocks += _risk_blocks(row, profile, catalog)
    blocks += _source_blocks(row, today)
    return Section("therapy", tuple(blocks))


_SIDE_BY_SIDE_NOTE = (
    f"{BEST} marks the best value in a row (lowest cost, least invasive, quickest recovery, "
    "strongest evidence); a range is judged by its middle, then its top. Costs are ranges: "
    "fewest units at the lowest price to most units at the highest, rounded to whole dollars."
)

_HOW_WORKED_OUT = (
    "Cost of a year = price per unit × units that year. Under a plan that pays, the per-unit "
    "amount is the plan-allowed amount when the data gives one.",
    "Your share of a covered year: the part of the deductible still left, then coinsurance on "
    "the rest (or a fixed copay per unit), never more than what is left under the yearly cap. "
    "Year 1 counts what you have already met; later years start from zero.",
    "Not covered or investigational: you pay the cash price, and it does not count toward the "
    "cap. Unknown coverage (no rule in the data): the figure runs from what you would pay if "
    "the plan covered it on its usual terms to the cash price; ask the plan.",
    "≈ marks the typical figure: the source's typical price, else the middle of the range.",
    f"{labels.ASSUMED_MARK} before a figure: it rests on our assumption, a price or a number "
    "of units no source gives (each option's section says which, and why).",
    "Totals add up the years; every figure is a range from the low to the high end, rounded "
    "to whole dollars.",
)


def _side_by_side(rows: Sequence[Row], profile: Profile, weights: Weights | None) -> Table:
    """The side-by-side lines; before the patient said what matters, the fit line says
    "not asked yet" (no score, no star)."""
    lines = comparison(rows, profile, weights)
    if weights is None:
        lines = [not_asked_line(rows), *lines]
    return _comparison_table(lines, rows)


def _weights_para(weights: Weights | None) -> Para:
    if weights is None:
        return Para(
            plain(
                f"{NOT_ASKED.capitalize()}: the patient has not said what matters to them, so "
                "no fit is shown and no option is marked as the best fit."
            )
        )
    weights_text = ", ".join(f"{c.label.lower()} {weights.of(c)}" for c in Criterion)
    return Para(
        plain(
            f"Weights, 0 (does not matter) to 3 (matters most): {weights_text}. The fit "
            "adds each criterion's points: weight × value (0 to 1 on a fixed scale) ÷ "
            "the sum of the weights × 100."
        )
    )


def _opening(
    rows: Sequence[Row], profile: Profile, catalog: Catalog, today: date, weights: Weights | None
) -> list[Block]:
    """Title, date, disclaimer, the patient's situation, the side-by-side and the weights."""
    as_of = data_as_of(rows, plan_of(profile, catalog))
    intro = f"Prepared {today.isoformat()}"
    if as_of is not None:
        intro += f" · oldest figure checked {as_of_text(as_of, today)}"
    doc: list[Block] = [
        Heading(1, document_title(profile, catalog)),
        Para(plain(intro + "."), css="meta"),
        Notice("disclaimer", "Please note", (plain(labels.DISCLAIMER),)),
        Heading(2, "Your situation"),
        KeyValues(tuple(_profile_items(rows, profile, catalog, today))),
    ]
    if rows:
        doc += [
            Heading(2, "Side by side"),
            Para(plain(_SIDE_BY_SIDE_NOTE), css="note"),
            _side_by_side(rows, profile, weights),
            Heading(2, "What matters to you"),
            _weights_para(weights),
        ]
    warned = [(r.therapy.name, w) for r in rows for w in r.therapy.warnings]
    if warned:
        items = tuple(
            (Span(name + ":", "strong"), Span(" "), Span(w, multiline=True)) for name, w in warned
        )
        doc.append(Notice("warning", "⚠ Official warnings", items))
    return doc


def _closing(payer: Payer | None, as_of: date | None, today: date) -> Section:
    closing: list[Block] = []
    if payer is not None:
        plan_facts: list[tuple[str, Inline]] = [("Terms", plain(plan_terms(payer)))]
        payer_notes = reader_text(payer.notes)
        if payer_notes:
            plan_facts.append(("Notes", plain(payer_notes, multiline=True)))
        plan_facts.append(("Plan figures as of", plain(as_of_text(payer.as_of, today))))
        closing += [
            Heading(2, f"About the plan: {payer.name}"),
            KeyValues(tuple(plan_facts)),
            List(tuple(_source_spans(s) for s in payer.sources), title="Sources for the plan:"),
        ]
    closing.append(Heading(2, "How these figures are worked out"))
    closing.append(List(tuple(plain(line) for line in _HOW_WORKED_OUT)))
    if as_of is not None:
        closing.append(
            Para(plain(f"Data as of {as_of_text(as_of, today)} (the oldest figure used)."))
        )
    closing.append(Notice("disclaimer", "Please note", (plain(labels.DISCLAIMER),)))
    return Section("closing", tuple(closing))


def build_document(
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    today: date,
    weights: Weights | None = None,
) -> list[Block]:
    """The full-detail handout: every worked figure, rule and source, for a counselor.
    `weights` None: the patient has not said what matters ("not asked yet", no fit)."""
    payer = plan_of(profile, catalog)
    doc = _opening(rows, profile, catalog, today, weights)
    doc += [
        _therapy_section(i, row, profile, catalog, today=today, weights=weights)
        for i, row in enumerate(rows, 1)
    ]
    doc.append(_closing(payer, data_as_of(rows, payer), today))
    return doc
