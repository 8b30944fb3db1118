"""The handout a patient keeps: a summary page in plain words, then more about each option,
then the sources.

The default handout (`detailed=False`) is written for the patient, not the maintainer, and is
measured (tests/present/test_patient_handout.py): for four options the summary stays under 900
words and the whole handout under 1,500, at a reading grade of 8 or below.

* **Summary** (the first page): who it is for, the disclaimer, the plan's usual terms said
  once (deductible, share, yearly limit or none), the supplement question (or the supplement
  the figures include), the numbers set in this consult, what the recovery words and the
  "(our assumption)" mark mean, and where the fit would be ("not asked yet" until the patient
  said what matters: no fit and no ★ then). Per option, leading with what trials found (the
  data's finding, then a picture of 100 people and the same in a sentence when the counts are
  known), then the price per visit × the number of visits, what the patient would pay,
  coverage in words, recovery, what the price leaves out and two questions to ask.
* **More about each option** (a later page): how invasive, the evidence grade, the FDA
  status, the harms counted in studies, the other risks and the ethics points.
* **Sources** (a later page): the main sources of the summary with their full titles (clinic
  and seller pages marked), and how many more the full-detail handout lists.

It does not say "what the money buys" (`comparison.money_buys`, in the full-detail handout
and the side-by-side): beside a cost over years, a chance measured after weeks (the steroid
injection's) reads as bought for those years; the cost and the chance stand in the same
block instead. Nothing of the data's internal research notes (`notes`) appears. The worked
figures, the year-by-year tables, every assumption's reason and every source stay in the
full-detail handout (`content.build_document`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from regen_compare.data import freshness
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import Criterion, Weights, best_fit, score
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Anesthesia, PayerKind, Source
from regen_compare.model.money import format_usd
from regen_compare.present import chances
from regen_compare.present.comparison import BEST
from regen_compare.present.export import patient_words as words
from regen_compare.present.export.context import condition_name, plan_of
from regen_compare.present.export.document import (
    Block,
    Heading,
    Inline,
    KeyValues,
    List,
    Notice,
    Para,
    Picture,
    Section,
    Span,
    plain,
    warnings_notice,
)
from regen_compare.present.export.patient_sources import all_sources, patient_sources
from regen_compare.present.export.questions import patient_questions
from regen_compare.present.export.wording import data_as_of, is_stale

TITLE = "Your pain treatment options"
NOT_ASKED = labels.NOT_ASKED
"""Where a fit would be, until the patient has said what matters to them."""


def fit_sentence(row: Row, weights: Weights) -> str:
    """`72 of 100; up most: evidence; down most: what you pay`."""
    fit = score(row.therapy, row.evidence, row.cost, weights, row.benefit)
    if not fit.scored:
        return "no score: every weight is 0"
    out = f"{fit.text()} of 100"
    moved = fit.moved_words("up most", "down most")
    return f"{out}; {moved}" if moved else out


def _weights_text(weights: Weights | None) -> str:
    if weights is None:
        return f"What matters to you: {NOT_ASKED}, so no option is marked as the best fit."
    preset = weights.preset_name()
    named = f" ({preset})" if preset else ""
    parts = ", ".join(f"{c.label.lower()} {weights.of(c)}" for c in Criterion)
    return f"What matters to you, from 0 (not at all) to 3 (most){named}: {parts}."


def shared_ethics(rows: Sequence[Row]) -> list[str]:
    """Ethics points that more than one option shares, in order of first use: said once, in
    their own section, rather than repeated under each option."""
    seen: dict[str, int] = {}
    for row in rows:
        for point in dict.fromkeys(row.therapy.ethics):
            seen[point] = seen.get(point, 0) + 1
    return [point for point, count in seen.items() if count > 1]


# --- the summary page ---------------------------------------------------------------------------


def _who(profile: Profile, catalog: Catalog, today: date) -> str:
    """`Prepared December 7, 2026, for Original Medicare. Costs cover the next 5 years. ...`"""
    payer = plan_of(profile, catalog)
    text = f"Prepared {words.us_date(today)}, "
    text += "with cash prices (no plan chosen)" if payer is None else f"for {payer.name}"
    years = "this year" if profile.years == 1 else f"the next {profile.years} years"
    text += f". Costs cover {years}"
    if payer is not None and payer.kind is not PayerKind.SELF_PAY:
        met = []
        if payer.deductible:
            met.append(f"Deductible paid so far this year: {format_usd(profile.deductible_met)}")
        if payer.oop_max is not None:
            met.append(f"paid toward the yearly limit: {format_usd(profile.oop_met)}")
        if met:
            text += ". " + "; ".join(met)[0].upper() + "; ".join(met)[1:]
    if profile.region is not None:
        text += f". Medicare amounts are for {profile.region}"
    return text + "."


def _opening(rows: Sequence[Row], profile: Profile, catalog: Catalog, today: date) -> list[Block]:
    payer = plan_of(profile, catalog)
    title = TITLE
    if profile.condition is not None:
        title += f": {condition_name(catalog, profile.condition).lower()}"
    blocks: list[Block] = [
        Heading(1, title),
        Para(plain(_who(profile, catalog, today)), css="meta"),
        Notice("disclaimer", "Please note", (plain(labels.DISCLAIMER),)),
    ]
    terms = words.plan_terms_sentence(payer)
    if terms is not None:
        blocks.append(Para(plain(terms)))
    supplement = words.supplement_lines(profile, catalog, payer)
    if supplement:
        first, *rest = supplement
        blocks.append(Para((Span(first, "strong"), *(Span(" " + s) for s in rest))))
    changed = words.units_set_lines(rows, profile)
    if changed:
        blocks.append(List(tuple(plain(c) for c in changed), "Set in this consult"))
    if rows:
        blocks.append(Para(plain(words.RECOVERY_LEGEND), css="note"))
    return blocks


def _fit_line(weights: Weights | None) -> Para:
    """Where the fit would be, before the patient said what matters: said once."""
    if weights is None:
        return Para(plain(f"Fit for you (what matters most to you): {NOT_ASKED}."))
    return Para(plain(_weights_text(weights)))


def _trials(row: Row, profile: Profile, catalog: Catalog) -> list[Block]:
    """What trials found, first (the data's finding, in plain words), then the picture of
    100 people with the same in a sentence when the counts are known (never filled in). How
    sure the figures are is on the later page, beside the evidence grade."""
    found = row.benefit
    lead = Span("What trials found:", "strong")
    if found is None:
        if profile.condition is None:
            return [Para((lead, Span(" choose a condition to see it.")))]
        name = condition_name(catalog, profile.condition).lower()
        return [Para((lead, Span(f" not known. Our sources give no results for {name}.")))]
    blocks: list[Block] = [Para((lead, Span(" "), Span(found.finding, multiline=True)))]
    counts = chances.icon_counts(found)
    if counts is not None:
        blocks.append(Picture(counts, chances.icon_sentence(found)))
    return blocks


def _fit(row: Row, weights: Weights, best: set[str]) -> Inline:
    text = fit_sentence(row, weights)
    return (Span(text), Span(f" {BEST} best fit", "strong")) if row.id in best else plain(text)


def _facts(
    row: Row, profile: Profile, catalog: Catalog, weights: Weights | None, best: set[str]
) -> list[tuple[str, Inline]]:
    payer = plan_of(profile, catalog)
    t = row.therapy
    items: list[tuple[str, Inline]] = []
    price = words.price_sentence(row, profile, payer)
    if price is not None:
        items.append(("Price", plain(price)))
    items.append(
        (
            "You would pay" if row.cost.status is not None else "Cash cost",
            (Span(words.pay_sentence(row, profile), "strong"),),
        )
    )
    items.append(("Coverage", plain(words.coverage_sentence(row, profile, catalog, payer))))
    items.append(("Recovery", plain(words.recovery_sentence(t))))
    left_out = words.left_out_sentence(t, catalog, profile.condition)
    if left_out is not None:
        items.append(("The price leaves out", plain(left_out)))
    if weights is not None:
        items.append(("Fit for you", _fit(row, weights, best)))
    return items


def _option(
    index: int,
    row: Row,
    profile: Profile,
    catalog: Catalog,
    *,
    weights: Weights | None,
    best: set[str],
) -> Section:
    t = row.therapy
    blocks: list[Block] = [Heading(2, f"{index}. {t.name}")]
    blocks += warnings_notice(t)
    blocks += _trials(row, profile, catalog)
    blocks.append(KeyValues(tuple(_facts(row, profile, catalog, weights, best))))
    asked = patient_questions(row, profile, catalog)
    if asked:
        blocks.append(List(tuple(plain(q) for q in asked), "Questions to ask"))
    return Section("option", tuple(blocks))


def _best(rows: Sequence[Row], weights: Weights | None) -> set[str]:
    """The options marked ★ best fit: none until the patient said what matters."""
    if weights is None or len(rows) < 2:
        return set()
    return best_fit({r.id: score(r.therapy, r.evidence, r.cost, weights, r.benefit) for r in rows})


# --- later pages --------------------------------------------------------------------------------


def _more(row: Row, profile: Profile, catalog: Catalog, shared: Sequence[str]) -> list[Block]:
    """What else a patient should know about one option: how invasive, the evidence grade,
    the FDA status, the harms counted in studies and the other risks, the ethics points. (How
    sure the trial figures are is in the data's finding, on the summary page.)"""
    t = row.therapy
    evidence = labels.EVIDENCE[row.evidence]  # for the handout's condition (its title)
    invasive = labels.INVASIVENESS[t.invasiveness]
    if t.anesthesia is not Anesthesia.NONE:
        invasive += f", {labels.ANESTHESIA[t.anesthesia]} anesthesia"
    items: list[tuple[str, Inline]] = [
        ("How invasive", plain(invasive)),
        ("Evidence", plain(evidence)),
        ("FDA status", plain(labels.REGULATORY[t.regulatory])),
    ]
    harms = [h for h in t.harms if words.for_condition(h.what, catalog, profile.condition)]
    if harms:
        items.append(("Harms", plain(" ".join(chances.harm_sentence(h) for h in harms))))
    risks = "; ".join(t.risks) + "." if t.risks else "none listed in our data: ask"
    items.append(("Other risks" if harms else "Main risks", plain(risks)))
    old = freshness.old_figures(t)
    if old:
        items.append(("Check first", plain("older figures: " + "; ".join(o.label for o in old))))
    blocks: list[Block] = [Heading(3, t.name), KeyValues(tuple(items))]
    own = [e for e in t.ethics if e not in shared]
    if t.ethics:  # its own points, and a pointer to those it shares with the others
        ethics = [plain(e, multiline=True) for e in own]
        if len(own) < len(t.ethics):
            ethics.append(plain("See also: ethics shared by these options, below."))
        blocks.append(List(tuple(ethics), "Ethics to know"))
    return blocks


def _source_item(source: Source) -> Inline:
    spans: list[Span] = [Span(source.title, "link", href=source.url)]
    if source.kind in labels.MARKED_SOURCES:
        spans += [Span(" "), Span(f"({labels.SOURCE_KIND[source.kind]})", "strong")]
    return tuple(spans)


def _sources_page(rows: Sequence[Row], profile: Profile, catalog: Catalog, today: date) -> Section:
    groups = patient_sources(rows, profile, catalog)
    listed = sum(len(g.sources) for g in groups)
    total = len(all_sources(rows, profile, catalog))
    blocks: list[Block] = [Heading(2, "Sources")]
    note = "The main sources of the summary; a clinic's or seller's own page is marked."
    if total > listed:
        note += f" The full-detail handout lists all {total}."
    blocks.append(Para(plain(note), css="note"))
    for g in groups:
        items = [_source_item(s) for s in g.sources]
        if g.listed_above:
            also = "1 source" if g.listed_above == 1 else f"{g.listed_above} sources"
            items.append(plain(f"and {also} listed above"))
        blocks.append(List(tuple(items), g.title))
    as_of = data_as_of(rows, plan_of(profile, catalog))
    if as_of is not None:
        checked = f"Figures checked as of {words.us_date(as_of)}"
        if is_stale(as_of, today):
            checked += " (over two years old: check again)"
        blocks.append(Para(plain(checked + "."), css="meta"))
    return Section("later sources", tuple(blocks))


def build_patient_document(
    rows: Sequence[Row],
    profile: Profile,
    catalog: Catalog,
    today: date,
    weights: Weights | None = None,
) -> list[Block]:
    """The patient's handout for `rows` (in the order given). `weights`: what matters to the
    patient, None until they were asked (no fit and no ★ then: "not asked yet")."""
    best = _best(rows, weights)
    summary = _opening(rows, profile, catalog, today)
    if rows:
        summary.append(_fit_line(weights))
    summary += [
        _option(i, row, profile, catalog, weights=weights, best=best)
        for i, row in enumerate(rows, 1)
    ]
    doc: list[Block] = [Section("summary", tuple(summary))]
    if rows:
        shared = shared_ethics(rows)
        more: list[Block] = [Heading(2, "More about each option")]
        for row in rows:
            more += _more(row, profile, catalog, shared)
        if shared:
            names = [r.therapy.name for r in rows if set(r.therapy.ethics) & set(shared)]
            more.append(Heading(3, "Ethics shared by these options"))
            more.append(Para(plain("For " + ", ".join(names) + ":")))
            more.append(List(tuple(plain(e, multiline=True) for e in shared)))
        doc.append(Section("later more", tuple(more)))
    doc.append(_sources_page(rows, profile, catalog, today))
    return doc
