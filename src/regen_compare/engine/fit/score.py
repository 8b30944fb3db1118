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
from typing import Any

from regen_compare.engine.costs import Basis, CostResult
from regen_compare.engine.fit.scales import (
    COST_BANDS,
    EVIDENCE_VALUES,
    INVASIVENESS_VALUES,
    RECOVERY_BANDS,
    Band,
    Span,
    band_of,
    cost_span,
    cost_value,
    evidence_value,
    invasiveness_value,
    recovery_value,
    relief_span,
    relief_value,
    safety_score,
    safety_value,
    show,
)
from regen_compare.engine.fit.weights import (
    BALANCED,
    CRITERIA,
    HUNDRED,
    MAX_WEIGHT,
    ONE,
    PRESETS,
    WEIGHTS_EXAMPLE,
    Criterion,
    Weights,
    WeightsError,
)
from regen_compare.model.entities import Benefit, Evidence, Regulatory, Therapy
from regen_compare.model.money import ZERO

__all__ = [
    "BALANCED",
    "COST_BANDS",
    "MAX_WEIGHT",
    "PRESETS",
    "RECOVERY_BANDS",
    "WEIGHTS_EXAMPLE",
    "Band",
    "Criterion",
    "Fit",
    "Part",
    "Span",
    "Weights",
    "WeightsError",
    "band_of",
    "best_fit",
    "combine",
    "fit_range",
    "fit_text",
    "score",
]


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
        return show(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    return one(span.low) if span.known else f"{one(span.low)}–{one(span.high)}"


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
    earned = sum((w * values[c] for w, c in zip(vector, CRITERIA, strict=True)), ZERO)
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
        return fit_text((self.low, self.high))

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

    def moved_words(self, up_word: str = "up", down_word: str = "down") -> str:
        """What moved the fit most, in a few words (`up: cost; down: evidence`). One criterion
        can be both (a large weight on a middling score): then it is named once, `both ways`,
        never as a seeming contradiction. Empty when nothing moved it."""
        up, down = self.pulled_up, self.pulled_down
        if up is not None and down is not None and up.criterion is down.criterion:
            label = up.criterion.label.lower()
            return f"both ways: {label} (a large weight on a middling score)"
        parts = []
        if up is not None:
            parts.append(f"{up_word}: {up.criterion.label.lower()}")
        if down is not None:
            parts.append(f"{down_word}: {down.criterion.label.lower()}")
        return "; ".join(parts)

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


def score(
    therapy: Therapy,
    evidence: Evidence,
    cost: CostResult,
    weights: Weights,
    benefit: Benefit | None = None,
) -> Fit:
    """The fit of one therapy for one profile (its cost result, its evidence and its chance
    of benefit for the profile's condition) under `weights`."""
    cost_part, cost_why, cost_unknown = cost_value(cost)
    values: dict[Criterion, tuple[Span, str]] = {
        Criterion.COST: (cost_part, cost_why),
        Criterion.RECOVERY: recovery_value(therapy),
        Criterion.INVASIVENESS: invasiveness_value(therapy),
        Criterion.EVIDENCE: evidence_value(evidence),
        Criterion.SAFETY: safety_value(therapy),
        Criterion.RELIEF: relief_value(benefit),
    }
    vector = weights.vector
    total = sum(vector)
    parts = []
    for criterion, weight in zip(CRITERIA, vector, strict=True):
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
                unknown=(criterion is Criterion.COST and cost_unknown)
                or (criterion is Criterion.RELIEF and not span.known),
            )
        )
    low = combine(weights, {c: values[c][0].low for c in CRITERIA})
    high = combine(weights, {c: values[c][0].high for c in CRITERIA})
    investigational = (
        therapy.regulatory is Regulatory.INVESTIGATIONAL or evidence is Evidence.INVESTIGATIONAL
    )
    return Fit(weights, tuple(parts), low, high, cost.basis, investigational)


def fit_text(fit: tuple[int | None, int | None] | None) -> str:
    """A fit as every screen writes it: `84`, `62–78` (a range when coverage or price is
    unknown), `—` with no score (all weights 0, or no fit worked out)."""
    if fit is None or fit[0] is None:
        return "—"
    low, high = fit
    return str(low) if low == high or high is None else f"{low}–{high}"


def fit_range(
    therapy: Therapy,
    evidence: Evidence,
    cost: CostResult,
    weights: Weights,
    benefit: Benefit | None = None,
) -> tuple[int | None, int | None]:
    """Just the score (low, high) of `score`, without building the parts and their words:
    for sorting and the list's fit column over many rows."""
    days = therapy.recovery.downtime_days
    span, relief = cost_span(cost), relief_span(benefit)
    rest = {
        Criterion.RECOVERY: band_of(RECOVERY_BANDS, (days.min + days.max) / 2).value,
        Criterion.INVASIVENESS: INVASIVENESS_VALUES[therapy.invasiveness],
        Criterion.EVIDENCE: EVIDENCE_VALUES[evidence],
        Criterion.SAFETY: safety_score(therapy),
    }
    low = combine(weights, {Criterion.COST: span.low, Criterion.RELIEF: relief.low, **rest})
    if span.known and relief.known:
        return low, low
    high = {Criterion.COST: span.high, Criterion.RELIEF: relief.high, **rest}
    return low, combine(weights, high)


def best_fit(fits: Mapping[str, Fit]) -> set[str]:
    """The ids the side-by-side marks as the best fit: the highest middle of the range
    (ties all marked); none when no row has a score."""
    middles = {tid: f.middle for tid, f in fits.items() if f.middle is not None}
    if not middles:
        return set()
    top = max(middles.values())
    return {tid for tid, m in middles.items() if m == top}
