"""Questions a patient can take to the clinic and to the plan, written for one option.

Generated from what the data says (and does not say) about the option under the patient's
plan, and worded the way a person asks: "How many injections will I need?", never "How many
injections of Steroid (cortisone) joint injection will I need". Each question names the option
only where the sentence needs it to stand alone, by its short name ("PRP injection"), and says
what a term means where a patient would not know it ("off-label", an IND number, Medicare
"assignment").
"""

from __future__ import annotations

from regen_compare.engine.costs import Profile, Status
from regen_compare.engine.query import Row
from regen_compare.model import vocabulary as labels
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import (
    Anesthesia,
    Coverage,
    DependencyRisk,
    Evidence,
    Invasiveness,
    Modality,
    Payer,
    PayerKind,
    PriceUnit,
    Regulatory,
    Therapy,
)
from regen_compare.present.export.context import condition_name, plan_of
from regen_compare.present.export.patient_words import policy_words

_UNAPPROVED = (Regulatory.UNAPPROVED, Regulatory.HCT_P_361)
_WEAK_EVIDENCE = (Evidence.LIMITED, Evidence.INSUFFICIENT, Evidence.INVESTIGATIONAL)
_ANESTHESIA_ASK = (Anesthesia.SEDATION, Anesthesia.REGIONAL, Anesthesia.GENERAL)
PATIENT_QUESTIONS = 2
"""At most this many questions per option in the patient's handout (the most telling first)."""

_INCLUDED = {
    Modality.SURGERY: (
        "Does the price include the surgeon, the facility, anesthesia, implants and follow-up "
        "visits?"
    ),
    Modality.PROCEDURE: "Does the price include imaging, the facility and follow-up visits?",
    Modality.INJECTION: "Does the price include imaging guidance and follow-up visits?",
    Modality.MEDICATION: "Is there a generic, and what does a month cost at my pharmacy?",
    Modality.REHABILITATION: "What does each session cost, and is there a limit on visits?",
    Modality.DEVICE: "Does the price include the device, fitting and follow-up visits?",
    Modality.GENE_THERAPY: "What would taking part in a trial cost me, if anything?",
}

_HOW_MANY = {
    PriceUnit.INJECTION: "How many injections will I need, and how often are they repeated?",
    PriceUnit.SESSION: "How many sessions will I need, and over how many weeks?",
    PriceUnit.PROCEDURE: "Is it likely to be repeated, and after how long?",
    PriceUnit.MONTH: "How many months would I take it, and how would we know it works?",
}


def _regulatory_questions(t: Therapy) -> list[str]:
    """What to ask of a therapy the FDA has not approved for this use."""
    if t.regulatory in _UNAPPROVED:
        return [
            "Is it FDA-approved for my condition, or part of a trial the FDA oversees? (Such a "
            'trial has an IND number, the FDA\'s go-ahead. "FDA registered" is not approval.)'
        ]
    if t.regulatory is Regulatory.INVESTIGATIONAL:
        return ["Which trials are enrolling, and could I take part?"]
    if t.regulatory is Regulatory.OFF_LABEL:
        return ["It is not FDA-approved for this use (off-label): why do you recommend it for me?"]
    return []


def _course_questions(t: Therapy, profile: Profile) -> list[str]:
    """How many units, and what the price includes, when the figures rest on a range."""
    if t.price is None:
        return []
    out: list[str] = []
    first, later = t.units.first_year, t.units.later_years
    repeats = profile.years > 1 and later.max > 0
    question = _HOW_MANY.get(t.price.unit)
    if question is not None and (first.min != first.max or repeats):
        out.append(question)
    if t.price.min != t.price.max:
        out.append(_INCLUDED[t.modality])
    return out


def _clinic(row: Row, profile: Profile, catalog: Catalog) -> list[str]:
    t = row.therapy
    out: list[str] = []
    payer = plan_of(profile, catalog)
    if (payer is None or payer.kind is PayerKind.SELF_PAY) and t.price is not None:
        out.append("Is there a cash or package price, in writing?")
    out += _regulatory_questions(t)
    if t.warnings:
        out.append("How do the official warnings apply to me?")
    if t.dependency_risk in (DependencyRisk.MODERATE, DependencyRisk.HIGH):
        out.append("What is the risk of dependence, and what is the plan to stop?")
    if row.evidence in _WEAK_EVIDENCE:
        out.append(
            f"The evidence is {labels.EVIDENCE[row.evidence]}: what results have patients like "
            "me had, and how will we judge whether it worked?"
        )
    out += _course_questions(t, profile)
    if (
        t.invasiveness.rank >= Invasiveness.OUTPATIENT_SURGERY.rank
        or t.anesthesia in _ANESTHESIA_ASK
    ):
        out.append(
            f"What does the {labels.ANESTHESIA[t.anesthesia]} anesthesia involve, and how "
            "should I prepare?"
        )
    if t.recovery.downtime_days.max > 7:
        out.append("How much time off work or help at home will I need afterwards?")
    return out


def _plan(row: Row, profile: Profile, catalog: Catalog) -> list[str]:
    payer = plan_of(profile, catalog)
    t = row.therapy
    if payer is None or payer.kind is PayerKind.SELF_PAY:
        return []  # the cash price is the clinic's to give (`_clinic`)
    if t.price is not None and t.price.max == 0:
        return []  # nothing to pay (wait and see): nothing to ask the plan
    cost = row.cost
    rule = cost.rule
    name = t.label
    if cost.status is Status.UNKNOWN or rule is None:
        condition = (
            f" for {condition_name(catalog, profile.condition).lower()}"
            if profile.condition is not None
            else ""
        )
        return [f"Do you cover {name}{condition}? Under which policy, and is approval needed?"]
    out: list[str] = []
    if cost.status is Status.PRIOR_AUTH and cost.in_scope:
        named = f" (Our data names {policy_words(rule.policy)}.)" if rule.policy else ""
        out.append(f"What do you need from me and the clinic to approve {name}?{named}")
    if not cost.in_scope:
        out.append(f"My diagnosis is not one you cover {name} for: is there an exception?")
    if (
        rule.conditions
        and cost.status in (Status.COVERED, Status.PRIOR_AUTH)
        and profile.condition is None
    ):
        names = ", ".join(condition_name(catalog, c) for c in rule.conditions)
        out.append(
            f"You cover {name} only for {names}: does my diagnosis qualify, and what must the "
            "clinic document?"
        )
    if cost.status in (Status.NOT_COVERED, Status.INVESTIGATIONAL):
        out.append(f"Is there an exception or an appeal for {name}?")
        if t.price is not None:
            toward = "my deductible or yearly cap" if payer.oop_max is not None else "my deductible"
            out.append(f"If I pay cash, does it count toward {toward}?")
    if cost.covered:
        out += _covered_questions(name, rule, payer)
    return out


def _covered_questions(name: str, rule: Coverage, payer: Payer) -> list[str]:
    """What to settle with the plan before care it covers."""
    out: list[str] = []
    if not rule.policy:
        out.append(f"Which policy and billing codes cover {name}?")
    if rule.allowed is not None:
        if payer.kind is PayerKind.MEDICARE:
            # Original Medicare has no network: what matters is whether the clinic
            # accepts Medicare's approved amount as full payment.
            out.append(
                'Will the clinic accept Medicare\'s approved amount as full payment ("assignment")?'
            )
        else:
            out.append("Is the clinic in your network, so your approved amount applies?")
    if rule.separate_benefit:
        out.append(
            f"Which benefit pays for {name}, and how much of its deductible and cap have I used?"
        )
    return out


def questions(row: Row, profile: Profile, catalog: Catalog) -> tuple[list[str], list[str]]:
    """All the questions for the clinic and for the plan (the full-detail handout)."""
    return _clinic(row, profile, catalog), _plan(row, profile, catalog)


def patient_questions(row: Row, profile: Profile, catalog: Catalog) -> list[str]:
    """The most telling questions, at most `PATIENT_QUESTIONS`, addressed to whom they are
    for: the plan's first one (what it will pay decides the figure), then the clinic's first
    one (an unapproved product's FDA status, the evidence, how many visits), then more of
    either when the other has none."""
    clinic, plan = questions(row, profile, catalog)
    asked = [f"Plan: {q}" for q in plan[:1]] + [f"Clinic: {q}" for q in clinic[:1]]
    rest = [f"Plan: {q}" for q in plan[1:]] + [f"Clinic: {q}" for q in clinic[1:]]
    return (asked + rest)[:PATIENT_QUESTIONS]
