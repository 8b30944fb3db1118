"""Words and symbols for the data's values (enums, coverage states, counts and plan terms),
shared by every face so that meaning never rests on colour and one thing has one name.

Coverage words are keyed by the status's value (`"covered"`…), so the pricing's own status
enum finds them without this module depending on the pricing."""

from __future__ import annotations

from decimal import Decimal

from regen_compare.model.entities import (
    Anesthesia,
    Category,
    Coverage,
    DependencyRisk,
    Evidence,
    Invasiveness,
    MoneyRange,
    Payer,
    PayerKind,
    Price,
    Regulatory,
    SourceKind,
)
from regen_compare.model.money import (
    Range,
    format_percent,
    format_quantity,
    format_usd,
)

DISCLAIMER = (
    "Educational estimates, not medical advice. Prices and coverage vary: check with your "
    "clinician and your plan."
)

CATEGORY = {Category.REGENERATIVE: "Regenerative", Category.TRADITIONAL: "Traditional"}
CATEGORY_SHORT = {Category.REGENERATIVE: "regen", Category.TRADITIONAL: "trad"}

INVASIVENESS = {
    Invasiveness.NON_INVASIVE: "non-invasive",
    Invasiveness.INJECTION: "injection",
    Invasiveness.MINIMALLY_INVASIVE_PROCEDURE: "minimally invasive procedure",
    Invasiveness.OUTPATIENT_SURGERY: "outpatient surgery",
    Invasiveness.INPATIENT_SURGERY: "inpatient surgery",
}
INVASIVENESS_SHORT = {
    Invasiveness.NON_INVASIVE: "1 none",
    Invasiveness.INJECTION: "2 needle",
    Invasiveness.MINIMALLY_INVASIVE_PROCEDURE: "3 procedure",
    Invasiveness.OUTPATIENT_SURGERY: "4 day-op",
    Invasiveness.INPATIENT_SURGERY: "5 hospital",
}
"""Level (1 least … 5 most) and a word: sorts and reads without colour in narrow tables."""

ANESTHESIA = {
    Anesthesia.NONE: "none",
    Anesthesia.LOCAL: "local",
    Anesthesia.SEDATION: "sedation",
    Anesthesia.REGIONAL: "regional",
    Anesthesia.GENERAL: "general",
}

EVIDENCE = {
    Evidence.STRONG: "strong",
    Evidence.MODERATE: "moderate",
    Evidence.LIMITED: "limited",
    Evidence.INSUFFICIENT: "too little",
    Evidence.INVESTIGATIONAL: "in trials",
}
"""One word per evidence grade, in every face (the data's values stay as they are in JSON)."""

REGULATORY = {
    Regulatory.APPROVED: "FDA-approved",
    Regulatory.OTC: "over the counter",
    Regulatory.DEVICE_CLEARED: "device cleared (510(k))",
    Regulatory.DEVICE_APPROVED: "device approved (PMA)",
    Regulatory.HCT_P_361: "HCT/P (section 361)",
    Regulatory.OFF_LABEL: "off-label use",
    Regulatory.INVESTIGATIONAL: "investigational (trials only)",
    Regulatory.UNAPPROVED: "not FDA-approved",
    Regulatory.NOT_APPLICABLE: "not a drug or device (no FDA status)",
}

SOURCE_KIND = {
    SourceKind.RESEARCH: "research",
    SourceKind.GUIDELINE: "guideline",
    SourceKind.GOVERNMENT: "government",
    SourceKind.INSURER: "insurer's page",
    SourceKind.CLINIC: "clinic's own page",
    SourceKind.VENDOR: "seller's own page",
    SourceKind.NEWS: "news",
}
"""Who published a source, in words."""
MARKED_SOURCES = (SourceKind.CLINIC, SourceKind.VENDOR)
"""Sources whose kind a patient's handout says beside the title: someone who sells the care."""

DEPENDENCY = {
    DependencyRisk.NONE: "none",
    DependencyRisk.LOW: "low",
    DependencyRisk.MODERATE: "moderate",
    DependencyRisk.HIGH: "high",
}

STATUS_SYMBOL = {
    "covered": "✓",
    "prior_auth": "◐",
    "not_covered": "✗",
    "investigational": "⚗",
    "unknown": "?",
}
"""One symbol per coverage status (a matrix of them needs its legend: `STATUS_LEGEND`)."""
STATUS_WORD = {
    "covered": "covered",
    "prior_auth": "prior auth",
    "not_covered": "not covered",
    "investigational": "experimental",
    "unknown": "unknown",
}
"""One word per coverage status (the plan calls an experimental therapy investigational)."""
STATUS = {key: f"{STATUS_SYMBOL[key]} {word}" for key, word in STATUS_WORD.items()}
"""Symbol and word, as every face shows a status."""
STATUS_LEGEND = " · ".join(STATUS.values())
NOT_FOR_CONDITION = "✗ other condition"
"""A rule that covers it only for other conditions: the patient pays cash."""
NO_PLAN = "— no plan"
NOT_SOLD = "trials only"
NO_PRICE = "price unknown"


UNKNOWN_MARK = "?"
UNKNOWN_HINT = (
    "? coverage unknown: from covered on the plan's general terms to the cash price — ask the plan"
)
"""The legend for an unknown figure: shown wherever the `?` figure is."""


COVERAGE_HELP = (
    f"Coverage: {STATUS['covered']} · {STATUS['prior_auth']} (covered with prior authorization) "
    f"· {STATUS['not_covered']} · {STATUS['investigational']} (the plan calls it "
    f"investigational: you pay cash) · {NOT_FOR_CONDITION} (covered only for other conditions: "
    f"you pay cash) · {STATUS['unknown']} (no rule in the data: ask the plan)"
)

DOWNTIME = "Downtime"
DOWNTIME_MEANS = "days until normal daily activity"
FULL_EFFECT = "Full effect"
FULL_EFFECT_MEANS = "weeks until the full benefit, or full recovery after surgery"
"""The two recovery measures, one name each in every face."""


def unit_noun(unit: str, count: Decimal) -> str:
    """`injection` for exactly one, else `injections` (every price unit is a regular noun)."""
    return unit if count == 1 else unit + "s"


def units_text(count: Decimal, unit: str) -> str:
    """`1 injection`, `3 injections`, `0 procedures`, `1.5 sessions`: number and noun agree."""
    return f"{format_quantity(count)} {unit_noun(unit, count)}"


def units_range_text(low: Decimal, high: Decimal, unit: str) -> str:
    """`1–3 injections`, `1 procedure`, `none`: a count of units, the noun agreeing."""
    if low == high:
        return "none" if low == 0 else units_text(low, unit)
    return f"{format_quantity(low)}–{units_text(high, unit)}"


NOT_ASKED = "not asked yet"
"""Where a fit or a ★ "best fit" would be, until the patient has said what matters."""

ASSUMED_MARK = "~"
"""Before a figure that rests on an assumption rather than a source (tables, side-by-side)."""
ASSUMED_HINT = "~ our assumption: a price or a number of units no source gives"
"""The legend for `ASSUMED_MARK`: shown wherever the mark is."""
ASSUMED_WORDS = "(our assumption)"
"""After a figure that rests on an assumption, in sentences."""


def amount_range(amount: MoneyRange | Price) -> Range:
    """A data range (price or allowed amount) as a money Range, its typical figure kept."""
    return Range(amount.min, amount.max, amount.typical)


def count_of(count: int, noun: str) -> str:
    """`none`, `1 warning`, `3 warnings`: a count never stands alone."""
    if count == 0:
        return "none"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def days_range(low: Decimal, high: Decimal, unit: str) -> str:
    if low == high:
        return f"{format_quantity(low)} {unit}"
    return f"{format_quantity(low)}–{format_quantity(high)} {unit}"


# --- one wording per fact shown in several places (TUI, CLI, handouts) ----------------------


def plan_terms(payer: Payer) -> str:
    """A plan's general terms: `$283 yearly deductible, 20% coinsurance, no yearly cap`."""
    if payer.kind is PayerKind.SELF_PAY:
        return "no insurance: you pay the cash price"
    cap = (
        f"{format_usd(payer.oop_max)} yearly cap" if payer.oop_max is not None else "no yearly cap"
    )
    return (
        f"{format_usd(payer.deductible)} yearly deductible, "
        f"{format_percent(payer.coinsurance)} coinsurance, {cap}"
    )


def separate_benefit_terms(rule: Coverage) -> str:
    """A rule's own benefit: `$615 yearly deductible, $2,100 yearly cap` (e.g. a drug plan)."""
    terms = []
    if rule.deductible is not None:
        terms.append(f"{format_usd(rule.deductible)} yearly deductible")
    if rule.oop_max is not None:
        terms.append(f"{format_usd(rule.oop_max)} yearly cap")
    return ", ".join(terms)


def horizon(years: int) -> str:
    return "1 year" if years == 1 else f"{years} years"


def over_horizon(years: int) -> str:
    """When a total is paid, in words: `this year`, `over 5 years`."""
    return "this year" if years == 1 else f"over {years} years"


def in_hundred(count: Decimal) -> str:
    """How many in 100, as people say it: `57`, `5.5`, `0.1`."""
    return format_quantity(count)


def money_typical(value: Range) -> str:
    """A money range as its typical figure (`≈$12,000`), the same figure sorts use."""
    return "≈" + format_usd(value.central)
