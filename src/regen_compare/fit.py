"""Values-weighted fit: how well each option matches what matters to this patient.

A simple additive multi-criteria model (SMART, the weighted sum of single-criterion values;
Edwards & Barron 1994), method and scales in docs/decide.md. Five criteria, each weighted
0–3 by the patient: what they pay, time to get back to normal, how invasive, strength of
evidence for their condition, and safety. Every criterion's value (0..1) comes from a fixed,
published scale applied to what the screen shows for that one row — never from the other rows
— so a counselor can explain every score without the code:

    score = round(100 × Σ weight·value / Σ weight)

Uncertainty is shown, never resolved silently: an option whose coverage nobody knows gets a
fit *range* (fit if not covered … fit if covered), and an option without a price gets its cost
part marked unknown (anywhere on the cost scale). Fit ranks, it never hides: every option gets
a fit, investigational ones scored with their evidence as it is.

Pure functions, no I/O, no Textual.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from regen_compare.costs import Basis, CostResult
from regen_compare.labels import INVASIVENESS
from regen_compare.model import DependencyRisk, Evidence, Invasiveness, Regulatory, Therapy
from regen_compare.money import ZERO, Range, format_quantity, whole_dollars
from regen_compare.problems import did_you_mean
from regen_compare.safe_text import quote

ONE = Decimal(1)
HUNDRED = Decimal(100)
MAX_WEIGHT = 3


class Criterion(StrEnum):
    """The criteria, in the order every screen lists them."""

    COST = "cost"
    RECOVERY = "recovery"
    INVASIVENESS = "invasiveness"
    EVIDENCE = "evidence"
    SAFETY = "safety"

    @property
    def label(self) -> str:
        return _LABELS[self]


_CRITERIA: tuple[Criterion, ...] = tuple(Criterion)
_INDEX = {c: i for i, c in enumerate(_CRITERIA)}

_LABELS = {
    Criterion.COST: "What you pay",
    Criterion.RECOVERY: "Time to get back to normal",
    Criterion.INVASIVENESS: "How invasive",
    Criterion.EVIDENCE: "Strength of evidence",
    Criterion.SAFETY: "Safety",
}

# --- weights -------------------------------------------------------------------------------


class WeightsError(ValueError):
    """A weights text or mapping that cannot be read; the message is a usage line."""


WEIGHTS_EXAMPLE = "cost=3,recovery=1,invasiveness=2,evidence=3,safety=2"


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each criterion matters, 0 (not at all) to 3 (very much)."""

    cost: int = 2
    recovery: int = 2
    invasiveness: int = 2
    evidence: int = 2
    safety: int = 2

    def __post_init__(self) -> None:
        for criterion in Criterion:
            value = getattr(self, criterion.value)
            if type(value) is not int or not 0 <= value <= MAX_WEIGHT:
                raise WeightsError(
                    f"{criterion.value}={quote(value)}: a weight must be 0, 1, 2 or 3"
                )

    @property
    def vector(self) -> tuple[int, int, int, int, int]:
        """The weights in criterion order."""
        return (self.cost, self.recovery, self.invasiveness, self.evidence, self.safety)

    def of(self, criterion: Criterion) -> int:
        return self.vector[_INDEX[criterion]]

    @property
    def total(self) -> int:
        return sum(self.vector)

    @property
    def all_zero(self) -> bool:
        return self.total == 0

    def as_dict(self) -> dict[str, int]:
        """In criterion order: for JSON, scenarios and the handout."""
        return {c.value: self.of(c) for c in Criterion}

    def format(self) -> str:
        """`cost=2,recovery=2,invasiveness=2,evidence=2,safety=2`: what `parse` reads."""
        return ",".join(f"{k}={v}" for k, v in self.as_dict().items())

    def preset_name(self) -> str | None:
        """`balanced` when these are a preset's weights, else None."""
        for name, preset in PRESETS.items():
            if preset == self:
                return name
        return None

    @classmethod
    def parse(cls, text: str) -> Weights:
        """Read `cost=3,recovery=1,…` (criteria left out keep the balanced weight), or a
        preset name (`balanced`), optionally followed by changes: `balanced,cost=3`.

        Raises `WeightsError` with one line that says what is wrong and how to write it."""
        items = [item.strip() for item in text.split(",")]
        if not text.strip() or all(not item for item in items):
            raise WeightsError(f"no weights given: write e.g. {WEIGHTS_EXAMPLE}")
        values = BALANCED.as_dict()
        seen: set[str] = set()
        for position, item in enumerate(items):
            if not item:
                raise WeightsError(
                    f"an empty item in {quote(text)}: separate weights with single commas"
                )
            if "=" not in item:
                if position == 0 and item.casefold() in PRESETS:
                    values = PRESETS[item.casefold()].as_dict()
                    continue
                if item.casefold() in values:
                    raise WeightsError(f"{quote(item)} needs a weight: e.g. {item.casefold()}=2")
                raise WeightsError(
                    f"{quote(item)} is not a criterion=weight pair or a preset "
                    f"({', '.join(PRESETS)}): write e.g. {WEIGHTS_EXAMPLE}"
                )
            key, _, raw = (part.strip() for part in item.partition("="))
            name = key.casefold()
            if name not in values:
                raise WeightsError(
                    f"unknown criterion {quote(key)}{did_you_mean(name, list(values))}; "
                    f"the criteria are {', '.join(values)}"
                )
            if name in seen:
                raise WeightsError(f"{name} is given twice")
            seen.add(name)
            if raw not in ("0", "1", "2", "3"):
                raise WeightsError(
                    f"{name}={quote(raw)}: a weight must be 0, 1, 2 or 3 "
                    "(0 = does not matter, 3 = matters most)"
                )
            values[name] = int(raw)
        return cls(**values)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Weights:
        """Weights from a saved scenario's table: every key a criterion, every value 0–3
        (a whole number, not text or a boolean); criteria left out keep the balanced weight."""
        values = BALANCED.as_dict()
        for key, value in data.items():
            if key not in values:
                raise WeightsError(
                    f"unknown criterion {quote(key)}{did_you_mean(str(key), list(values))}; "
                    f"the criteria are {', '.join(values)}"
                )
            if type(value) is not int or not 0 <= value <= MAX_WEIGHT:
                raise WeightsError(f"{key} = {quote(value)}: a weight must be 0, 1, 2 or 3")
            values[key] = value
        return cls(**values)


BALANCED = Weights()
"""Every criterion matters equally (2 of 3): the default, and room to raise or lower each."""

PRESETS: dict[str, Weights] = {"balanced": BALANCED}


# --- the value scales (published in docs/decide.md) -----------------------------------------


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


def _show(value: Decimal) -> str:
    """A value or a number of days the way a person writes it: 0.6, 0.75, 1, 1.5."""
    return format_quantity(value)


def _usd(amount: Decimal) -> str:
    return f"${whole_dollars(amount):,}"


def _cost_band_text(band: Band, previous: Band | None) -> str:
    if band.upto is None:
        assert previous is not None and previous.upto is not None
        return f"over {_usd(previous.upto)}"
    if band.upto == 0:
        return "$0"
    return f"≤{_usd(band.upto)}"


def _days_band_text(band: Band, previous: Band | None) -> str:
    if band.upto is None:
        assert previous is not None and previous.upto is not None
        return f"over {_show(previous.upto)} days"
    if band.upto == 0:
        return "0 days"
    return f"≤{_show(band.upto)} days"


def _band_with_text(bands: tuple[Band, ...], figure: Decimal, kind: str) -> tuple[Band, str]:
    band = band_of(bands, figure)
    index = bands.index(band)
    previous = bands[index - 1] if index else None
    text = (_cost_band_text if kind == "cost" else _days_band_text)(band, previous)
    return band, text


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
        return _show(self.low) if self.known else f"{_show(self.low)}–{_show(self.high)}"


@dataclass(frozen=True, slots=True)
class Part:
    """One criterion's share of one row's fit."""

    criterion: Criterion
    weight: int
    value: Span
    """0..1 on the criterion's published scale."""
    why: str
    """Plain words: the figure shown on screen, the band it falls in, the value."""
    points: Span
    """What this part adds to the score: 100 × weight × value ÷ the sum of the weights."""
    possible: Decimal
    """The most this part could add (its value at 1)."""
    unknown: bool = False
    """No figure at all (no price): the value spans the whole scale."""

    @property
    def lost(self) -> Decimal:
        """Points this part keeps the score from (at the middle of its value)."""
        return self.possible - self.points.mid

    def text(self) -> str:
        """`What you pay 2 × 0.6 = 12 of 20 points: what you pay this year ≈$1,432: …`."""
        points = _points(self.points)
        return (
            f"{self.criterion.label}: weight {self.weight} × value {self.value.text()} = "
            f"{points} of {_points(Span.point(self.possible))} points ({self.why})"
        )


def _points(span: Span) -> str:
    def one(value: Decimal) -> str:
        return _show(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    return one(span.low) if span.known else f"{one(span.low)}–{one(span.high)}"


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
    band, band_text = _band_with_text(COST_BANDS, per_year, "cost")
    if years == 1:
        lead = f"{_figure(total)} this year"
    else:
        lead = f"{_figure(total)} over {years} years = {_usd(per_year)} a year"
    return band.value, f"{lead}: band {band_text} → {_show(band.value)}"


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
    band, band_text = _band_with_text(RECOVERY_BANDS, middle, "days")
    if days.min == days.max:
        shown = "the same day" if days.min == 0 else f"{_show(days.min)} days"
        lead = f"back to normal activity {shown}"
    else:
        lead = (
            f"back to normal activity in {_show(days.min)}–{_show(days.max)} days "
            f"(middle {_show(middle)})"
        )
    return Span.point(band.value), f"{lead}: band {band_text} → {_show(band.value)}"


def invasiveness_value(therapy: Therapy) -> tuple[Span, str]:
    level = therapy.invasiveness
    value = INVASIVENESS_VALUES[level]
    why = (
        f"{INVASIVENESS[level]}: level {level.rank + 1} of {len(Invasiveness)} "
        f"(1 = non-invasive) → {_show(value)}"
    )
    return Span.point(value), why


def evidence_value(evidence: Evidence) -> tuple[Span, str]:
    value = EVIDENCE_VALUES[evidence]
    why = (
        f"evidence {evidence.value}: grade {evidence.rank + 1} of {len(Evidence)} "
        f"(1 = strong) → {_show(value)}"
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
        risk_text += f" (−{_show(risk_penalty)})"
    if warnings == 0:
        warn_text = "no official warnings"
    else:
        noun = "official warning" if warnings == 1 else "official warnings"
        warn_text = f"{warnings} {noun} (−{_show(warning_penalty)}"
        warn_text += f", at most {WARNINGS_COUNTED} counted)" if warnings > counted else ")"
    penalty = risk_penalty + warning_penalty
    if penalty:
        return Span.point(value), f"{risk_text}, {warn_text}: 1 − {_show(penalty)} → {_show(value)}"
    return Span.point(value), f"{risk_text}, {warn_text} → 1"


# --- the score -----------------------------------------------------------------------------


def _round(value: Decimal) -> int:
    return int(value.quantize(ONE, rounding=ROUND_HALF_UP))


def combine(weights: Weights, values: Mapping[Criterion, Decimal]) -> int | None:
    """The additive model itself: round(100 × Σ wᵢ·vᵢ / Σ wᵢ), or None when every weight
    is 0 (nothing matters, so nothing can be ranked: no score rather than a made-up one)."""
    vector = weights.vector
    total = sum(vector)
    if total == 0:
        return None
    earned = sum((w * values[c] for w, c in zip(vector, _CRITERIA, strict=True)), ZERO)
    return _round(HUNDRED * earned / total)


@dataclass(frozen=True)
class Fit:
    """One row's fit: a score (a range when something is not known), and its parts."""

    weights: Weights
    parts: tuple[Part, ...]
    low: int | None
    high: int | None
    """None (both) when every weight is 0."""
    basis: Basis
    investigational: bool
    """Scored with its evidence as it is; the screen keeps its warning in view."""

    @property
    def scored(self) -> bool:
        return self.low is not None

    @property
    def certain(self) -> bool:
        return self.low == self.high

    @property
    def middle(self) -> Decimal | None:
        if self.low is None or self.high is None:
            return None
        return Decimal(self.low + self.high) / 2

    @property
    def sort_key(self) -> tuple[Decimal, Decimal] | None:
        """Ascending = best fit first (like every other key of query.SORT_KEYS): by the
        middle of the range, then the lower end, both negated. None sorts last (no score)."""
        if self.low is None or self.middle is None:
            return None
        return (-self.middle, -Decimal(self.low))

    def text(self) -> str:
        """`62`, `55–62`, or `—` without a score."""
        if self.low is None:
            return "—"
        return str(self.low) if self.certain else f"{self.low}–{self.high}"

    def part(self, criterion: Criterion) -> Part:
        return next(p for p in self.parts if p.criterion is criterion)

    @property
    def pulled_up(self) -> Part | None:
        """The part that added the most points (ties: criterion order); None if none added
        any. A part with no figure at all (no price) is never named: it would be a guess."""
        candidates = [p for p in self.parts if not p.unknown and p.points.mid > 0]
        return max(candidates, key=lambda p: p.points.mid, default=None)

    @property
    def pulled_down(self) -> Part | None:
        """The part that kept the most points away (ties: criterion order), or None."""
        candidates = [p for p in self.parts if not p.unknown and p.lost > 0]
        return max(candidates, key=lambda p: p.lost, default=None)

    def explain(self) -> str:
        """The plain-words headline the detail pane and the side-by-side show."""
        if self.low is None:
            return "Every weight is 0: nothing to weigh, so no fit score. Raise a weight."
        out = [f"Fit {self.text()} of 100 with your weights ({self.weights.format()})."]
        cost = self.part(Criterion.COST)
        if self.basis is Basis.UNKNOWN and not self.certain:
            out.append(
                f"Coverage unknown: {self.low} if the plan does not pay, {self.high} if it does."
            )
        elif cost.unknown and cost.weight and not self.certain:
            out.append(f"No price: {self.low} if it were costly, {self.high} if it were free.")
        up, down = self.pulled_up, self.pulled_down
        if up is not None:
            out.append(
                f"Pulled up most: {up.criterion.label.lower()} "
                f"(+{_points(up.points)} of {_points(Span.point(up.possible))})."
            )
        if down is not None:
            out.append(
                f"Pulled down most: {down.criterion.label.lower()} "
                f"(−{_points(Span.point(down.lost))} of {_points(Span.point(down.possible))})."
            )
        if self.investigational:
            out.append("Investigational: scored with its evidence as it is; see the warning.")
        return " ".join(out)

    def to_json(self) -> dict[str, Any]:
        """`fit`, `fit_parts` and `fit_weights` for a JSON row (numbers are numbers)."""
        return {
            "fit": None if self.low is None else {"min": self.low, "max": self.high},
            "fit_parts": [
                {
                    "criterion": p.criterion.value,
                    "weight": p.weight,
                    "value": {"min": float(p.value.low), "max": float(p.value.high)},
                    "points": {
                        "min": _json_points(p.points.low),
                        "max": _json_points(p.points.high),
                    },
                    "possible": _json_points(p.possible),
                    "unknown": p.unknown,
                    "why": p.why,
                }
                for p in self.parts
            ],
            "fit_weights": self.weights.as_dict(),
        }


def _json_points(value: Decimal) -> float:
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def score(therapy: Therapy, evidence: Evidence, cost: CostResult, weights: Weights) -> Fit:
    """The fit of one therapy for one profile (its cost result, its evidence for the
    profile's condition) under `weights`."""
    cost_span, cost_why, cost_unknown = cost_value(cost)
    values: dict[Criterion, tuple[Span, str]] = {
        Criterion.COST: (cost_span, cost_why),
        Criterion.RECOVERY: recovery_value(therapy),
        Criterion.INVASIVENESS: invasiveness_value(therapy),
        Criterion.EVIDENCE: evidence_value(evidence),
        Criterion.SAFETY: safety_value(therapy),
    }
    vector = weights.vector
    total = sum(vector)
    parts = []
    for criterion, weight in zip(_CRITERIA, vector, strict=True):
        span, why = values[criterion]
        share = HUNDRED * weight / total if total else ZERO
        parts.append(
            Part(
                criterion,
                weight,
                span,
                why,
                Span(share * span.low, share * span.high),
                share,
                unknown=criterion is Criterion.COST and cost_unknown,
            )
        )
    low = combine(weights, {c: values[c][0].low for c in _CRITERIA})
    high = combine(weights, {c: values[c][0].high for c in _CRITERIA})
    investigational = (
        therapy.regulatory is Regulatory.INVESTIGATIONAL or evidence is Evidence.INVESTIGATIONAL
    )
    return Fit(weights, tuple(parts), low, high, cost.basis, investigational)


def _cost_span(cost: CostResult) -> Span:
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


def _safety(therapy: Therapy) -> Decimal:
    counted = min(len(therapy.warnings), WARNINGS_COUNTED)
    return max(ZERO, ONE - DEPENDENCY_PENALTY[therapy.dependency_risk] - WARNING_PENALTY * counted)


def fit_range(
    therapy: Therapy, evidence: Evidence, cost: CostResult, weights: Weights
) -> tuple[int | None, int | None]:
    """Just the score (low, high) of `score`, without building the parts and their words:
    for sorting and the list's fit column over many rows."""
    days = therapy.recovery.downtime_days
    cost_span = _cost_span(cost)
    rest = {
        Criterion.RECOVERY: band_of(RECOVERY_BANDS, (days.min + days.max) / 2).value,
        Criterion.INVASIVENESS: INVASIVENESS_VALUES[therapy.invasiveness],
        Criterion.EVIDENCE: EVIDENCE_VALUES[evidence],
        Criterion.SAFETY: _safety(therapy),
    }
    low = combine(weights, {Criterion.COST: cost_span.low, **rest})
    if cost_span.known:
        return low, low
    return low, combine(weights, {Criterion.COST: cost_span.high, **rest})


def best_fit(fits: Mapping[str, Fit]) -> set[str]:
    """The ids the side-by-side marks as the best fit: the highest middle of the range
    (ties all marked); none when no row has a score."""
    middles = {tid: f.middle for tid, f in fits.items() if f.middle is not None}
    if not middles:
        return set()
    top = max(middles.values())
    return {tid for tid, m in middles.items() if m == top}
