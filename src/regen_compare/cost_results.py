"""What pricing produces: the profile asked about, each figure's low, typical and high
splits year by year, and the result with the reason in words. Types only; `costs.py` computes
them (and re-exports them)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from regen_compare.model import Coverage
from regen_compare.money import ZERO, Range, sum_of

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
    region: str | None = None
    """Where the patient lives (a US state code): Medicare amounts follow CMS's geographic
    adjustment for it (`regions.py`); cash prices stay national."""

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
    """The patient pays the cash price (not covered, excluded, self-pay, no payer)."""
    UNKNOWN = "unknown"
    """No rule: the figure spans "covered on the plan's general terms" to "cash"."""
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
    unit_cap_saving: Decimal = ZERO
    """How much the per-unit cap (`max_per_unit`) took off the share."""


@dataclass(frozen=True, slots=True)
class YearCost:
    """One year: the low and high bounds, and the typical figure between them (None when no
    single figure is honest: an unknown coverage spans two outcomes)."""

    year: int
    low: YearSplit
    high: YearSplit
    typical: YearSplit | None = None

    @property
    def cost(self) -> Range:
        mid = None if self.typical is None else self.typical.cost
        return Range(self.low.cost, self.high.cost, mid)

    @property
    def patient(self) -> Range:
        mid = None if self.typical is None else self.typical.patient
        return Range(self.low.patient, self.high.patient, mid)


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
    """The plan terms applied, when the plan pays (basis PLAN), or the plan's general terms
    an unknown coverage would get if the plan covered it (basis UNKNOWN)."""
    if_covered: tuple[YearCost, ...] = ()
    """Basis UNKNOWN: the patient's years if the plan covered it on its general terms."""
    if_not_covered: tuple[YearCost, ...] = ()
    """Basis UNKNOWN: the patient's years at the cash price."""
    in_scope: bool = True
    """False when the rule is limited to conditions that are not the patient's."""

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
        return _patient_sum(self.years)

    @property
    def covered(self) -> bool:
        """The plan pays part of it for this patient (covered or prior auth, condition fits)."""
        return self.basis is Basis.PLAN

    @property
    def unknown(self) -> bool:
        """Nobody knows whether the plan pays: the figure spans both outcomes."""
        return self.basis is Basis.UNKNOWN

    @cached_property
    def total_if_covered(self) -> Range | None:
        """Basis UNKNOWN: the patient's total if the plan covered it on its general terms."""
        return _patient_sum(self.if_covered) if self.if_covered else None

    @cached_property
    def total_if_not_covered(self) -> Range | None:
        """Basis UNKNOWN: the patient's total at the cash price."""
        return _patient_sum(self.if_not_covered) if self.if_not_covered else None

    def cumulative_patient(self) -> list[Range]:
        """Running totals of what the patient pays, year by year (cash without a payer)."""
        running = Range.zero()
        totals = []
        source = [y.patient for y in self.years] if self.years else list(self.cash_years)
        for value in source:
            running = running + value
            totals.append(running)
        return totals


def _sum(ranges: Iterable[Range]) -> Range:
    """`Range.zero() + a + b + …`, to the digit (`sum_of`)."""
    return sum_of((r.min, r.max, r.typical) for r in ranges)


def _patient_sum(years: Iterable[YearCost]) -> Range:
    """The sum of the years' `patient` ranges, read off their splits (`sum_of`)."""
    return sum_of(
        (y.low.patient, y.high.patient, None if y.typical is None else y.typical.patient)
        for y in years
    )


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
