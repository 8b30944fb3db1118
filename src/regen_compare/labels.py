"""Words and symbols for enum values, shared by every face so meaning never rests on colour."""

from __future__ import annotations

from decimal import Decimal

from regen_compare.costs import Basis, CostResult, Status
from regen_compare.model import (
    Anesthesia,
    Category,
    DependencyRisk,
    Evidence,
    Invasiveness,
    Regulatory,
)
from regen_compare.money import format_quantity

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
    Invasiveness.OUTPATIENT_SURGERY: "4 day surgery",
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
    Evidence.INSUFFICIENT: "insufficient",
    Evidence.INVESTIGATIONAL: "investigational",
}

EVIDENCE_SHORT = {
    **EVIDENCE,
    Evidence.INVESTIGATIONAL: "in trials",
    Evidence.INSUFFICIENT: "too little",
}
"""For narrow table cells: 'investigational' would be cut mid-word."""

REGULATORY = {
    Regulatory.APPROVED: "FDA-approved",
    Regulatory.OTC: "over the counter",
    Regulatory.DEVICE_CLEARED: "device cleared (510(k))",
    Regulatory.DEVICE_APPROVED: "device approved (PMA)",
    Regulatory.HCT_P_361: "HCT/P (section 361)",
    Regulatory.OFF_LABEL: "off-label use",
    Regulatory.INVESTIGATIONAL: "investigational (trials only)",
    Regulatory.UNAPPROVED: "not FDA-approved",
}

DEPENDENCY = {
    DependencyRisk.NONE: "none",
    DependencyRisk.LOW: "low",
    DependencyRisk.MODERATE: "moderate",
    DependencyRisk.HIGH: "high",
}

STATUS = {
    Status.COVERED: "✓ covered",
    Status.PRIOR_AUTH: "◐ prior auth",
    Status.NOT_COVERED: "✗ not covered",
    Status.INVESTIGATIONAL: "✗ investigational",
    Status.UNKNOWN: "? unknown",
}
NOT_FOR_CONDITION = "✗ not for this condition"
NO_PLAN = "— no plan"
NOT_SOLD = "trials only"
NO_PRICE = "price unknown"


def no_figure(cost: CostResult) -> str:
    """What a money cell says when there is no figure: why, in two words."""
    return NO_PRICE if cost.basis is Basis.NO_PRICE else NOT_SOLD


def coverage_label(cost: CostResult) -> str:
    """The coverage cell: a symbol and words, so it reads the same without colour."""
    if cost.status is None:
        return NO_PLAN
    if (
        cost.status in (Status.COVERED, Status.PRIOR_AUTH)
        and cost.basis is Basis.CASH
        and cost.rule is not None
        and cost.rule.conditions
    ):
        return NOT_FOR_CONDITION
    return STATUS[cost.status]


def days_range(low: Decimal, high: Decimal, unit: str) -> str:
    if low == high:
        return f"{format_quantity(low)} {unit}"
    return f"{format_quantity(low)}–{format_quantity(high)} {unit}"
