"""One option in the words of the patient's handout: the price per visit × the number of
visits, what the patient would pay, the plan's stance with its jargon explained, recovery,
what the price leaves out, and what a supplement does or would do.

Written for a reader at home (a 62-year-old on Original Medicare), not for a maintainer:
short sentences, every figure with its unit and its span of years, no bare policy code (a
rule is named as what it is: "Medicare's national rule NCD 270.3"), and a figure that rests
on an assumption is marked "(our assumption)" where it stands, one legend saying what that
means (the reasons are in the full-detail handout). A number the patient set in the consult
says so ("set in this consult"). These are plain strings: the renderers make every data string safe
(`display_safe`, then HTML or Markdown escaping), so data text is embedded as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from regen_compare.engine.costs import (
    Basis,
    BenefitTerms,
    CostResult,
    Profile,
    Status,
    UnitCount,
    units_in_effect,
)
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import (
    AssumedFigure,
    Coverage,
    Payer,
    PayerKind,
    ServiceKind,
    Supplement,
    Therapy,
)
from regen_compare.model.money import Range, format_percent, format_quantity, format_usd
from regen_compare.present.export.context import condition_name

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def us_date(day: date) -> str:
    """`December 7, 2026`: how a US reader writes a date (the handout's own dates)."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def about(value: Range, span: str = "") -> str:
    """`about $4,592 over 5 years ($500 to $37,500)`, or one figure."""
    low, high = format_usd(value.min), format_usd(value.max)
    lead = f" {span}" if span else ""
    if low == high:
        return low + lead
    return f"about {format_usd(value.central)}{lead} ({low} to {high})"


def _later(low: Decimal, high: Decimal, unit: str) -> str:
    """The later years' count: `0–3 a year after that`, `none after this year`."""
    if high == 0:
        return "none after this year"
    if low == high:
        return f"{labels.units_text(low, unit)} a year after that"
    return f"{format_quantity(low)}–{format_quantity(high)} a year after that"


# --- price × units ----------------------------------------------------------------------------


def _per_unit(row: Row, payer: Payer | None) -> tuple[Range, str]:
    """The amount one unit is priced at in the patient's figures, and whose amount it is."""
    t, cost = row.therapy, row.cost
    assert t.price is not None
    cash = labels.amount_range(t.price)
    year = cost.years[0] if cost.years and not cost.unknown else None
    if year is None or year.typical is None:
        return cash, "the cash price"
    amount = Range(year.low.per_unit, year.high.per_unit, year.typical.per_unit)
    if (amount.min, amount.max) == (cash.min, cash.max):
        if cost.covered:  # the plan's own amount is not in the data: its share is of this
            return cash, "the cash price (we do not have the plan's amount)"
        return cash, "the cash price"
    if payer is not None and payer.kind in (PayerKind.MEDICARE, PayerKind.MEDICARE_ADVANTAGE):
        return amount, "Medicare's approved amount"
    return amount, "the plan's approved amount"


ASSUMED = "(our assumption)"
"""Marks a figure that rests on an assumption rather than a source, right after it;
`ASSUMED_LEGEND` says what it means, once, above the options."""
ASSUMED_LEGEND = f'"{ASSUMED}" marks a figure no source gives.'


def _amount_words(amount: Range, unit: str, guessed: str | None) -> str:
    """`$574 per injection ($500 to $2,500)`; `guessed`: "all" (the price is assumed) or
    "typical" (only the typical figure is) marks the figure that is."""
    low, high = format_usd(amount.min), format_usd(amount.max)
    if low == high:
        text = f"{low} per {unit}"
        return f"{text} {ASSUMED}" if guessed else text
    typical = format_usd(amount.central)
    if guessed == "typical":
        typical += f" {ASSUMED}"
    text = f"{typical} per {unit} ({low} to {high})"
    return f"{text} {ASSUMED}" if guessed == "all" else text


def price_sentence(row: Row, profile: Profile, payer: Payer | None) -> str | None:
    """`$574 per injection ($500 to $2,500), the cash price, × 1–3 injections this year;
    0–3 a year after that (our assumption).` Each figure that rests on an assumption is
    marked right after it; a number the patient set says "set in this consult". None when
    there is no price (trials only, or no source gives one)."""
    t = row.therapy
    if t.price is None:
        return None
    unit = t.price.unit.value
    amount, whose = _per_unit(row, payer)
    assumed = {a.figure for a in t.assumptions}
    guessed: str | None = None
    if whose.startswith("the cash price"):  # a plan's own amount is sourced with its rule
        if AssumedFigure.PRICE in assumed:
            guessed = "all"
        elif AssumedFigure.PRICE_TYPICAL in assumed:
            guessed = "typical"
    units = units_in_effect(t, profile)

    def whose_count(count: UnitCount) -> str:
        if count.set_in_consult:
            return " (set in this consult)"
        return f" {ASSUMED}" if count.assumed else ""

    first, later = units.first_year, units.later_years
    this_year = (
        labels.units_range_text(first.min, first.max, unit) + " this year" + whose_count(first)
    )
    text = f"{_amount_words(amount, unit, guessed)}, {whose}, × {this_year}"
    if profile.years > 1:
        text += "; " + _later(later.min, later.max, unit) + whose_count(later)
    return text + "."


def pay_sentence(row: Row, profile: Profile) -> str:
    """What the patient would pay over the horizon, in words; both outcomes when nobody
    knows whether the plan pays."""
    cost = row.cost
    span = labels.over_horizon(profile.years)
    if not cost.priced:
        if cost.basis is Basis.NO_PRICE:
            return "No price is known: ask the clinic or pharmacy."
        return "It is not for sale: only inside clinical trials."
    if cost.unknown:
        covered, cash = cost.total_if_covered, cost.total_if_not_covered
        assert covered is not None and cash is not None
        if covered == cash:  # the same either way (nothing to pay): one figure
            return f"{about(cash, span)[0].upper()}{about(cash, span)[1:]}."
        return (
            f"Not known. If the plan pays on its usual terms: {about(covered, span)}. "
            f"If not, the cash price: {about(cash)}."
        )
    total = row.your_cost
    assert total is not None
    text = about(total, span)
    return f"{text[0].upper()}{text[1:]}."


# --- coverage -----------------------------------------------------------------------------------

_POLICY_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^Follows (NCD [\w.]+)"), "Medicare's national rule {0}, which the plan follows"),
    (re.compile(r"^Follows (LCD [\w.]+)"), "a regional Medicare rule, {0}, which the plan follows"),
    (re.compile(r"^(NCD [\w.]+)"), "Medicare's national rule {0}"),
    (re.compile(r"^MAC (LCDs? [\w.]+)"), "a regional Medicare rule, {0}"),
    (re.compile(r"^(LCD [\w.]+)"), "a regional Medicare rule, {0}"),
    (re.compile(r"^(\d+ CFR [\w.]+)"), "the federal rule {0}"),
    (re.compile(r"^(\w+ CPB [\w.]+)"), "one insurer's policy, {0}"),
    (re.compile(r"^(Cigna MM [\w.]+)"), "one insurer's policy, {0}"),
    (re.compile(r"^(Anthem [A-Z]+\.[\w.]+)"), "one insurer's policy, {0}"),
)
"""Policy codes a patient cannot read, in words: the kind of rule first, then its code. A
commercial plan's rule in the data is one insurer's (Aetna's, Cigna's) standing for plans of
its kind: said so, so a patient with another insurer does not take it for theirs."""


def policy_words(policy: str) -> str:
    """The first rule a policy names, as a patient can read it: `NCD 270.3; LCD L39071 and
    other MAC LCDs` → `Medicare's national rule NCD 270.3` (the full text is in the
    full-detail handout)."""
    first = policy.split(";")[0].strip()
    for pattern, words in _POLICY_WORDS:
        found = pattern.match(first)
        if found:
            return words.format(*found.groups())
    return f"the plan's rule ({first})"


_SERVICE_WORDS = {
    ServiceKind.PRIMARY_CARE_VISIT: "doctor's visit",
    ServiceKind.SPECIALIST_VISIT: "specialist visit",
    ServiceKind.OUTPATIENT_PROCEDURE: "outpatient procedure",
    ServiceKind.OUTPATIENT_SURGERY: "outpatient surgery",
    ServiceKind.HOSPITAL_STAY: "hospital stay",
    ServiceKind.THERAPY_VISIT: "therapy visit",
    ServiceKind.PRESCRIPTION_DRUG: "prescription",
}


def plan_terms_sentence(payer: Payer | None) -> str | None:
    """The plan's usual terms for covered care, said once for every option: `When Original
    Medicare covers care, you pay the first $283 each year (the deductible), then 20% of the
    approved amount. There is no yearly limit on what you pay.`"""
    if payer is None or payer.kind is PayerKind.SELF_PAY:
        return None
    share = format_percent(payer.coinsurance)
    text = "When your plan covers care, you pay "
    if payer.deductible:
        text += f"the first {format_usd(payer.deductible)} each year (the deductible), then "
    text += f"{share} of the approved amount."
    if payer.oop_max is None:
        return text + " There is no yearly limit on what you pay."
    return text + f" You pay at most {format_usd(payer.oop_max)} a year."


def _usual(terms: BenefitTerms, payer: Payer) -> bool:
    return (
        terms.copay is None
        and not terms.separate
        and terms.deductible == payer.deductible
        and terms.coinsurance == payer.coinsurance
        and terms.cap == payer.oop_max
    )


def _terms_words(terms: BenefitTerms, payer: Payer, unit: str, per_unit_cap: Decimal | None) -> str:
    if _usual(terms, payer):
        text = "on the usual terms above"
    elif terms.copay is not None:
        text = f"you pay a {format_usd(terms.copay)} copay for each {unit}"
    elif terms.deductible:
        text = (
            f"you pay the first {format_usd(terms.deductible)} of the year, then "
            f"{format_percent(terms.coinsurance)}"
        )
    else:
        text = f"you pay {format_percent(terms.coinsurance)}"
    if per_unit_cap is not None:
        text += f", and at most {format_usd(per_unit_cap)} for each {unit}"
    text += "."
    if terms.separate:
        text += " It is paid from its own benefit (such as a drug plan)."
    if terms.cap is not None and terms.cap != payer.oop_max:  # the plan's own cap: said above
        text += f" You pay at most {format_usd(terms.cap)} a year."
    if terms.supplement is not None:
        text += " " + _supplement_pays(terms.supplement, terms)
    return text


def _supplement_pays(supplement: Supplement, terms: BenefitTerms) -> str:
    """`Medigap Plan G then pays your 20% share.` (what the figures include)."""
    share = format_percent(terms.coinsurance) if terms.copay is None else "copay"
    paid = []
    if supplement.pays_deductible:
        paid.append("the deductible")
    if supplement.pays_coinsurance:
        paid.append(f"your {share} share")
    text = f"{supplement.name} then pays " + (" and ".join(paid) or "nothing of this") + "."
    kept = supplement.keeps_copay.get(terms.service) if terms.service is not None else None
    if kept is not None:
        text += f" You still pay up to {format_usd(kept)} a visit."
    return text


def _unknown_sentence(rule: Coverage | None, catalog: Catalog) -> str:
    """Coverage not known: plans of the kind differ, the rule is for other conditions, or
    there is no rule."""
    if rule is not None and rule.varies:
        return f"Plans differ: {rule.varies} Ask your plan."
    if rule is not None and rule.conditions:
        names = ", ".join(condition_name(catalog, c) for c in rule.conditions)
        return (
            f"Not known for your condition: the plan's rule covers {names} and says "
            "nothing of yours. Ask your plan."
        )
    return "Not known: we have no rule for it under this plan. Ask your plan."


def coverage_sentence(row: Row, profile: Profile, catalog: Catalog, payer: Payer | None) -> str:
    """The plan's stance in words: never a bare status or a bare policy code."""
    cost: CostResult = row.cost
    if payer is None:
        return "No plan chosen: these are cash prices."
    if payer.kind is PayerKind.SELF_PAY:
        return "No insurance: you pay the cash price."
    price = row.therapy.price
    if price is not None and price.max == 0:
        return "Nothing to pay, so coverage does not matter here."
    rule = cost.rule
    if cost.unknown or rule is None:
        return _unknown_sentence(rule, catalog)
    named = f" under {policy_words(rule.policy)}" if rule.policy else ""
    if cost.status is Status.NOT_COVERED:
        return f"Not covered{named}. You pay the full price."
    if cost.status is Status.INVESTIGATIONAL:
        return f"Not covered: the plan calls it experimental{named}. You pay the full price."
    only = ", ".join(condition_name(catalog, c) for c in rule.conditions)
    if not cost.in_scope:
        return f"Covered only for {only}, not for yours. You pay the full price."
    lead = (
        f"Covered if the plan approves it first (prior authorization){named}"
        if cost.status is Status.PRIOR_AUTH
        else "Covered"
    )
    if rule.conditions and profile.condition is None:
        lead += f" for {only} only"
    terms = cost.terms
    if terms is None or row.therapy.price is None:  # no price: nothing to work out
        return lead + "."
    how = _terms_words(terms, payer, row.therapy.price.unit.value, rule.max_per_unit)
    return f"{lead}, {how}"


RECOVERY_LEGEND = (
    f"{labels.DOWNTIME}: {labels.DOWNTIME_MEANS}. {labels.FULL_EFFECT}: "
    f"{labels.FULL_EFFECT_MEANS}. {ASSUMED_LEGEND} Harms and risks follow the summary."
)
"""What the two recovery measures mean, said once above the options, and where the harms
are (a reader of the first page alone must know they exist)."""


def recovery_sentence(therapy: Therapy) -> str:
    """`Downtime 1–2 days; full effect 6–12 weeks.` (`RECOVERY_LEGEND` says what they mean),
    a figure that rests on an assumption said to be one."""
    down, full = therapy.recovery.downtime_days, therapy.recovery.full_weeks
    assumed = {a.figure for a in therapy.assumptions}
    down_text = labels.days_range(down.min, down.max, "days")
    if AssumedFigure.DOWNTIME in assumed:
        down_text += f" {ASSUMED}"
    full_text = labels.days_range(full.min, full.max, "weeks")
    if AssumedFigure.FULL_RECOVERY in assumed:
        full_text += f" {ASSUMED}"
    return f"{labels.DOWNTIME} {down_text}; {labels.FULL_EFFECT.lower()} {full_text}."


_SCOPED = re.compile(r"^for ([^:]{1,60}):", re.IGNORECASE)


def for_condition(text: str, catalog: Catalog, condition: str | None) -> bool:
    """Whether a note applies to the patient's condition. The data scopes a note to one
    condition by starting it with `for back pain:` or `For tennis elbow:`; such a note is
    left out of the patient's handout for another condition (a knee patient is not told
    what a spinal injection leaves out). Notes without a scope always apply, and so does
    every note when no condition is chosen (the full-detail handout keeps them all)."""
    scoped = _SCOPED.match(text)
    if scoped is None or condition is None:
        return True
    scope = scoped.group(1).strip().lower()
    cond = catalog.conditions.get(condition)
    names = [condition] if cond is None else [cond.name, *cond.aliases, cond.id]
    return any(scope in n.lower() or n.lower() in scope for n in names)


def left_out_sentence(therapy: Therapy, catalog: Catalog, condition: str | None) -> str | None:
    kept = [n for n in therapy.not_included if for_condition(n, catalog, condition)]
    return "; ".join(kept) + "." if kept else None


# --- supplements (Medigap, Medicaid) ------------------------------------------------------------


def supplements_for(catalog: Catalog, payer: Payer | None) -> list[Supplement]:
    """The supplements that pay after this plan, in data order."""
    if payer is None:
        return []
    return [s for s in catalog.supplements.values() if payer.id in s.supplements]


def _pays_words(supplement: Supplement, payer: Payer) -> str:
    share = format_percent(payer.coinsurance)
    if supplement.pays_deductible and supplement.pays_coinsurance:
        return f"the deductible and your {share} share of covered care"
    if supplement.pays_coinsurance:
        return f"your {share} share of covered care after the deductible"
    if supplement.pays_deductible:
        return "the deductible of covered care"
    return "none of your share"


def _kept_words(supplement: Supplement) -> str | None:
    """`up to $20 a doctor's or specialist visit`, or None when it keeps no copay."""
    by_amount: dict[Decimal, list[str]] = {}
    for kind, amount in supplement.keeps_copay.items():
        by_amount.setdefault(amount, []).append(_SERVICE_WORDS[kind].removesuffix(" visit"))
    if not by_amount:
        return None
    parts = []
    for amount, kinds in by_amount.items():
        parts.append(f"up to {format_usd(amount)} a {' or '.join(kinds)} visit")
    return " and ".join(parts)


def _would_pay(offered: Sequence[Supplement], payer: Payer) -> list[str]:
    """What each supplement pays, those that pay the same said together."""
    groups: dict[str, list[Supplement]] = {}
    for supplement in offered:
        groups.setdefault(_pays_words(supplement, payer), []).append(supplement)
    lines = []
    for pays, same in groups.items():
        names = " and ".join(s.name for s in same)
        verb = "pays" if len(same) == 1 else "pay"
        lines.append(f"{names} {verb} {pays}.")
        for supplement in same:
            kept = _kept_words(supplement)
            if kept is not None:
                lines.append(f"With {supplement.name} you still pay {kept}.")
    return lines


def supplement_lines(profile: Profile, catalog: Catalog, payer: Payer | None) -> list[str]:
    """What a supplement does to the figures: the one set in the consult, named (the figures
    include it); else, when the plan can have one, the question to ask and what each would
    change. Empty when the plan takes none."""
    offered = supplements_for(catalog, payer)
    if payer is None or not offered:
        return []
    chosen = catalog.supplements.get(profile.supplement) if profile.supplement else None
    if chosen is not None and chosen in offered:
        return [f"Your figures include {chosen.name}.", *_would_pay([chosen], payer)]
    medigap = any("medigap" in s.name.lower() for s in offered)
    ask = (
        "Do you have a Medigap or other supplement plan?"
        if medigap
        else "Do you also have " + " or ".join(s.name for s in offered) + "?"
    )
    lines = [ask, "These figures assume not.", *_would_pay(offered, payer)]
    lines.append(
        "None of them pays for care your plan does not cover."
        if len(offered) > 1
        else "It pays nothing for care your plan does not cover."
    )
    return lines


def units_set_lines(rows: Sequence[Row], profile: Profile) -> list[str]:
    """Each option whose number of visits was set in this consult, and the numbers."""
    out = []
    for row in rows:
        chosen = profile.units_for(row.id)
        if chosen is None or row.therapy.price is None:
            continue
        unit = row.therapy.price.unit.value
        this_year = labels.units_range_text(chosen.first_year, chosen.first_year, unit)
        text = f"{row.therapy.label}: {this_year} this year"
        if profile.years > 1 and chosen.later_years is not None:
            text += ", " + _later(chosen.later_years, chosen.later_years, unit)
        out.append(text + " (set in this consult).")
    return out
