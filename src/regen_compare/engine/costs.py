"""The cost model of DESIGN.md: what a course costs and what one patient pays, year by year.

Pure functions over the data model, no I/O, so that the CLI, the TUI and the exports show the
same figures and every figure can be reproduced by hand. Money is `Decimal` throughout.
Each yearly figure keeps its parts (deductible, coinsurance, copay, the cap's effect) so a
screen can explain how the number was reached.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cached_property

from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import (
    AssumedFigure,
    Coverage,
    CoverageStatus,
    MoneyRange,
    Payer,
    PayerKind,
    Price,
    ServiceKind,
    Supplement,
    Therapy,
    UnitsRange,
)
from regen_compare.model.money import TWO, ZERO, Range, format_percent, format_usd, sum_of

MAX_YEARS = 30


MAX_UNITS = Decimal(1000)
"""The most units of one therapy a patient may set for a year (the data's own limit)."""


@dataclass(frozen=True)
class UnitsChoice:
    """How many units of one therapy the patient expects: this year, and each later year
    (None: the data's figure), set in the consult instead of the data's assumed range."""

    therapy: str
    first_year: Decimal
    later_years: Decimal | None = None

    def __post_init__(self) -> None:
        for value in (self.first_year, self.later_years):
            if value is not None and not ZERO <= value <= MAX_UNITS:
                raise ValueError(f"units must be between 0 and {MAX_UNITS}")


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
    supplement: str | None = None
    """Coverage that pays after the plan (a `Supplement` id: Medigap Plan G, Medicaid)."""
    units: tuple[UnitsChoice, ...] = ()
    """Units the patient set in this consult, by therapy (the data's figures otherwise)."""

    def __post_init__(self) -> None:
        if not 1 <= self.years <= MAX_YEARS:
            raise ValueError(f"years must be between 1 and {MAX_YEARS}")
        if self.deductible_met < 0 or self.oop_met < 0:
            raise ValueError("amounts already met must not be negative")
        ids = [u.therapy for u in self.units]
        if len(set(ids)) != len(ids):
            raise ValueError("units: one choice per therapy")

    def units_for(self, therapy_id: str) -> UnitsChoice | None:
        """The units the patient set for one therapy, if any."""
        return next((u for u in self.units if u.therapy == therapy_id), None)


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
    supplement_saving: Decimal = ZERO
    """How much a supplement (Medigap, Medicaid after Medicare) paid of the share."""


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
    assumed: bool = False
    """The figures rest on an assumed price or number of units (`rests_on_assumption`):
    every face marks them `~` ("our assumption")."""

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
    copay_for: ServiceKind | None = None
    """The kind of service whose copay from the plan's table applies (None: the rule's own
    copay, or no copay)."""
    supplement: Supplement | None = None
    """Coverage that pays after this benefit (never after a separate benefit: Medigap does not
    pay a drug plan's share)."""
    service: ServiceKind | None = None
    """The therapy's kind of service (what a supplement's kept copay is per)."""

    @property
    def uses_profile(self) -> bool:
        return not self.separate


def _by_year(count: int, compute: Callable[[int], YearCost]) -> list[YearCost]:
    """Every year of the horizon. Years 2 and later are identical by the model (the same
    units, and the amounts met start from zero), so they are computed once and repeated."""
    first = compute(1)
    if count == 1:
        return [first]
    later = compute(2)
    return [first, later] + [
        YearCost(y, later.low, later.high, later.typical) for y in range(3, count + 1)
    ]


def _year_costs(years: Sequence[YearCost]) -> tuple[Range, ...]:
    """Each year's cost; a year made of the same splits as the year before (`_by_year`
    repeats them) shares its range instead of making an equal one."""
    costs: list[Range] = []
    before: YearCost | None = None
    for year in years:
        same = (
            before is not None
            and year.low is before.low
            and year.high is before.high
            and year.typical is before.typical
        )
        costs.append(costs[-1] if same else year.cost)
        before = year
    return tuple(costs)


@dataclass(frozen=True)
class UnitCount:
    """The units one kind of year counts: a range (one number when the patient set it),
    whether the patient set it in this consult, and whether it rests on an assumption."""

    min: Decimal
    max: Decimal
    set_in_consult: bool
    assumed: bool

    @property
    def typical(self) -> Decimal:
        return (self.min + self.max) / TWO


@dataclass(frozen=True)
class UnitsInEffect:
    """The units the figures count: the first year's and each later year's."""

    first_year: UnitCount
    later_years: UnitCount


def units_in_effect(therapy: Therapy, profile: Profile) -> UnitsInEffect:
    """The one answer to "how many units do the figures count": the patient's number where
    they set one in this consult, else the data's range, marked assumed where the data says
    it is an assumption. Every figure and every face reads it from here."""
    chosen = profile.units_for(therapy.id)
    assumed = {a.figure for a in therapy.assumptions}
    data = therapy.units

    def count(figure: AssumedFigure, own: Decimal | None, data_range: UnitsRange) -> UnitCount:
        if own is not None:
            return UnitCount(own, own, set_in_consult=True, assumed=False)
        return UnitCount(
            data_range.min, data_range.max, set_in_consult=False, assumed=figure in assumed
        )

    return UnitsInEffect(
        count(
            AssumedFigure.UNITS_FIRST_YEAR, chosen.first_year if chosen else None, data.first_year
        ),
        count(
            AssumedFigure.UNITS_LATER_YEARS,
            chosen.later_years if chosen else None,
            data.later_years,
        ),
    )


def rests_on_assumption(therapy: Therapy, profile: Profile) -> bool:
    """Whether the patient's figure over the horizon rests on an assumed price or an assumed
    number of units (later years count only with a horizon past this year; units the patient
    set are theirs, not an assumption)."""
    figures = {a.figure for a in therapy.assumptions}
    if figures & {AssumedFigure.PRICE, AssumedFigure.PRICE_TYPICAL}:
        return True
    units = units_in_effect(therapy, profile)
    return units.first_year.assumed or (profile.years > 1 and units.later_years.assumed)


def _units(therapy: Therapy, year: int, profile: Profile) -> tuple[Decimal, Decimal, Decimal]:
    """Units bought in `year`: the low, the typical (the midpoint) and the high figure."""
    units = units_in_effect(therapy, profile)
    count = units.first_year if year == 1 else units.later_years
    return count.min, count.typical, count.max


def _amounts(amount: MoneyRange | Price) -> tuple[Decimal, Decimal, Decimal]:
    """A per-unit amount's low, typical (the source's typical figure, else the midpoint) and
    high figure."""
    typical = amount.typical if amount.typical is not None else (amount.min + amount.max) / TWO
    return amount.min, typical, amount.max


def _cash_split(units: Decimal, per_unit: Decimal) -> YearSplit:
    cost = per_unit * units
    return YearSplit(units, per_unit, cost, ZERO, ZERO, ZERO, ZERO, cost)


def benefit_terms(
    payer: Payer,
    rule: Coverage | None,
    therapy: Therapy,
    supplement: Supplement | None = None,
) -> BenefitTerms:
    """The terms one covered therapy is priced under: the rule's own copay or coinsurance,
    else the plan's copay for the therapy's kind of service, else the plan's coinsurance
    (`rule` None: the plan's general terms, what an unknown coverage would get if covered)."""
    coinsurance = payer.coinsurance
    copay: Decimal | None = None
    copay_for: ServiceKind | None = None
    if rule is not None and rule.coinsurance is not None:
        coinsurance = rule.coinsurance
    elif rule is not None and rule.copay is not None:
        copay = rule.copay
    elif therapy.service is not None and therapy.service in payer.copays:
        copay, copay_for = payer.copays[therapy.service], therapy.service
    if rule is not None and rule.separate_benefit:
        deductible = rule.deductible or ZERO
        return BenefitTerms(deductible, coinsurance, rule.oop_max, copay, True, copay_for)
    return BenefitTerms(
        payer.deductible,
        coinsurance,
        payer.oop_max,
        copay,
        False,
        copay_for,
        supplement,
        therapy.service,
    )


def plan_share(
    *,
    units: Decimal,
    per_unit: Decimal,
    terms: BenefitTerms,
    deductible_met: Decimal = ZERO,
    oop_met: Decimal = ZERO,
    max_per_unit: Decimal | None = None,
) -> YearSplit:
    """The patient's share of one year of covered care: DESIGN.md's formulas, term by term.

    The deductible still to meet is paid first, then the coinsurance share of the rest (or a
    copay per unit); `max_per_unit` caps what each unit costs beyond the deductible (Medicare's
    hospital outpatient copay cap); a supplement then pays its part (`_after_supplement`); the
    yearly cap limits what is left."""
    cost = per_unit * units
    if terms.copay is not None:
        copay_part = min(terms.copay * units, cost)
        deductible_part = coinsurance_part = ZERO
        share = copay_part
    else:
        copay_part = ZERO
        deductible_part = min(cost, max(ZERO, terms.deductible - deductible_met))
        coinsurance_part = (cost - deductible_part) * terms.coinsurance
        share = deductible_part + coinsurance_part
    unit_cap_saving = ZERO
    # Medicare's cap is on the copayment for a service: the deductible is paid on top of it.
    beyond_deductible = share - deductible_part
    if max_per_unit is not None and beyond_deductible > max_per_unit * units:
        unit_cap_saving = beyond_deductible - max_per_unit * units
        beyond_deductible = max_per_unit * units
        share = deductible_part + beyond_deductible
    supplement_saving = ZERO
    if terms.supplement is not None:
        kept = _after_supplement(terms, units, deductible_part, beyond_deductible)
        supplement_saving, share = share - kept, kept
    cap_saving = ZERO
    if terms.cap is not None:
        room = max(ZERO, terms.cap - oop_met)
        if share > room:
            cap_saving = share - room
            share = room
    return YearSplit(
        units,
        per_unit,
        cost,
        deductible_part,
        coinsurance_part,
        copay_part,
        cap_saving,
        share,
        unit_cap_saving,
        supplement_saving,
    )


def _after_supplement(
    terms: BenefitTerms, units: Decimal, deductible_part: Decimal, beyond: Decimal
) -> Decimal:
    """What the patient still pays once the supplement has paid: the deductible unless it
    pays that, and the coinsurance or copay unless it pays that, less any copay it leaves to
    the patient per unit of the therapy's kind of service (Plan N's up to $20 a visit)."""
    supplement = terms.supplement
    assert supplement is not None
    kept = ZERO if supplement.pays_deductible else deductible_part
    if not supplement.pays_coinsurance:
        return kept + beyond
    per_unit = supplement.keeps_copay.get(terms.service) if terms.service else None
    return kept + (min(beyond, per_unit * units) if per_unit is not None else ZERO)


def _in_scope(rule: Coverage, condition: str | None) -> bool:
    return not rule.conditions or condition is None or condition in rule.conditions


def _rule_applies(rule: Coverage, condition: str | None) -> bool:
    """The rule covers this patient's condition (covered or prior auth, and in scope)."""
    covers = rule.status in (CoverageStatus.COVERED, CoverageStatus.PRIOR_AUTH)
    return covers and _in_scope(rule, condition)


def _status(payer: Payer | None, rule: Coverage | None, condition: str | None) -> Status | None:
    """The status shown: unknown without a rule, or with a rule that says plans of the kind
    differ for a condition it covers (for another condition the rule's own status stands)."""
    if payer is None:
        return None
    if payer.kind is PayerKind.SELF_PAY:
        return Status.NOT_COVERED
    if rule is None or (rule.varies is not None and _rule_applies(rule, condition)):
        return Status.UNKNOWN
    return Status(rule.status.value)


def _unpriced(
    therapy: Therapy, status: Status | None, rule: Coverage | None, in_scope: bool
) -> CostResult:
    """No figure: not for sale (trials only), or no source gives a price."""
    if therapy.price_unknown is not None:
        reason = "Price unknown: no source in the data gives one. Ask the pharmacy or clinic."
        basis = Basis.NO_PRICE
    else:
        reason = "Not for sale: available only inside clinical trials."
        basis = Basis.NOT_SOLD
    return CostResult(therapy.id, status, basis, rule, reason, (), (), in_scope=in_scope)


def _refusal(rule: Coverage, scope: str) -> str:
    """Why a rule that exists does not pay for this patient: the reason in words."""
    if rule.status in (CoverageStatus.COVERED, CoverageStatus.PRIOR_AUTH):
        return f"Covered only for {scope}, not for your condition: cash price."
    if rule.status is CoverageStatus.INVESTIGATIONAL:
        return "The plan treats it as investigational and does not pay: cash price."
    return "Not covered by the plan: cash price."


@dataclass(frozen=True)
class PlanContext:
    """What a plan brings to every therapy beyond its own rule for it."""

    base_rule: Coverage | None = None
    """The rule for the same therapy of the payer this plan takes its allowed amounts from
    (`Payer.allowed_from`), already adjusted for the patient's region."""
    base_name: str | None = None
    """That payer's name, for the reason."""
    supplement: Supplement | None = None
    """The patient's supplement, when it pays after this plan."""

    def amount(self, rule: Coverage | None, therapy: Therapy) -> MoneyRange | Price:
        """The per-unit amount the plan pays from: its rule's allowed amount, else the one it
        takes from another payer, else the cash price."""
        assert therapy.price is not None
        if rule is not None and rule.allowed is not None:
            return rule.allowed
        if self.base_rule is not None and self.base_rule.allowed is not None:
            return self.base_rule.allowed
        return therapy.price

    def amount_words(self, rule: Coverage | None) -> str:
        if rule is not None and rule.allowed is not None:
            return "plan-allowed amounts"
        if self.base_rule is not None and self.base_rule.allowed is not None:
            return f"{self.base_name}'s allowed amounts (the plan pays rates near them)"
        return "the cash price as the plan's amount (its allowed amount is not in the data)"


NO_CONTEXT = PlanContext()


def price_therapy(
    therapy: Therapy,
    payer: Payer | None,
    rule: Coverage | None,
    profile: Profile,
    condition_names: dict[str, str] | None = None,
    *,
    context: PlanContext = NO_CONTEXT,
) -> CostResult:
    """Price one therapy for one profile over the profile's horizon."""
    names = condition_names or {}
    status = _status(payer, rule, profile.condition)
    in_scope = rule is None or _in_scope(rule, profile.condition)
    if therapy.price is None:
        return _unpriced(therapy, status, rule, in_scope)
    price = therapy.price

    def cash_year(year: int) -> YearCost:
        units = _units(therapy, year, profile)
        low, mid, high = (
            _cash_split(n, amount) for n, amount in zip(units, _amounts(price), strict=True)
        )
        return YearCost(year, low, high, mid)

    cash_splits = tuple(_by_year(profile.years, cash_year))
    cash_years = _year_costs(cash_splits)
    assumed = rests_on_assumption(therapy, profile)

    if payer is None:
        reason = "No plan chosen: cash prices."
        return CostResult(
            therapy.id, None, Basis.CASH, None, reason, cash_years, (), assumed=assumed
        )
    plan = _Plan(therapy, payer, profile, context, cash_splits, cash_years, assumed)
    if rule is None and payer.kind is not PayerKind.SELF_PAY:
        return plan.unknown()
    if rule is None:
        reason = "Self-pay: you pay the cash price."
    elif rule.varies is not None and _rule_applies(rule, profile.condition):
        reason = (
            f"Plans differ: {rule.varies} If yours covers it on these terms you pay the low "
            "figure; if not, the cash price. Ask the plan."
        )
        return plan.unknown(rule, reason)
    elif not _rule_applies(rule, profile.condition):
        scope = ", ".join(names.get(c, c) for c in rule.conditions)
        covers = rule.status in (CoverageStatus.COVERED, CoverageStatus.PRIOR_AUTH)
        if covers and rule.other_conditions == "unknown":
            reason = (
                f"Coverage unknown for your condition: the policy covers {scope} and says "
                "nothing of yours. If the plan covers it on the same terms you pay the low "
                "figure; if not, the cash price. Ask the plan."
            )
            return plan.unknown(rule, reason)
        reason = _refusal(rule, scope)
    else:
        return plan.covered(rule, status, names)
    return CostResult(
        therapy.id,
        status,
        Basis.CASH,
        rule,
        reason,
        cash_years,
        cash_splits,
        in_scope=in_scope,
        assumed=assumed,
    )


def _plan_years(
    therapy: Therapy,
    amount: MoneyRange | Price,
    benefit: BenefitTerms,
    profile: Profile,
    max_per_unit: Decimal | None,
) -> tuple[YearCost, ...]:
    """The patient's years under `benefit`, each with its low, typical and high split."""

    def plan_year(year: int) -> YearCost:
        first = year == 1 and benefit.uses_profile
        ded_met = profile.deductible_met if first else ZERO
        oop_met = profile.oop_met if first else ZERO
        low, mid, high = (
            plan_share(
                units=units,
                per_unit=per_unit,
                terms=benefit,
                deductible_met=ded_met,
                oop_met=oop_met,
                max_per_unit=max_per_unit,
            )
            for units, per_unit in zip(
                _units(therapy, year, profile), _amounts(amount), strict=True
            )
        )
        return YearCost(year, low, high, mid)

    return tuple(_by_year(profile.years, plan_year))


@dataclass(frozen=True)
class _Plan:
    """One therapy under one plan: the results the plan can give it."""

    therapy: Therapy
    payer: Payer
    profile: Profile
    context: PlanContext
    cash_splits: tuple[YearCost, ...]
    cash_years: tuple[Range, ...]
    assumed: bool

    def unknown(self, rule: Coverage | None = None, reason: str | None = None) -> CostResult:
        """Nobody knows which way the plan decides, so the figure spans both outcomes — from
        "covered" (low figures) to "cash" (high figures) — and both are kept so every screen
        can show them. No typical figure: it would pick a side. With no rule, "covered" means
        on the plan's general terms; with a rule that is silent about the patient's
        condition, on that rule's terms."""
        therapy, payer, context = self.therapy, self.payer, self.context
        terms = benefit_terms(payer, rule, therapy, context.supplement)
        max_per_unit = rule.max_per_unit if rule is not None else None
        amount = context.amount(rule, therapy)
        covered = _plan_years(therapy, amount, terms, self.profile, max_per_unit)
        years = tuple(
            YearCost(c.year, c.low, n.high, None)
            for c, n in zip(covered, self.cash_splits, strict=True)
        )
        reason = reason or (
            f"Coverage unknown: the data has no rule for this under {payer.name}. "
            "If the plan covers it on its general terms you pay the low figure; if not, the "
            "cash price. Ask the plan."
        )
        return CostResult(
            therapy.id,
            Status.UNKNOWN,
            Basis.UNKNOWN,
            rule,
            reason,
            self.cash_years,
            years,
            terms,
            if_covered=covered,
            if_not_covered=self.cash_splits,
            assumed=self.assumed,
        )

    def covered(self, rule: Coverage, status: Status | None, names: dict[str, str]) -> CostResult:
        therapy, context = self.therapy, self.context
        assert therapy.price is not None
        benefit = benefit_terms(self.payer, rule, therapy, context.supplement)
        amount = context.amount(rule, therapy)
        years = _plan_years(therapy, amount, benefit, self.profile, rule.max_per_unit)
        kind = (
            "Covered"
            if rule.status is CoverageStatus.COVERED
            else "Covered with prior authorization"
        )
        if rule.conditions and self.profile.condition is None:
            kind += " for " + ", ".join(names.get(c, c) for c in rule.conditions) + " only"
        benefit_note = (
            " (a separate benefit with its own deductible and cap)" if rule.separate_benefit else ""
        )
        parts = _terms_words(benefit, rule, therapy.price.unit.value)
        parts.append(context.amount_words(rule))
        reason = f"{kind}{benefit_note}: " + ", ".join(parts) + "."
        return CostResult(
            therapy.id,
            status,
            Basis.PLAN,
            rule,
            reason,
            self.cash_years,
            years,
            benefit,
            assumed=self.assumed,
        )


def _terms_words(benefit: BenefitTerms, rule: Coverage, unit: str) -> list[str]:
    """The terms of a covered therapy in words, in the order they apply."""
    parts = []
    if benefit.copay is not None:
        kind = f" {benefit.copay_for.value.replace('_', '-')}" if benefit.copay_for else ""
        parts.append(f"{format_usd(benefit.copay)}{kind} copay per {unit}")
    else:
        if benefit.deductible:
            parts.append(f"{format_usd(benefit.deductible)} deductible")
        parts.append(f"{format_percent(benefit.coinsurance)} coinsurance")
    if rule.max_per_unit is not None:
        parts.append(f"at most {format_usd(rule.max_per_unit)} per {unit}")
    if benefit.cap is not None:
        parts.append(f"{format_usd(benefit.cap)} yearly cap")
    else:
        parts.append("no yearly cap")
    if benefit.supplement is not None:
        parts.append(f"then {benefit.supplement.name} pays {_supplement_pays(benefit.supplement)}")
    return parts


def _supplement_pays(supplement: Supplement) -> str:
    paid = []
    if supplement.pays_deductible:
        paid.append("the deductible")
    if supplement.pays_coinsurance:
        paid.append("the coinsurance and copays")
    kept = ", ".join(
        f"up to {format_usd(amount)} per {kind.value.replace('_', ' ')}"
        for kind, amount in supplement.keeps_copay.items()
    )
    words = " and ".join(paid) if paid else "nothing of this"
    return words + (f" (you still pay {kept})" if kept else "")


RuleAdjuster = Callable[[Coverage | None, Payer], Coverage | None]
"""Turns a payer's rule into the one that applies where the patient lives (`regions.py`)."""


def price_catalog(
    catalog: Catalog, profile: Profile, adjust_rule: RuleAdjuster | None = None
) -> dict[str, CostResult]:
    """Every therapy priced for one profile: done once per profile change, not per keystroke."""
    payer = catalog.payers.get(profile.payer) if profile.payer else None
    names = {cid: c.name for cid, c in catalog.conditions.items()}
    base = catalog.payers.get(payer.allowed_from) if payer and payer.allowed_from else None
    supplement = catalog.supplements.get(profile.supplement) if profile.supplement else None
    if supplement is not None and (payer is None or payer.id not in supplement.supplements):
        supplement = None  # it pays after other plans: the patient's plan keeps its terms

    def rule_of(owner: Payer, tid: str) -> Coverage | None:
        rule = catalog.coverage(owner.id, tid)
        return adjust_rule(rule, owner) if adjust_rule is not None else rule

    def context_for(tid: str) -> PlanContext:
        if base is None and supplement is None:
            return NO_CONTEXT
        base_rule = rule_of(base, tid) if base is not None else None
        base_name = base.name if base is not None else None
        return PlanContext(base_rule, base_name, supplement)

    return {
        tid: price_therapy(
            therapy,
            payer,
            rule_of(payer, tid) if payer is not None else None,
            profile,
            names,
            context=context_for(tid),
        )
        for tid, therapy in catalog.therapies.items()
    }
