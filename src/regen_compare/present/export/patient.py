"""The handout a patient keeps: plain words, what each option would cost *them*, and why.

The default handout (`detailed=False`) is written for the patient, not the maintainer: a short
table to compare at a glance, then per option what it would cost them (the typical figure and
the range), coverage in words, recovery, how invasive, evidence, official warnings, risks,
the ethics points of cell and gene therapies, and questions written for that option; the
sources come once, at the end, as links. Nothing of the data's internal research notes
(`notes`) appears. The worked figures, year-by-year tables and every source's detail stay in
the full-detail handout (`content.build_document`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from regen_compare.data import freshness
from regen_compare.engine.costs import Basis, Profile, Status
from regen_compare.engine.fit.score import BALANCED, Criterion, Weights, best_fit, score
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Anesthesia, PayerKind, Source, SourceSupport
from regen_compare.model.money import Range, format_percent, format_usd
from regen_compare.present import figures
from regen_compare.present.export.context import condition_name, plan_of
from regen_compare.present.export.document import (
    Block,
    Cell,
    Heading,
    Inline,
    KeyValues,
    List,
    Notice,
    Para,
    Section,
    Span,
    Table,
    plain,
)
from regen_compare.present.export.questions import patient_questions
from regen_compare.present.export.wording import as_of_text, data_as_of

TITLE = "Your pain treatment options"
SHORT_TITLE_WORDS = 4
SUMMARY_WORDS = 32
"""The summary is cut at a sentence end near this many words (whole sentences only)."""


def _span(years: int) -> str:
    return "this year" if years == 1 else f"over {years} years"


def cost_sentence(row: Row, profile: Profile) -> str:
    """What the patient would pay, in words: the typical figure, then the range."""
    cost = row.cost
    span = _span(profile.years)
    if not cost.priced:
        if cost.basis is Basis.NO_PRICE:
            return "No price is known: ask the clinic or pharmacy."
        return "Not for sale: available only inside clinical trials."
    total = cost.patient_total if cost.status is not None else cost.cash_total
    assert total is not None
    if cost.unknown:
        covered, cash = cost.total_if_covered, cost.total_if_not_covered
        assert covered is not None and cash is not None
        return (
            f"not known. If the plan covers it on its usual terms: {_about(covered)} {span}; "
            f"if not, the cash price: {_about(cash)}."
        )
    return f"{_about(total)} {span}"


def _about(value: Range) -> str:
    """`about $1,576 ($69 to $2,548)`, or one figure when the range is one figure."""
    low, high = format_usd(value.min), format_usd(value.max)
    if low == high:
        return low
    return f"about {format_usd(value.central)} ({low} to {high})"


def coverage_sentence(row: Row, profile: Profile, catalog: Catalog) -> str:
    """The plan's stance in words (never a bare status)."""
    cost = row.cost
    payer = plan_of(profile, catalog)
    if payer is None:
        return "No plan chosen: cash prices are shown."
    if payer.kind is PayerKind.SELF_PAY:
        return "No insurance: you pay the cash price."
    rule = cost.rule
    # The policy is named where the patient may need to look it up (a refusal to appeal, an
    # approval to ask for), not on every covered line.
    policy = f" (policy {rule.policy})" if rule is not None and rule.policy else ""
    if cost.status is Status.UNKNOWN or rule is None:
        return "Unknown: our data has no rule for it under this plan. Ask the plan."
    if cost.status is Status.NOT_COVERED:
        return f"Not covered{policy}."
    if cost.status is Status.INVESTIGATIONAL:
        return f"Not covered: the plan calls it investigational{policy}."
    assert rule is not None
    if not cost.covered:
        only = ", ".join(condition_name(catalog, c) for c in rule.conditions)
        return f"Covered only for {only}: for you, the cash price{policy}."
    terms = cost.terms
    assert terms is not None
    how = (
        f"a {format_usd(terms.copay)} copay each time"
        if terms.copay is not None
        else (
            f"you pay the first {format_usd(terms.deductible)} of the year, then "
            f"{format_percent(terms.coinsurance)}"
            if terms.deductible
            else f"you pay {format_percent(terms.coinsurance)}"
        )
    )
    cap = f", at most {format_usd(terms.cap)} a year" if terms.cap is not None else ""
    per_unit = (
        f", at most {format_usd(rule.max_per_unit)} each time"
        if rule.max_per_unit is not None
        else ""
    )
    prior = " after prior approval" if cost.status is Status.PRIOR_AUTH else ""
    separate = " (its own benefit, e.g. the drug plan)" if terms.separate else ""
    named = policy if cost.status is Status.PRIOR_AUTH else ""
    return f"Covered{prior}{separate}: {how}{per_unit}{cap}{named}."


def short_summary(text: str) -> str:
    """The first sentences of a summary, up to about `SUMMARY_WORDS` words (at least one
    sentence): the handout stays short, and the full text is in the full-detail handout."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    out: list[str] = []
    for sentence in sentences:
        if out and len(" ".join([*out, sentence]).split()) > SUMMARY_WORDS:
            break
        out.append(sentence)
    return " ".join(out)


def short_title(title: str) -> str:
    """A source's link text: its title up to the first sentence break, at most four words
    (the full title is in the full-detail handout)."""
    head = re.split(r"(?<=\w)[:?.](?=\s)| \(", title, maxsplit=1)[0].strip()
    words = head.split()
    if len(words) > SHORT_TITLE_WORDS:
        return " ".join(words[:SHORT_TITLE_WORDS]) + "…"
    return head


def _facts(row: Row, profile: Profile, catalog: Catalog) -> list[tuple[str, Inline]]:
    t = row.therapy
    down, full = t.recovery.downtime_days, t.recovery.full_weeks
    evidence = labels.EVIDENCE[row.evidence]
    if profile.condition is not None:
        evidence += f" for {condition_name(catalog, profile.condition).lower()}"
    items: list[tuple[str, Inline]] = [
        (
            "You would pay" if row.cost.status is not None else "Cash cost",
            (Span(cost_sentence(row, profile), "strong"),),
        ),
        ("Coverage", plain(coverage_sentence(row, profile, catalog))),
        (
            "Recovery",
            plain(
                f"{labels.DOWNTIME.lower()} {labels.days_range(down.min, down.max, 'days')} "
                f"({labels.DOWNTIME_MEANS}); {labels.FULL_EFFECT.lower()} "
                f"{labels.days_range(full.min, full.max, 'weeks')} ({labels.FULL_EFFECT_MEANS})"
            ),
        ),
        (
            "How invasive",
            plain(
                f"{labels.INVASIVENESS[t.invasiveness]}, "
                f"{labels.ANESTHESIA[t.anesthesia]} anesthesia"
                if t.anesthesia is not Anesthesia.NONE
                else labels.INVASIVENESS[t.invasiveness]
            ),
        ),
        ("Evidence and FDA status", plain(f"{evidence}; {labels.REGULATORY[t.regulatory]}")),
    ]
    old = freshness.old_figures(t)
    if old:
        items.append(("Check first", plain("older figures: " + "; ".join(o.label for o in old))))
    items.append(
        ("Main risks", plain("; ".join(t.risks) if t.risks else "none listed in our data: ask"))
    )
    return items


def fit_sentence(row: Row, weights: Weights) -> str:
    """`72 of 100; pulled up most by evidence, down by what you pay`."""
    fit = score(row.therapy, row.evidence, row.cost, weights, row.benefit)
    if not fit.scored:
        return "no score: every weight is 0"
    out = f"{fit.text()} of 100"
    up, down = fit.pulled_up, fit.pulled_down
    if up is not None:
        out += f"; up most: {up.criterion.label.lower()}"
    if down is not None:
        out += f"; down most: {down.criterion.label.lower()}"
    return out


def _weights_text(weights: Weights) -> str:
    preset = weights.preset_name()
    named = f" ({preset})" if preset else ""
    return (
        ", ".join(f"{c.value} {weights.of(c)}" for c in Criterion)
        + named
        + " (0 does not matter, 3 matters most)."
    )


def shared_ethics(rows: Sequence[Row]) -> list[str]:
    """Ethics points that more than one option shares, in order of first use: said once, in
    their own section, rather than repeated under each option."""
    seen: dict[str, int] = {}
    for row in rows:
        for point in dict.fromkeys(row.therapy.ethics):
            seen[point] = seen.get(point, 0) + 1
    return [point for point, count in seen.items() if count > 1]


def _option(
    index: int,
    row: Row,
    profile: Profile,
    catalog: Catalog,
    weights: Weights,
    shared: Sequence[str] = (),
) -> Section:
    t = row.therapy
    blocks: list[Block] = [Heading(2, f"{index}. {t.name}")]
    if t.warnings:
        blocks.append(
            Notice(
                "warning",
                "⚠ Official warning" + ("s" if len(t.warnings) > 1 else ""),
                tuple(plain(w, multiline=True) for w in t.warnings),
            )
        )
    blocks.append(Para(plain(short_summary(t.summary), multiline=True)))
    facts = [("Fit for you", plain(fit_sentence(row, weights))), *_facts(row, profile, catalog)]
    blocks.append(KeyValues(tuple(facts)))
    own = [e for e in t.ethics if e not in shared]
    if own or len(own) < len(t.ethics):
        items = [plain(e, multiline=True) for e in own]
        if len(own) < len(t.ethics):
            items.append(plain("See also: ethics shared by these options, below."))
        blocks.append(List(tuple(items), "Ethics to know"))
    asked = patient_questions(row, profile, catalog)
    if asked:
        blocks.append(List(tuple(plain(q) for q in asked), "Questions to ask"))
    return Section("therapy", tuple(blocks))


def _glance(rows: Sequence[Row], profile: Profile, weights: Weights) -> Table:
    pay = "You pay" if profile.payer is not None else "Cash cost"
    header = (
        "Option",
        f"{pay}, {_span(profile.years).removeprefix('over ')}",
        "Coverage",
        "Back to daily life",
        "Fit for you",
    )
    fits = {r.id: score(r.therapy, r.evidence, r.cost, weights, r.benefit) for r in rows}
    best = best_fit(fits) if len(rows) > 1 else set()
    body = []
    for row in rows:
        down = row.therapy.recovery.downtime_days
        money = (
            figures.you_pay_figure(row.cost)
            if row.cost.status is not None
            else figures.money_figure(row.cost.cash_total, row.cost)
        )
        body.append(
            (
                Cell(row.therapy.name),
                Cell(money),
                Cell(figures.coverage_label(row.cost)),
                Cell(labels.days_range(down.min, down.max, "days")),
                Cell(fits[row.id].text(), row.id in best),
            )
        )
    return Table(header, tuple(body), row_headers=True)


def _sources(rows: Sequence[Row], catalog: Catalog, profile: Profile) -> list[Source]:
    """Every source behind what the handout shows, once, in order of first use."""
    seen: dict[str, Source] = {}
    payer = plan_of(profile, catalog)
    for row in rows:
        for source in row.therapy.sources:
            if set(source.supports) - {SourceSupport.UNITS} or not source.supports:
                seen.setdefault(source.url, source)
        if row.cost.rule is not None:
            for source in row.cost.rule.sources:
                seen.setdefault(source.url, source)
    if payer is not None:
        for source in payer.sources:
            seen.setdefault(source.url, source)
    return list(seen.values())


def _link(source: Source) -> Inline:
    return (Span(short_title(source.title), "link", href=source.url),)


def build_patient_document(
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    today: date,
    weights: Weights = BALANCED,
) -> list[Block]:
    payer = plan_of(profile, catalog)
    title = TITLE
    if profile.condition is not None:
        title += f": {condition_name(catalog, profile.condition).lower()}"
    doc: list[Block] = [Heading(1, title)]
    who = [f"Prepared {today.isoformat()}"]
    who.append(f"plan: {payer.name}" if payer is not None else "no plan: cash prices")
    if payer is not None and payer.kind is not PayerKind.SELF_PAY:
        who.append(
            f"deductible already met {format_usd(profile.deductible_met)}, "
            f"out-of-pocket {format_usd(profile.oop_met)}"
        )
    who.append(f"{profile.years} year{'s' if profile.years > 1 else ''} ahead")
    doc.append(Para(plain(" · ".join(who) + "."), css="meta"))
    doc.append(Notice("disclaimer", "Please note", (plain(labels.DISCLAIMER),)))
    if rows:
        doc.append(Heading(2, "At a glance"))
        doc.append(
            Para(
                plain(
                    "≈ typical (range: fewest at the lowest price to most at the highest) · "
                    "? coverage unknown · ★ best fit"
                ),
                css="note",
            )
        )
        doc.append(_glance(rows, profile, weights))
        doc.append(Heading(2, "What matters to you"))
        doc.append(Para(plain(_weights_text(weights))))
    shared = shared_ethics(rows)
    doc += [_option(i, row, profile, catalog, weights, shared) for i, row in enumerate(rows, 1)]
    if shared:
        names = [r.therapy.name for r in rows if set(r.therapy.ethics) & set(shared)]
        doc.append(Heading(2, "Ethics shared by these options"))
        doc.append(Para(plain("For " + ", ".join(names) + ":")))
        doc.append(List(tuple(plain(e, multiline=True) for e in shared)))
    closing: list[Block] = [Heading(2, "Sources")]
    closing.append(List(tuple(_link(s) for s in _sources(rows, catalog, profile))))
    as_of = data_as_of(rows, payer)
    if as_of is not None:
        closing.append(
            Para(plain(f"Figures checked as of {as_of_text(as_of, today)}."), css="meta")
        )
    doc.append(Section("closing", tuple(closing)))
    return doc
