"""The detail pane's content for one therapy, built as `rich.text.Text` (never markup).

Pure (catalog + row + profile in, Text out) so it can be tested without a screen and so the
pane widget stays a dumb holder. Every data string goes through `display_safe` and is
appended as plain text; only the app's own headings carry styles.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from regen_compare.engine import cash_or_plan
from regen_compare.engine.costs import Profile, YearCost, YearSplit
from regen_compare.engine.fit.score import BALANCED, Weights, score
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.money import (
    format_percent,
    format_range_typical,
    format_usd,
)
from regen_compare.model.text import display_safe
from regen_compare.present import chances, figures

HEADING = "bold"
WARNING = "bold"


def _safe(text: str) -> str:
    return display_safe(text, multiline=True)


def _section(out: Text, title: str) -> None:
    out.append("\n")
    out.append(title, HEADING)
    out.append("\n")


def _split_line(split: YearSplit, unit: str) -> str:
    parts = [
        f"{labels.units_text(split.units, unit)} × {format_usd(split.per_unit)} = "
        f"{format_usd(split.cost)}"
    ]
    if split.copay_part:
        parts.append(f"copay {format_usd(split.copay_part)}")
    if split.deductible_part or split.coinsurance_part:
        parts.append(f"deductible part {format_usd(split.deductible_part)}")
        parts.append(f"coinsurance part {format_usd(split.coinsurance_part)}")
    if split.unit_cap_saving:
        parts.append(f"per-{unit} cap took off {format_usd(split.unit_cap_saving)}")
    if split.cap_saving:
        parts.append(f"yearly cap took off {format_usd(split.cap_saving)}")
    parts.append(f"you pay {format_usd(split.patient)}")
    return "; ".join(parts)


def detail_text(
    row: Row,
    catalog: Catalog,
    profile: Profile,
    stale: Sequence[str] = (),
    weights: Weights = BALANCED,
) -> Text:
    """`stale`: the loader's warnings about this therapy's figures (already one line each);
    `weights`: what matters to the patient (the fit section)."""
    out = Text()
    _heading(out, row, catalog, profile)
    _cautions(out, row, stale)
    _about(out, row)
    _chances(out, row, catalog, profile)
    _coverage(out, row, catalog, profile)
    _figures(out, row, profile)
    _assumptions(out, row, profile)
    _cash_or_plan(out, row)
    _fit(out, row, weights)
    if row.therapy.notes:
        _section(out, "Notes")
        out.append(_safe(row.therapy.notes))
        out.append("\n")
    _sources(out, row, catalog, profile)
    return out


def _heading(out: Text, row: Row, catalog: Catalog, profile: Profile) -> None:
    """The name, then what it is, how invasive, the evidence and the dependency risk."""
    t = row.therapy
    out.append(display_safe(t.name), "bold underline")
    out.append("\n")
    condition = catalog.conditions.get(profile.condition) if profile.condition else None
    evidence_for = f" (for {display_safe(condition.name)})" if condition else ""
    out.append(
        f"{labels.CATEGORY[t.category]} · {t.modality.value.replace('-', ' ')} · "
        f"invasiveness {t.invasiveness.rank + 1}/5: {labels.INVASIVENESS[t.invasiveness]} · "
        f"anesthesia: {labels.ANESTHESIA[t.anesthesia]}\n"
        f"Evidence: {labels.EVIDENCE[row.evidence]}{evidence_for} · "
        f"dependency risk: {labels.DEPENDENCY[t.dependency_risk]}"
    )
    if t.confidence is not None:
        out.append(f" · data confidence: {t.confidence.value}")
    out.append("\n")


def _cautions(out: Text, row: Row, stale: Sequence[str]) -> None:
    """Official warnings, ethics and old figures: first, where they are seen."""
    t = row.therapy
    if t.warnings:
        _section(out, "⚠ Official warnings")
        for warning in t.warnings:
            out.append("⚠ ", WARNING)
            out.append(_safe(warning), WARNING)
            out.append("\n")
    if t.ethics:
        _section(out, "Ethics to know")
        for point in t.ethics:
            out.append("• " + _safe(point) + "\n")
    if stale:
        _section(out, "⚠ Old figures (check before relying on them)")
        for warning in stale:
            out.append("⚠ " + display_safe(warning) + "\n")


def _about(out: Text, row: Row) -> None:
    """Summary, evidence notes, risks, recovery and regulatory status."""
    t = row.therapy
    _section(out, "Summary")
    out.append(_safe(t.summary))
    out.append("\n")
    if t.evidence_notes:
        out.append("Evidence notes: ")
        out.append(_safe(t.evidence_notes))
        out.append("\n")
    _section(out, "Risks")
    if t.risks:
        for risk in t.risks:
            out.append("• " + display_safe(risk) + "\n")
    else:
        out.append("None listed in the data.\n")
    _section(out, "Recovery")
    down, full = t.recovery.downtime_days, t.recovery.full_weeks
    out.append(
        f"{labels.DOWNTIME}: {labels.days_range(down.min, down.max, 'days')} "
        f"({labels.DOWNTIME_MEANS}) · {labels.FULL_EFFECT}: "
        f"{labels.days_range(full.min, full.max, 'weeks')} ({labels.FULL_EFFECT_MEANS})\n"
    )
    _section(out, "Regulatory status")
    out.append(labels.REGULATORY[t.regulatory])
    out.append("\n")
    if t.regulatory_notes:
        out.append(_safe(t.regulatory_notes))
        out.append("\n")


def _chances(out: Text, row: Row, catalog: Catalog, profile: Profile) -> None:
    """How likely it is to help, for the patient's condition, and its main harms."""
    _section(out, "How likely it is to help")
    found = row.benefit
    if profile.condition is None:
        out.append("Choose a condition to see how likely it is to help.\n")
    elif found is None:
        condition = catalog.conditions.get(profile.condition)
        name = display_safe(condition.name) if condition else profile.condition
        out.append(f"Not known: the data has no trial figure for {name}.\n")
    else:
        out.append(chances.helped_sentence(found) + "\n")
        difference = chances.difference_sentence(found)
        if difference:
            out.append(difference + "\n")
        out.append("What trials found: " + _safe(found.finding) + "\n")
        certainty = chances.certainty_sentence(found)
        if certainty:
            out.append(certainty + "\n")
    if row.therapy.harms:
        out.append("Main harms, where a source counts them:\n")
        for harm in row.therapy.harms:
            out.append("• " + chances.harm_sentence(harm) + "\n")


def _assumptions(out: Text, row: Row, profile: Profile) -> None:
    """What the figures count and assume, and what the price leaves out."""
    t = row.therapy
    if not row.cost.priced:
        return
    _section(out, "What the figures assume")
    price = t.price
    if price is not None:
        per_unit = format_range_typical(labels.amount_range(price))
        out.append(f"Cash price per {price.unit.value}: {per_unit}\n")
    out.append(chances.units_sentence(t, profile) + "\n")
    for line in chances.assumption_lines(t):
        if "how many" not in line:  # the units sentence gave those reasons already
            out.append(line + "\n")
    if t.not_included:
        left_out = "; ".join(display_safe(n) for n in t.not_included)
        out.append("Not included in the price: " + left_out + "\n")
    out.append("Change the number of units: n (this year and later years).\n", "dim")


def _sources(out: Text, row: Row, catalog: Catalog, profile: Profile) -> None:
    """The therapy's and the coverage rule's sources with their dates, then the data's date."""
    t = row.therapy
    _section(out, "Sources")
    for source in t.sources:
        out.append("• " + display_safe(source.title))
        dates = f" (accessed {source.accessed.isoformat()}"
        if source.published:
            dates += f", published {display_safe(source.published)}"
        out.append(dates + ")\n")
        out.append("  " + display_safe(source.url) + "\n")
    rule_sources = row.cost.rule.sources if row.cost.rule is not None else ()
    for source in rule_sources:
        out.append("• Coverage: " + display_safe(source.title))
        out.append(f" (accessed {source.accessed.isoformat()})\n")
        out.append("  " + display_safe(source.url) + "\n")
    out.append("\n")
    as_of = f"Figures as of {t.as_of.isoformat()}"
    payer = catalog.payers.get(profile.payer) if profile.payer else None
    if payer is not None:
        as_of += f" · plan data as of {payer.as_of.isoformat()}"
    out.append(as_of, "italic")


def _cash_or_plan(out: Text, row: Row) -> None:
    """Through the plan or in cash: which is cheaper, said where the figure is."""
    if row.cost.status is None or not row.cost.priced:
        return  # no plan, or nothing to pay: the figures section already says why
    choice = cash_or_plan.compare(row.cost)
    _section(out, "Cash or plan")
    out.append(display_safe(_without_unknown(choice.sentence)) + "\n")
    if choice.caveat:
        out.append(display_safe(choice.caveat) + "\n")


UNKNOWN = "Coverage unknown"


def _without_unknown(sentence: str) -> str:
    """A sentence from the core without its own "Coverage unknown" lead: the coverage section
    says it once; what follows ("if the plan covers it… if not…") says the rest."""
    for lead in (UNKNOWN + ": ", UNKNOWN + "; "):
        if lead in sentence:
            before, after = sentence.split(lead, 1)
            return before + after[:1].upper() + after[1:]
    return sentence


def _fit(out: Text, row: Row, weights: Weights) -> None:
    """The fit score and every criterion's part, so nobody has to trust a black box."""
    fit = score(row.therapy, row.evidence, row.cost, weights, row.benefit)
    _section(out, "Fit with what matters to you")
    out.append(_without_unknown(fit.explain()) + "\n")
    if not fit.scored:
        return
    for part in fit.parts:
        out.append(f"• {part.text()}\n")


def _coverage(out: Text, row: Row, catalog: Catalog, profile: Profile) -> None:
    cost = row.cost
    payer = catalog.payers.get(profile.payer) if profile.payer else None
    if payer is None:
        _section(out, "Coverage")
        out.append("No plan chosen: figures are cash prices. Choose a payer to see coverage.\n")
        return
    _section(out, f"Coverage under {display_safe(payer.name)}")
    out.append(figures.coverage_label(cost), "bold")
    out.append("\n")
    rule = cost.rule
    if rule is not None:
        if rule.policy:
            out.append("Policy: " + display_safe(rule.policy) + "\n")
        if rule.conditions:
            names = ", ".join(
                display_safe(catalog.conditions[c].name) if c in catalog.conditions else c
                for c in rule.conditions
            )
            out.append("Only for: " + names + "\n")
        if rule.allowed is not None:
            allowed = format_range_typical(labels.amount_range(rule.allowed))
            out.append(f"Plan-allowed amount per unit: {allowed}\n")
        if rule.max_per_unit is not None:
            out.append(f"You pay at most {format_usd(rule.max_per_unit)} per unit\n")
        if rule.copay is not None:
            out.append(f"Copay: {format_usd(rule.copay)} per unit\n")
        if rule.coinsurance is not None:
            out.append(f"Coinsurance for this therapy: {format_percent(rule.coinsurance)}\n")
        if rule.separate_benefit:
            out.append("Separate benefit: " + labels.separate_benefit_terms(rule) + "\n")
        if rule.notes:
            out.append("Notes: ")
            out.append(_safe(rule.notes))
            out.append("\n")
    else:
        out.append("Plan: " + labels.plan_terms(payer) + "\n")
    if cost.priced:  # else the figures section gives the reason, once
        out.append(display_safe(cost.reason) + "\n")


def _figures(out: Text, row: Row, profile: Profile) -> None:
    cost = row.cost
    span = "1 year" if profile.years == 1 else f"{profile.years} years"
    _section(out, f"Your cost over {span}")
    if not cost.priced:  # trials only, or no sourced price
        out.append(display_safe(cost.reason) + "\n")
        if row.therapy.price_unknown:
            out.append(display_safe(row.therapy.price_unknown, multiline=True) + "\n")
        return
    out.append(f"Cash course cost: {format_range_typical(cost.cash_total)}\n")
    if cost.status is None:
        out.append("No plan chosen: you would pay the cash price.\n")
        return
    out.append("You pay: ")
    out.append(figures.you_pay_figure(cost), "bold")
    out.append("\n")
    unit = row.therapy.price.unit.value if row.therapy.price else "unit"
    if cost.unknown:
        out.append(labels.UNKNOWN_HINT + ".\n")
        out.append("If the plan covers it on its general terms: ")
        out.append(format_range_typical(cost.total_if_covered), "bold")
        out.append("\n")
        _years(out, cost.if_covered, unit, profile, uses_profile=True)
        out.append("If it does not (cash price): ")
        out.append(format_range_typical(cost.total_if_not_covered), "bold")
        out.append("\n")
        _years(out, cost.if_not_covered, unit, profile, uses_profile=False)
        return
    separate = cost.rule is not None and cost.rule.separate_benefit
    _years(out, cost.years, unit, profile, uses_profile=cost.covered and not separate)


def _years(
    out: Text, years: Sequence[YearCost], unit: str, profile: Profile, *, uses_profile: bool
) -> None:
    """Each year worked out: the low, typical and high figure, term by term."""
    for year in years:
        label = f"Year {year.year}"
        if year.year == 1 and uses_profile:
            label += (
                f" (deductible met {format_usd(profile.deductible_met)}, "
                f"out-of-pocket met {format_usd(profile.oop_met)})"
            )
        out.append(label + ":\n")
        out.append("  low:     " + _split_line(year.low, unit) + "\n")
        if year.typical is not None:
            out.append("  typical: " + _split_line(year.typical, unit) + "\n")
        out.append("  high:    " + _split_line(year.high, unit) + "\n")
