"""The cost model of DESIGN.md: what a course costs and what one patient pays, year by year.

Pure functions over the data model, no I/O, so that the CLI, the TUI and the exports show the
same figures and every figure can be reproduced by hand. Money is `Decimal` throughout.
Each yearly figure keeps its parts (deductible, coinsurance, copay, the cap's effect) so a
screen can explain how the number was reached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from regen_compare.catalog import Catalog
from regen_compare.model import Coverage, CoverageStatus, Payer, PayerKind, Therapy
from regen_compare.money import ZERO, Range, format_percent, format_usd

MAX_YEARS = 30


@dataclass(frozen=True)
class Profile:
    """Who is asking: the patient's condition and plan, and how much of this year's
    deductible and out-of-pocket maximum they have already met."""

    condition: str | None = None
    payer: str | None = None
    deductible_met: Decimal = ZERO
    oop_met: Decimal = ZERO
    years: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.years <= MAX_YEARS:
            raise ValueError(f"years must be between 1 and {MAX_YEARS}")
        if self.deductible_met < 0 or self.oop_met < 0:
            raise ValueError("amounts already met must not be negative")


class Status(StrEnum):
    """A therapy's coverage as shown: the rule's status, or `unknown` when there is none."""

    COVERED = "covered"
    PRIOR_AUTH = "prior_auth"
    NOT_COVERED = "not_covered"
    INVESTIGATIONAL = "investigational"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        return list(Status).index(self)


class Basis(StrEnum):
    """How a figure was priced."""

    PLAN = "plan"
    """The plan's rule applies: deductible, coinsurance or copay, cap."""
    CASH = "cash"
    """The patient pays the cash price (not covered, unknown, excluded, self-pay, no payer)."""
    NOT_SOLD = "not_sold"
    """Cannot be bought (clinical trials only)."""
    NO_PRICE = "no_price"
    """Sold, but no source gives a price: no figure is shown rather than a guess."""


@dataclass(frozen=True, slots=True)
class YearSplit:
    """One bound (the low or the high figure) of one year, with the parts that make it up."""

    units: Decimal
    per_unit: Decimal
    cost: Decimal
    """`C`: per-unit amount × units."""
    deductible_part: Decimal
    coinsurance_part: Decimal
    copay_part: Decimal
    cap_saving: Decimal
    """How much the out-of-pocket cap took off the share."""
    patient: Decimal


@dataclass(frozen=True, slots=True)
class YearCost:
    year: int
    low: YearSplit
    high: YearSplit

    @property
    def cost(self) -> Range:
        return Range(self.low.cost, self.high.cost)

    @property
    def patient(self) -> Range:
        return Range(self.low.patient, self.high.patient)


@dataclass(frozen=True)
class CostResult:
    therapy_id: str
    status: Status | None
    """None when no payer is chosen."""
    basis: Basis
    rule: Coverage | None
    reason: str
    """One plain sentence: why the patient's figure is what it is."""
    cash_years: tuple[Range, ...]
    """The cash course cost of each year (empty when not sold)."""
    years: tuple[YearCost, ...]
    """The patient's years under the plan (or at cash); empty when not sold or no payer."""
    terms: BenefitTerms | None = None
    """The plan terms applied, when the plan pays (basis PLAN)."""

    @property
    def priced(self) -> bool:
        return self.basis not in (Basis.NOT_SOLD, Basis.NO_PRICE)

    @cached_property
    def cash_total(self) -> Range | None:
        """The cash course cost over the horizon; None when it is not sold or has no price."""
        if not self.priced:
            return None
        return _sum(self.cash_years)

    @cached_property
    def patient_total(self) -> Range | None:
        """The patient's own cost over the horizon; None without a payer or a price."""
        if self.status is None or not self.priced:
            return None
        return _sum(y.patient for y in self.years)

    @property
    def covered(self) -> bool:
        """The plan pays part of it for this patient (covered or prior auth, condition fits)."""
        return self.basis is Basis.PLAN

    def cumulative_patient(self) -> list[Range]:
        """Running totals of what the patient pays, year by year (cash without a payer)."""
        running = Range.zero()
        totals = []
        source = [y.patient for y in self.years] if self.years else list(self.cash_years)
        for value in source:
            running = running + value
            totals.append(running)
        return totals


def _sum(values: object) -> Range:
    total = Range.zero()
    for value in values:  # type: ignore[attr-defined]
        total = total + value
    return total


def _by_year(count: int, compute: Callable[[int], YearCost]) -> list[YearCost]:
    """Every year of the horizon. Years 2 and later are identical by the model (the same
    units, and the amounts met start from zero), so they are computed once and repeated."""
    first = compute(1)
    if count == 1:
        return [first]
    later = compute(2)
    return [first, later] + [YearCost(y, later.low, later.high) for y in range(3, count + 1)]


def _units(therapy: Therapy, year: int) -> tuple[Decimal, Decimal]:
    per_year = therapy.units.first_year if year == 1 else therapy.units.later_years
    return per_year.min, per_year.max


def _cash_split(units: Decimal, per_unit: Decimal) -> YearSplit:
    cost = per_unit * units
    return YearSplit(units, per_unit, cost, ZERO, ZERO, ZERO, ZERO, cost)


@dataclass(frozen=True, slots=True)
class BenefitTerms:
    """The deductible, coinsurance or copay and cap one covered therapy is priced under.

    Carried on the result so screens and handouts explain a figure from the very terms that
    produced it."""

    deductible: Decimal
    coinsurance: Decimal
    cap: Decimal | None
    copay: Decimal | None
    separate: bool
    """A separate benefit (e.g. a drug plan): the profile's amounts met do not apply to it."""

    @property
    def uses_profile(self) -> bool:
        return not self.separate


def benefit_terms(payer: Payer, rule: Coverage) -> BenefitTerms:
    coinsurance = rule.coinsurance if rule.coinsurance is not None else payer.coinsurance
    if rule.separate_benefit:
        return BenefitTerms(rule.deductible or ZERO, coinsurance, rule.oop_max, rule.copay, True)
    return BenefitTerms(payer.deductible, coinsurance, payer.oop_max, rule.copay, False)


def plan_share(
    units: Decimal,
    per_unit: Decimal,
    benefit_deductible: Decimal,
    coinsurance: Decimal,
    cap: Decimal | None,
    deductible_met: Decimal,
    oop_met: Decimal,
    copay: Decimal | None = None,
) -> YearSplit:
    """The patient's share of one year of covered care: DESIGN.md's formulas, term by term."""
    cost = per_unit * units
    if copay is not None:
        copay_part = min(copay * units, cost)
        deductible_part = coinsurance_part = ZERO
        share = copay_part
    else:
        copay_part = ZERO
        deductible_part = min(cost, max(ZERO, benefit_deductible - deductible_met))
        coinsurance_part = (cost - deductible_part) * coinsurance
        share = deductible_part + coinsurance_part
    cap_saving = ZERO
    if cap is not None:
        room = max(ZERO, cap - oop_met)
        if share > room:
            cap_saving = share - room
            share = room
    return YearSplit(
        units, per_unit, cost, deductible_part, coinsurance_part, copay_part, cap_saving, share
    )


def _rule_applies(rule: Coverage, condition: str | None) -> bool:
    if rule.status not in (CoverageStatus.COVERED, CoverageStatus.PRIOR_AUTH):
        return False
    return not rule.conditions or condition is None or condition in rule.conditions


def price_therapy(
    therapy: Therapy,
    payer: Payer | None,
    rule: Coverage | None,
    profile: Profile,
    condition_names: dict[str, str] | None = None,
) -> CostResult:
    """Price one therapy for one profile over the profile's horizon."""
    names = condition_names or {}
    status: Status | None
    if payer is None:
        status = None
    elif payer.kind is PayerKind.SELF_PAY:
        status = Status.NOT_COVERED
    elif rule is None:
        status = Status.UNKNOWN
    else:
        status = Status(rule.status.value)

    if therapy.price is None and therapy.price_unknown is not None:
        return CostResult(
            therapy.id,
            status,
            Basis.NO_PRICE,
            rule,
            "Price unknown: no source in the data gives one. Ask the pharmacy or clinic.",
            (),
            (),
        )
    if therapy.price is None:
        return CostResult(
            therapy.id,
            status,
            Basis.NOT_SOLD,
            rule,
            "Not for sale: available only inside clinical trials.",
            (),
            (),
        )

    price = therapy.price

    def cash_year(year: int) -> YearCost:
        lo_units, hi_units = _units(therapy, year)
        return YearCost(year, _cash_split(lo_units, price.min), _cash_split(hi_units, price.max))

    cash_splits = _by_year(profile.years, cash_year)
    cash_years = [Range(y.low.cost, y.high.cost) for y in cash_splits]

    if payer is None:
        return CostResult(
            therapy.id,
            None,
            Basis.CASH,
            None,
            "No plan chosen: cash prices.",
            tuple(cash_years),
            (),
        )
    if payer.kind is PayerKind.SELF_PAY:
        reason = "Self-pay: you pay the cash price."
    elif rule is None:
        reason = (
            f"Coverage unknown: the data has no rule for this under {payer.name}; "
            "priced at the cash price. Ask the plan."
        )
    elif not _rule_applies(rule, profile.condition):
        if rule.status in (CoverageStatus.COVERED, CoverageStatus.PRIOR_AUTH):
            scope = ", ".join(names.get(c, c) for c in rule.conditions)
            reason = f"Covered only for {scope}, not for your condition: cash price."
        elif rule.status is CoverageStatus.INVESTIGATIONAL:
            reason = "The plan treats it as investigational and does not pay: cash price."
        else:
            reason = "Not covered by the plan: cash price."
    else:
        return _plan_result(therapy, payer, rule, profile, status, tuple(cash_years), names)
    return CostResult(
        therapy.id, status, Basis.CASH, rule, reason, tuple(cash_years), tuple(cash_splits)
    )


def _plan_result(
    therapy: Therapy,
    payer: Payer,
    rule: Coverage,
    profile: Profile,
    status: Status | None,
    cash_years: tuple[Range, ...],
    names: dict[str, str],
) -> CostResult:
    assert therapy.price is not None
    benefit = benefit_terms(payer, rule)
    per_unit = rule.allowed or therapy.price

    def plan_year(year: int) -> YearCost:
        lo_units, hi_units = _units(therapy, year)
        first = year == 1 and benefit.uses_profile
        ded_met = profile.deductible_met if first else ZERO
        oop_met = profile.oop_met if first else ZERO
        low, high = (
            plan_share(
                units,
                amount,
                benefit.deductible,
                benefit.coinsurance,
                benefit.cap,
                ded_met,
                oop_met,
                rule.copay,
            )
            for units, amount in ((lo_units, per_unit.min), (hi_units, per_unit.max))
        )
        return YearCost(year, low, high)

    years = _by_year(profile.years, plan_year)
    parts = []
    if rule.copay is not None:
        parts.append(f"{format_usd(rule.copay)} copay per {therapy.price.unit.value}")
    else:
        if benefit.deductible:
            parts.append(f"{format_usd(benefit.deductible)} deductible")
        parts.append(f"{format_percent(benefit.coinsurance)} coinsurance")
    if benefit.cap is not None:
        parts.append(f"{format_usd(benefit.cap)} yearly cap")
    else:
        parts.append("no yearly cap")
    if rule.allowed is not None:
        parts.append("plan-allowed amounts")
    kind = (
        "Covered" if rule.status is CoverageStatus.COVERED else "Covered with prior authorization"
    )
    if rule.conditions and profile.condition is None:
        kind += " for " + ", ".join(names.get(c, c) for c in rule.conditions) + " only"
    benefit_note = (
        " (a separate benefit with its own deductible and cap)" if rule.separate_benefit else ""
    )
    reason = f"{kind}{benefit_note}: " + ", ".join(parts) + "."
    return CostResult(
        therapy.id, status, Basis.PLAN, rule, reason, cash_years, tuple(years), benefit
    )


def price_catalog(catalog: Catalog, profile: Profile) -> dict[str, CostResult]:
    """Every therapy priced for one profile: done once per profile change, not per keystroke."""
    payer = catalog.payers.get(profile.payer) if profile.payer else None
    names = {cid: c.name for cid, c in catalog.conditions.items()}
    return {
        tid: price_therapy(
            therapy,
            payer,
            catalog.coverage(payer.id, tid) if payer is not None else None,
            profile,
            names,
        )
        for tid, therapy in catalog.therapies.items()
    }
