"""The fixed value scales of the fit (published in docs/decide.md): each criterion's value,
0 to 1, read from what the screen shows for one row, with the words that explain it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from regen_compare.engine.costs import Basis, CostResult
from regen_compare.engine.fit.weights import ONE
from regen_compare.model.entities import Benefit, DependencyRisk, Evidence, Invasiveness, Therapy
from regen_compare.model.money import ZERO, Range, format_quantity, whole_dollars
from regen_compare.model.vocabulary import EVIDENCE, INVASIVENESS


@dataclass(frozen=True, slots=True)
class Band:
    """One step of a scale: figures up to `upto` (inclusive) get `value`."""

    upto: Decimal | None
    """None for the last band (everything above the one before)."""
    value: Decimal


def _bands(*pairs: tuple[int | None, str]) -> tuple[Band, ...]:
    return tuple(Band(None if up is None else Decimal(up), Decimal(v)) for up, v in pairs)


COST_BANDS = _bands(
    (0, "1"),
    (100, "0.9"),
    (500, "0.8"),
    (1000, "0.7"),
    (2000, "0.6"),
    (5000, "0.4"),
    (10000, "0.2"),
    (25000, "0.1"),
    (None, "0"),
)
"""What the patient pays a year (their figure over the horizon ÷ years, in whole dollars)."""

RECOVERY_BANDS = _bands(
    (0, "1"),
    (3, "0.9"),
    (7, "0.75"),
    (14, "0.6"),
    (30, "0.4"),
    (60, "0.2"),
    (120, "0.1"),
    (None, "0"),
)
"""Days until normal daily activity (the middle of the therapy's downtime range)."""

INVASIVENESS_VALUES: dict[Invasiveness, Decimal] = {
    level: ONE - Decimal(level.rank) / Decimal(len(Invasiveness) - 1) for level in Invasiveness
}
"""Level 1 (non-invasive) → 1, each step more invasive −0.25, inpatient surgery → 0."""

EVIDENCE_VALUES: dict[Evidence, Decimal] = {
    grade: ONE - Decimal(grade.rank) / Decimal(len(Evidence) - 1) for grade in Evidence
}
"""Strong → 1, moderate 0.75, limited 0.5, insufficient 0.25, investigational 0."""

RELIEF_BANDS = _bands(
    (0, "0"),
    (5, "0.2"),
    (10, "0.4"),
    (20, "0.6"),
    (30, "0.8"),
    (None, "1"),
)
"""How many more people in 100 reached a meaningful benefit with the therapy than with its
comparator, for the patient's condition (`Benefit.difference`): what the therapy adds, so an
option no better than placebo scores 0 however many felt better with either."""

DEPENDENCY_PENALTY: dict[DependencyRisk, Decimal] = {
    DependencyRisk.NONE: ZERO,
    DependencyRisk.LOW: Decimal("0.2"),
    DependencyRisk.MODERATE: Decimal("0.4"),
    DependencyRisk.HIGH: Decimal("0.6"),
}
WARNING_PENALTY = Decimal("0.2")
WARNINGS_COUNTED = 2
"""Safety = 1 − the dependency-risk penalty − 0.2 for each official warning (at most 2
counted), never below 0."""


def band_of(bands: tuple[Band, ...], figure: Decimal) -> Band:
    for band in bands:
        if band.upto is None or figure <= band.upto:
            return band
    raise AssertionError("the last band is open-ended")  # pragma: no cover


def show(value: Decimal) -> str:
    """A value or a number of days the way a person writes it: 0.6, 0.75, 1, 1.5."""
    return format_quantity(value)


def _usd(amount: Decimal) -> str:
    return f"${whole_dollars(amount):,}"


def _band_with_text(
    bands: tuple[Band, ...], figure: Decimal, *, unit: Callable[[Decimal], str], zero: str
) -> tuple[Band, str]:
    """The band `figure` falls in, and its words: `≤{unit(upto)}`, `zero` for a band up to 0,
    `over {unit(previous upto)}` for the open-ended last one."""
    band = band_of(bands, figure)
    if band.upto is None:
        previous = bands[bands.index(band) - 1].upto
        assert previous is not None, "only the last band is open-ended"
        return band, f"over {unit(previous)}"
    if band.upto == 0:
        return band, zero
    return band, f"≤{unit(band.upto)}"


# --- one row's parts -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A value known exactly (low == high) or only within bounds."""

    low: Decimal
    high: Decimal

    @classmethod
    def point(cls, value: Decimal) -> Span:
        return cls(value, value)

    @property
    def known(self) -> bool:
        return self.low == self.high

    @property
    def mid(self) -> Decimal:
        return (self.low + self.high) / 2

    def text(self) -> str:
        return show(self.low) if self.known else f"{show(self.low)}–{show(self.high)}"


def _years(cost: CostResult) -> int:
    return max(len(cost.cash_years), len(cost.years), 1)


def _per_year(total: Range, years: int) -> Decimal:
    return Decimal(whole_dollars(total.central / years))


def _figure(total: Range) -> str:
    """`≈$1,432` for a range (its typical figure), `$1,968` when the range is one figure."""
    if whole_dollars(total.min) == whole_dollars(total.max):
        return _usd(total.min)
    return f"≈{_usd(total.central)}"


def _cost_phrase(total: Range, years: int) -> tuple[Decimal, str]:
    """The yearly figure the band is read from, and how the screen's figure leads to it."""
    per_year = _per_year(total, years)
    band, band_text = _band_with_text(COST_BANDS, per_year, unit=_usd, zero="$0")
    if years == 1:
        lead = f"{_figure(total)} this year"
    else:
        lead = f"{_figure(total)} over {years} years = {_usd(per_year)} a year"
    return band.value, f"{lead}: band {band_text} → {show(band.value)}"


def cost_value(cost: CostResult) -> tuple[Span, str, bool]:
    """The cost criterion's value, its plain-words reason, and whether it is unknown."""
    years = _years(cost)
    if cost.basis is Basis.NOT_SOLD:
        why = "not for sale (clinical trials only), so no price: anywhere from 0 to 1"
        return Span(ZERO, ONE), why, True
    if cost.basis is Basis.NO_PRICE:
        why = "no source gives a price, so it is not guessed: anywhere from 0 to 1"
        return Span(ZERO, ONE), why, True
    if cost.basis is Basis.UNKNOWN:
        covered, not_covered = cost.total_if_covered, cost.total_if_not_covered
        assert covered is not None and not_covered is not None
        v_cov, t_cov = _cost_phrase(covered, years)
        v_not, t_not = _cost_phrase(not_covered, years)
        why = f"coverage unknown: what you pay if the plan covers it {t_cov}; if not, {t_not}"
        return Span(min(v_cov, v_not), max(v_cov, v_not)), why, False
    total = cost.patient_total if cost.patient_total is not None else cost.cash_total
    assert total is not None
    value, text = _cost_phrase(total, years)
    who = "cash price" if cost.status is None else "what you pay"
    return Span.point(value), f"{who} {text}", False


def recovery_value(therapy: Therapy) -> tuple[Span, str]:
    days = therapy.recovery.downtime_days
    middle = (days.min + days.max) / 2
    band, band_text = _band_with_text(
        RECOVERY_BANDS, middle, unit=lambda days: f"{show(days)} days", zero="0 days"
    )
    if days.min == days.max:
        shown = "the same day" if days.min == 0 else f"{show(days.min)} days"
        lead = f"back to normal activity {shown}"
    else:
        lead = (
            f"back to normal activity in {show(days.min)}–{show(days.max)} days "
            f"(middle {show(middle)})"
        )
    return Span.point(band.value), f"{lead}: band {band_text} → {show(band.value)}"


def invasiveness_value(therapy: Therapy) -> tuple[Span, str]:
    level = therapy.invasiveness
    value = INVASIVENESS_VALUES[level]
    why = (
        f"{INVASIVENESS[level]}: level {level.rank + 1} of {len(Invasiveness)} "
        f"(1 = non-invasive) → {show(value)}"
    )
    return Span.point(value), why


def evidence_value(evidence: Evidence) -> tuple[Span, str]:
    value = EVIDENCE_VALUES[evidence]
    why = (
        f"evidence {EVIDENCE[evidence]}: grade {evidence.rank + 1} of {len(Evidence)} "
        f"(1 = strong) → {show(value)}"
    )
    return Span.point(value), why


def safety_value(therapy: Therapy) -> tuple[Span, str]:
    risk = therapy.dependency_risk
    warnings = len(therapy.warnings)
    counted = min(warnings, WARNINGS_COUNTED)
    risk_penalty = DEPENDENCY_PENALTY[risk]
    warning_penalty = WARNING_PENALTY * counted
    value = max(ZERO, ONE - risk_penalty - warning_penalty)
    risk_text = f"dependency risk {risk.value}"
    if risk_penalty:
        risk_text += f" (−{show(risk_penalty)})"
    if warnings == 0:
        warn_text = "no official warnings"
    else:
        noun = "official warning" if warnings == 1 else "official warnings"
        warn_text = f"{warnings} {noun} (−{show(warning_penalty)}"
        warn_text += f", at most {WARNINGS_COUNTED} counted)" if warnings > counted else ")"
    penalty = risk_penalty + warning_penalty
    if penalty:
        return Span.point(value), f"{risk_text}, {warn_text}: 1 − {show(penalty)} → {show(value)}"
    return Span.point(value), f"{risk_text}, {warn_text} → 1"


def cost_span(cost: CostResult) -> Span:
    """The cost value alone (no words): the fast path of `fit_range`."""
    if not cost.priced:
        return Span(ZERO, ONE)
    years = _years(cost)
    if cost.basis is Basis.UNKNOWN:
        covered, not_covered = cost.total_if_covered, cost.total_if_not_covered
        assert covered is not None and not_covered is not None
        a = band_of(COST_BANDS, _per_year(covered, years)).value
        b = band_of(COST_BANDS, _per_year(not_covered, years)).value
        return Span(min(a, b), max(a, b))
    total = cost.patient_total if cost.patient_total is not None else cost.cash_total
    assert total is not None
    return Span.point(band_of(COST_BANDS, _per_year(total, years)).value)


def safety_score(therapy: Therapy) -> Decimal:
    counted = min(len(therapy.warnings), WARNINGS_COUNTED)
    return max(ZERO, ONE - DEPENDENCY_PENALTY[therapy.dependency_risk] - WARNING_PENALTY * counted)


def relief_value(benefit: Benefit | None) -> tuple[Span, str]:
    """The chance of relief: the difference's band, or anywhere on the scale when the data
    gives no figure for the patient's condition (not known is shown, never filled in)."""
    difference = None if benefit is None else benefit.difference
    if benefit is None or difference is None:
        why = "no figure for this condition" if benefit is None else "counts not known"
        return Span(ZERO, ONE), f"chance of relief {why}: anywhere 0–1"
    band, band_text = _band_with_text(
        RELIEF_BANDS, difference, unit=lambda more: f"{show(more)} more", zero="none more, or fewer"
    )
    comparator = benefit.comparator or "the comparator"
    lead = (
        f"{show(benefit.with_therapy or ZERO)} in 100 helped ({benefit.measure}, "
        f"{benefit.timeframe}) against {show(benefit.with_comparator or ZERO)} with "
        f"{comparator}: {show(difference)} more in 100"
    )
    return Span.point(band.value), f"{lead}: band {band_text} → {show(band.value)}"


def relief_span(benefit: Benefit | None) -> Span:
    """The relief value alone (no words): the fast path of `fit_range`."""
    difference = None if benefit is None else benefit.difference
    if difference is None:
        return Span(ZERO, ONE)
    return Span.point(band_of(RELIEF_BANDS, difference).value)
