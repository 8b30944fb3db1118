"""The values-weighted fit: hand-worked scores (the arithmetic written out), the published
scales at their band edges, the weights' reading and errors, and the model's properties."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers import make_payer, make_therapy
from regen_compare.engine.costs import Basis, Profile, price_therapy
from regen_compare.engine.fit.score import (
    BALANCED,
    COST_BANDS,
    RECOVERY_BANDS,
    Criterion,
    Fit,
    Weights,
    WeightsError,
    band_of,
    best_fit,
    combine,
    fit_range,
    score,
)
from regen_compare.model.entities import Benefit, Coverage, Evidence, Payer, Therapy

CUSTOM = Weights.parse("cost=3,recovery=1,invasiveness=2,evidence=3,safety=2,relief=0")
FIVE = Weights(relief=0)
"""The balanced weights without the chance of relief: the hand-worked scores below were
written for the five criteria that do not depend on benefit data (relief has its own tests)."""


def therapy(**extra: Any) -> Therapy:
    """Price $100–$200 an injection, 2–4 injections in year 1 and 1–2 later; downtime 0–1
    days; an injection; moderate evidence; no dependency risk, no warnings."""
    return make_therapy(**extra)


def payer(deductible: float = 0, coinsurance: float = 0.2) -> Payer:
    return make_payer(deductible=deductible, coinsurance=coinsurance)


def fit_of(
    t: Therapy,
    weights: Weights = FIVE,
    plan: Payer | None = None,
    rule: Coverage | None = None,
    years: int = 1,
) -> Fit:
    cost = price_therapy(
        t, plan, rule, Profile(payer=None if plan is None else plan.id, years=years)
    )
    return score(t, t.evidence, cost, weights)


# --- hand-worked scores ---------------------------------------------------------------------


def test_cash_row_balanced_weights_worked_by_hand() -> None:
    # No plan: the cash price. Typical: 3 injections (middle of 2–4) × $150 (middle of
    # $100–$200) = $450 → band ≤$500 → 0.8.
    # Downtime 0–1 days, middle 0.5 → band ≤3 days → 0.9. Injection: level 2 of 5 → 0.75.
    # Moderate evidence: grade 2 of 5 → 0.75. No dependency risk, no warnings → 1.
    # Balanced weights 2,2,2,2,2 (sum 10):
    #   100 × (2×0.8 + 2×0.9 + 2×0.75 + 2×0.75 + 2×1) / 10 = 100 × 8.4 / 10 = 84.
    fit = fit_of(therapy())
    assert (fit.low, fit.high) == (84, 84)
    assert fit.text() == "84"
    assert [p.value.low for p in fit.parts][:5] == [D("0.8"), D("0.9"), D("0.75"), D("0.75"), D(1)]
    # Each part adds 100 × 2 × value / 10 points: 16, 18, 15, 15, 20 (they sum to 84);
    # the chance of relief weighs 0 here, so it adds nothing whatever its value.
    assert [p.points.low for p in fit.parts] == [D(16), D(18), D(15), D(15), D(20), D(0)]
    assert fit.part(Criterion.COST).why == "cash price ≈$450 this year: band ≤$500 → 0.8"
    assert fit.part(Criterion.RECOVERY).why == (
        "back to normal activity in 0–1 days (middle 0.5): band ≤3 days → 0.9"
    )
    assert fit.part(Criterion.INVASIVENESS).why == (
        "injection: level 2 of 5 (1 = non-invasive) → 0.75"
    )
    assert fit.part(Criterion.EVIDENCE).why == "evidence moderate: grade 2 of 5 (1 = strong) → 0.75"
    assert fit.part(Criterion.SAFETY).why == "dependency risk none, no official warnings → 1"


def test_custom_weights_worked_by_hand() -> None:
    # Weights cost=3, recovery=1, invasiveness=2, evidence=3, safety=2 (sum 11):
    #   3×0.8 + 1×0.9 + 2×0.75 + 3×0.75 + 2×1 = 2.4 + 0.9 + 1.5 + 2.25 + 2 = 9.05
    #   100 × 9.05 / 11 = 82.27… → 82.
    fit = fit_of(therapy(), CUSTOM)
    assert (fit.low, fit.high) == (82, 82)
    cost = fit.part(Criterion.COST)
    # 100 × 3 × 0.8 / 11 = 21.82 of a possible 100 × 3 / 11 = 27.27.
    assert cost.points.low.quantize(D("0.01")) == D("21.82")
    assert cost.possible.quantize(D("0.01")) == D("27.27")
    assert "3 × value 0.8 = 21.8 of 27.3 points" in cost.text()


def test_unknown_coverage_is_a_fit_range_from_not_covered_to_covered() -> None:
    # No rule under a plan with no deductible and 20% coinsurance: coverage unknown.
    # If covered, typical: 20% of $450 = $90 → band ≤$100 → 0.9;
    # if not, the cash price $450 → band ≤$500 → 0.8.
    #   not covered: 100 × (2×0.8 + 1.8 + 1.5 + 1.5 + 2) / 10 = 84
    #   covered:     100 × (2×0.9 + 1.8 + 1.5 + 1.5 + 2) / 10 = 86
    fit = fit_of(therapy(), plan=payer(deductible=0, coinsurance=0.2))
    assert fit.basis is Basis.UNKNOWN
    assert (fit.low, fit.high) == (84, 86)
    assert fit.text() == "84–86"
    assert not fit.certain
    cost = fit.part(Criterion.COST)
    assert (cost.value.low, cost.value.high) == (D("0.8"), D("0.9"))
    assert cost.why == (
        "coverage unknown: what you pay if the plan covers it ≈$90 this year: band ≤$100 → "
        "0.9; if not, ≈$450 this year: band ≤$500 → 0.8"
    )
    assert "84 if the plan does not pay, 86 if it does" in fit.explain()


def test_not_sold_cost_part_is_unknown_over_the_whole_scale_and_evidence_as_it_is() -> None:
    # Trials only: no price. Cost value anywhere from 0 to 1; evidence investigational → 0.
    #   low:  100 × (2×0 + 2×0.9 + 2×0.75 + 2×0 + 2×1) / 10 = 100 × 5.3 / 10 = 53
    #   high: 100 × (2×1 + 2×0.9 + 2×0.75 + 2×0 + 2×1) / 10 = 100 × 7.3 / 10 = 73
    t = therapy(price=None, regulatory="investigational", evidence="investigational")
    fit = fit_of(t)
    assert fit.basis is Basis.NOT_SOLD
    assert (fit.low, fit.high) == (53, 73)
    cost = fit.part(Criterion.COST)
    assert cost.unknown and (cost.value.low, cost.value.high) == (D(0), D(1))
    assert fit.investigational
    assert "Investigational" in fit.explain()


def test_no_price_is_never_guessed() -> None:
    t = therapy(price=None, price_unknown="No source gives an over-the-counter price.")
    fit = fit_of(t, plan=payer())
    assert fit.basis is Basis.NO_PRICE
    assert fit.part(Criterion.COST).unknown
    assert (fit.low, fit.high) == (84 - 16, 84 - 16 + 20)  # cost 0..1 × 20 possible points
    assert "not guessed" in fit.part(Criterion.COST).why


def test_cost_with_zero_weight_leaves_no_range_for_unknown_price() -> None:
    t = therapy(price=None, price_unknown="No price.")
    fit = fit_of(t, Weights(cost=0, relief=0))
    assert fit.certain


def test_covered_copay_row_worked_by_hand() -> None:
    # Covered with a $10 copay per injection: 2–4 injections, typical 3 × $10 = $30 →
    # band ≤$100 → 0.9: 100 × (2×0.9 + 1.8 + 1.5 + 1.5 + 2) / 10 = 86.
    rule = Coverage.model_validate({"therapy": "t", "status": "covered", "copay": 10})
    fit = fit_of(therapy(), plan=payer(), rule=rule)
    assert fit.basis is Basis.PLAN
    assert fit.part(Criterion.COST).why == "what you pay ≈$30 this year: band ≤$100 → 0.9"
    assert (fit.low, fit.high) == (86, 86)


def test_several_years_are_scored_per_year() -> None:
    # 5 years: year 1 typical $450, years 2–5 1.5 × $150 = $225 each: $1,350 in all,
    # $270 a year → band ≤$500 → 0.8.
    fit = fit_of(therapy(), years=5)
    assert fit.part(Criterion.COST).why == (
        "cash price ≈$1,350 over 5 years = $270 a year: band ≤$500 → 0.8"
    )


def test_safety_scale() -> None:
    # High dependency risk −0.6, three warnings but only two counted −0.4: 1 − 1 → 0.
    warnings = ["FDA boxed warning one.", "FDA boxed warning two.", "A third."]
    fit = fit_of(therapy(dependency_risk="high", warnings=warnings))
    safety = fit.part(Criterion.SAFETY)
    assert safety.value.low == 0
    assert safety.why == (
        "dependency risk high (−0.6), 3 official warnings (−0.4, at most 2 counted): 1 − 1 → 0"
    )
    # Moderate −0.4 and one warning −0.2: 0.4.
    one = fit_of(therapy(dependency_risk="moderate", warnings=["FDA warning."]))
    assert one.part(Criterion.SAFETY).value.low == D("0.4")


def test_evidence_and_invasiveness_scales() -> None:
    values = {
        e: fit_of(therapy(evidence=e.value)).part(Criterion.EVIDENCE).value.low for e in Evidence
    }
    assert list(values.values()) == [D(1), D("0.75"), D("0.5"), D("0.25"), D(0)]
    surgery = fit_of(therapy(invasiveness="inpatient_surgery"))
    assert surgery.part(Criterion.INVASIVENESS).value.low == 0


@pytest.mark.parametrize(
    ("dollars", "value"),
    [
        ("0", "1"),
        ("0.49", "0.9"),  # a figure shown as $0 is still more than nothing: the next band
        ("100", "0.9"),
        ("101", "0.8"),
        ("500", "0.8"),
        ("2000", "0.6"),
        ("2001", "0.4"),
        ("25000", "0.1"),
        ("25001", "0"),
    ],
)
def test_cost_band_edges(dollars: str, value: str) -> None:
    assert band_of(COST_BANDS, D(dollars)).value == D(value)


def test_cost_band_reads_the_figure_as_shown_in_whole_dollars() -> None:
    # $100.40 a year is shown as $100, so it falls in the ≤$100 band.
    t = therapy(
        price={"min": 100.4, "max": 100.4, "unit": "course"},
        units={"first_year": {"min": 1, "max": 1}, "later_years": {"min": 0, "max": 0}},
    )
    assert fit_of(t).part(Criterion.COST).value.low == D("0.9")


@pytest.mark.parametrize(
    ("days", "value"), [("0", "1"), ("3", "0.9"), ("3.5", "0.75"), ("120", "0.1"), ("121", "0")]
)
def test_recovery_band_edges(days: str, value: str) -> None:
    assert band_of(RECOVERY_BANDS, D(days)).value == D(value)


def test_same_day_recovery_wording() -> None:
    t = therapy(
        recovery={"downtime_days": {"min": 0, "max": 0}, "full_weeks": {"min": 0, "max": 0}}
    )
    why = fit_of(t).part(Criterion.RECOVERY).why
    assert why == "back to normal activity the same day: band 0 days → 1"


# --- what pulled it up and down ---------------------------------------------------------------


def test_pulled_up_and_down_worked_by_hand() -> None:
    # Points earned 16, 18, 15, 15, 20 of 20 each: safety earned most (20).
    # Points lost 4, 2, 5, 5, 0: invasiveness and evidence tie at 5; criterion order picks
    # invasiveness.
    fit = fit_of(therapy())
    assert fit.pulled_up is not None and fit.pulled_up.criterion is Criterion.SAFETY
    assert fit.pulled_down is not None and fit.pulled_down.criterion is Criterion.INVASIVENESS
    assert "Pulled up most: safety (+20 of 20)" in fit.explain()
    assert "Pulled down most: how invasive (−5 of 20)" in fit.explain()


def test_one_criterion_that_moved_the_fit_both_ways_is_named_once() -> None:
    # Only evidence weighs: a middling evidence grade both earns and loses its points.
    weights = Weights(cost=0, recovery=0, invasiveness=0, evidence=3, safety=0, relief=0)
    fit = fit_of(therapy(evidence="moderate"), weights)
    assert fit.pulled_up is not None and fit.pulled_down is not None
    assert fit.pulled_up.criterion is fit.pulled_down.criterion is Criterion.EVIDENCE
    words = fit.moved_words()
    assert words.startswith("both ways: strength of evidence") and "up:" not in words
    # Different criteria: each named with its direction.
    assert fit_of(therapy()).moved_words() == "up: safety; down: how invasive"


def test_an_unknown_price_is_never_named_as_what_pulled_it() -> None:
    t = therapy(price=None, regulatory="investigational", evidence="investigational")
    # Weights 3,0,0,1,1 (sum 5). Cost 0–1: its middle would earn 30 and lose 30 points,
    # more than safety earns (20) or evidence loses (20): still never named, it is unknown.
    fit = fit_of(t, Weights(cost=3, recovery=0, invasiveness=0, evidence=1, safety=1))
    assert fit.pulled_up is not None and fit.pulled_up.criterion is Criterion.SAFETY
    assert fit.pulled_down is not None and fit.pulled_down.criterion is Criterion.EVIDENCE


def test_zero_weight_parts_pull_nothing() -> None:
    fit = fit_of(
        therapy(), Weights(cost=0, recovery=0, invasiveness=0, evidence=0, safety=1, relief=0)
    )
    assert fit.pulled_up is not None and fit.pulled_up.criterion is Criterion.SAFETY
    assert fit.pulled_down is None
    assert (fit.low, fit.high) == (100, 100)


# --- all weights zero -------------------------------------------------------------------------


def test_all_zero_weights_give_no_score_rather_than_a_made_up_one() -> None:
    zero = Weights(0, 0, 0, 0, 0, 0)
    fit = fit_of(therapy(), zero)
    assert (fit.low, fit.high) == (None, None)
    assert fit.text() == "—"
    assert fit.sort_key is None
    assert "Every weight is 0" in fit.explain()
    assert all(p.points.low == 0 for p in fit.parts)
    assert json.loads(json.dumps(fit.to_json()))["fit"] is None
    assert combine(zero, dict.fromkeys(Criterion, D(1))) is None


# --- ranking --------------------------------------------------------------------------------


def test_sort_key_best_first_and_best_fit_marks_ties() -> None:
    good = fit_of(therapy())
    unknown = fit_of(therapy(), plan=payer())
    poor = fit_of(therapy(invasiveness="inpatient_surgery"))
    ordered = sorted([poor, good, unknown], key=lambda f: f.sort_key or (D(0), D(0)))
    assert [f.text() for f in ordered] == ["84–86", "84", "69"]  # surgery: 84 − 15 (invasiveness 0)
    assert best_fit({"a": good, "b": unknown, "c": poor}) == {"b"}
    assert best_fit({"a": good, "b": good}) == {"a", "b"}
    assert best_fit({"z": fit_of(therapy(), Weights(0, 0, 0, 0, 0, 0))}) == set()


def test_json_parts_are_numbers_and_words() -> None:
    data = json.loads(json.dumps(fit_of(therapy(), CUSTOM).to_json()))
    assert data["fit"] == {"min": 82, "max": 82}
    assert data["fit_weights"] == {
        "cost": 3,
        "recovery": 1,
        "invasiveness": 2,
        "evidence": 3,
        "safety": 2,
        "relief": 0,
    }
    first = data["fit_parts"][0]
    assert first["criterion"] == "cost"
    assert first["weight"] == 3
    assert first["value"] == {"min": 0.8, "max": 0.8}
    assert first["points"] == {"min": 21.82, "max": 21.82}
    assert first["why"].startswith("cash price ≈$450")


# --- reading weights ----------------------------------------------------------------------------


def test_parse_full_partial_preset_and_round_trip() -> None:
    assert Weights(3, 1, 2, 3, 2, 0) == CUSTOM
    assert Weights.parse("cost=0") == Weights(cost=0)
    assert Weights.parse("balanced") == BALANCED
    assert Weights.parse(" Balanced , COST = 3 ") == Weights(cost=3)
    assert Weights.parse(CUSTOM.format()) == CUSTOM
    assert BALANCED.format() == "cost=2,recovery=2,invasiveness=2,evidence=2,safety=2,relief=2"
    assert BALANCED.preset_name() == "balanced"
    assert CUSTOM.preset_name() is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no weights given: write e.g. cost=3,"),
        (" , ", "no weights given"),
        ("cost=3,,safety=1", "an empty item"),
        ("cots=3", "unknown criterion 'cots' (did you mean 'cost'?); the criteria are cost,"),
        ("cost=3,cost=1", "cost is given twice"),
        ("cost=high", "cost='high': a weight must be 0, 1, 2 or 3"),
        ("cost=4", "cost='4': a weight must be 0, 1, 2 or 3"),
        ("cost=-1", "a weight must be 0, 1, 2 or 3"),
        ("cost=2.0", "a weight must be 0, 1, 2 or 3"),
        ("cost=", "cost='': a weight must be"),
        ("cost", "'cost' needs a weight: e.g. cost=2"),
        ("frugal", "'frugal' is not a criterion=weight pair or a preset (balanced)"),
        ("cost=3,balanced", "'balanced' is not a criterion=weight pair"),
        ("cost=\x1b[31m", "\\x1b"),
    ],
)
def test_parse_errors_are_one_clear_line(text: str, message: str) -> None:
    with pytest.raises(WeightsError) as caught:
        Weights.parse(text)
    assert message in str(caught.value)
    assert "\x1b" not in str(caught.value)
    assert "\n" not in str(caught.value)


def test_from_mapping_is_strict() -> None:
    assert Weights.from_mapping({"cost": 3}) == Weights(cost=3)
    for bad, message in [
        ({"cost": True}, "a weight must be 0, 1, 2 or 3"),
        ({"cost": "3"}, "a weight must be 0, 1, 2 or 3"),
        ({"cost": 3.0}, "a weight must be 0, 1, 2 or 3"),
        ({"cost": 7}, "a weight must be 0, 1, 2 or 3"),
        ({"safty": 1}, "did you mean 'safety'"),
    ]:
        with pytest.raises(WeightsError, match=message.replace("(", r"\(")):
            Weights.from_mapping(bad)


def test_constructor_refuses_bad_weights() -> None:
    with pytest.raises(WeightsError):
        Weights(cost=4)
    with pytest.raises(WeightsError):
        Weights(cost=True)


# --- properties of the model ------------------------------------------------------------------

unit_values = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False)
weight_values = st.integers(min_value=0, max_value=3)
all_weights = st.builds(
    Weights, weight_values, weight_values, weight_values, weight_values, weight_values
)
all_values = st.fixed_dictionaries({c: unit_values for c in Criterion})


@given(all_weights, all_values)
def test_score_is_between_0_and_100(weights: Weights, values: dict[Criterion, D]) -> None:
    result = combine(weights, values)
    assert result is None if weights.all_zero else 0 <= result <= 100  # type: ignore[operator]


@given(all_weights, all_values, st.sampled_from(list(Criterion)))
def test_raising_a_weight_where_the_row_scores_1_never_lowers_it(
    weights: Weights, values: dict[Criterion, D], criterion: Criterion
) -> None:
    values = {**values, criterion: D(1)}
    if weights.of(criterion) == 3 or weights.all_zero:
        return
    raised = Weights(**{**weights.as_dict(), criterion.value: weights.of(criterion) + 1})
    before, after = combine(weights, values), combine(raised, values)
    assert before is not None and after is not None and after >= before


@given(all_weights, all_values, st.sampled_from(list(Criterion)))
def test_raising_a_weight_where_the_row_scores_0_never_raises_it(
    weights: Weights, values: dict[Criterion, D], criterion: Criterion
) -> None:
    values = {**values, criterion: D(0)}
    if weights.of(criterion) == 3 or weights.all_zero:
        return
    raised = Weights(**{**weights.as_dict(), criterion.value: weights.of(criterion) + 1})
    before, after = combine(weights, values), combine(raised, values)
    assert before is not None and after is not None and after <= before


@given(all_values)
def test_equal_weights_give_the_same_score_whatever_their_size(values: dict[Criterion, D]) -> None:
    scores = {combine(Weights(k, k, k, k, k, k), values) for k in (1, 2, 3)}
    assert len(scores) == 1


@given(all_values, all_weights)
def test_a_row_better_on_every_criterion_never_fits_worse(
    values: dict[Criterion, D], weights: Weights
) -> None:
    better = {c: min(D(1), v + D("0.1")) for c, v in values.items()}
    low, high = combine(weights, values), combine(weights, better)
    assert low is None or (high is not None and high >= low)


@settings(max_examples=60, deadline=None)
@given(
    deductible=st.integers(min_value=0, max_value=3000),
    coinsurance=st.sampled_from([0, 0.1, 0.2, 0.5, 1]),
    low=st.integers(min_value=0, max_value=5000),
    spread=st.integers(min_value=0, max_value=5000),
    weights=all_weights,
)
@example(deductible=0, coinsurance=0, low=0, spread=67, weights=Weights(2, 1, 0, 1, 2))
def test_unknown_coverage_range_and_parts_add_up(
    deductible: int, coinsurance: float, low: int, spread: int, weights: Weights
) -> None:
    t = therapy(price={"min": low, "max": low + spread, "unit": "injection"})
    fit = fit_of(t, weights, plan=payer(deductible=deductible, coinsurance=coinsurance))
    assert fit.basis is Basis.UNKNOWN
    if weights.all_zero:
        assert fit.low is None
        return
    assert fit.low is not None and fit.high is not None and 0 <= fit.low <= fit.high <= 100
    # Covered is never dearer than cash, so "if covered" is the high end of the fit.
    cost = fit.part(Criterion.COST)
    assert cost.value.low <= cost.value.high
    # The parts' points add up to the score before rounding.
    for end in ("low", "high"):
        total = sum((getattr(p.points, end) for p in fit.parts), D(0))
        # Each part's share (100 × weight ÷ Σ weights) is a repeating decimal, so the sum can
        # fall a hair short of a half that the exact score rounds up (87.4999… vs 87.5 → 88).
        assert abs(total - getattr(fit, end)) <= D("0.5") + D("1e-20")


@settings(max_examples=80, deadline=None)
@given(
    weights=all_weights,
    price=st.one_of(st.none(), st.integers(min_value=0, max_value=40000)),
    plan=st.sampled_from(["none", "unknown", "covered", "not_covered"]),
    invasiveness=st.sampled_from(["non_invasive", "injection", "inpatient_surgery"]),
    evidence=st.sampled_from(list(Evidence)),
    risk=st.sampled_from(["none", "low", "moderate", "high"]),
    warnings=st.integers(min_value=0, max_value=3),
    downtime=st.integers(min_value=0, max_value=200),
    years=st.integers(min_value=1, max_value=5),
)
def test_the_fast_score_matches_the_explained_one(
    weights: Weights,
    price: int | None,
    plan: str,
    invasiveness: str,
    evidence: Evidence,
    risk: str,
    warnings: int,
    downtime: int,
    years: int,
) -> None:
    extra: dict[str, Any] = {
        "invasiveness": invasiveness,
        "evidence": evidence.value,
        "dependency_risk": risk,
        "warnings": [f"Warning {n}." for n in range(warnings)],
        "recovery": {
            "downtime_days": {"min": 0, "max": downtime},
            "full_weeks": {"min": 0, "max": 1},
        },
    }
    if price is None:
        extra.update(price=None, price_unknown="No price.")
    else:
        extra["price"] = {"min": price, "max": price * 2, "unit": "injection"}
    t = therapy(**extra)
    rules = {
        "covered": Coverage.model_validate({"therapy": "t", "status": "covered"}),
        "not_covered": Coverage.model_validate({"therapy": "t", "status": "not_covered"}),
    }
    fit = fit_of(t, weights, None if plan == "none" else payer(300), rules.get(plan), years)
    cost = price_therapy(
        t, None if plan == "none" else payer(300), rules.get(plan), Profile(payer="p", years=years)
    )
    assert fit_range(t, t.evidence, cost, weights) == (fit.low, fit.high)


# --- the chance of relief -------------------------------------------------------------------------


def benefit(with_therapy: float | None, with_comparator: float | None) -> Benefit:
    data: dict[str, Any] = {
        "condition": "knee",
        "measure": "at least 30% less pain",
        "timeframe": "after 3 months",
        "comparator": "a placebo pill",
        "finding": "More people were helped than with a placebo.",
        "sources": [{"title": "t", "url": "https://example.org/r", "accessed": date(2026, 11, 1)}],
    }
    if with_therapy is not None:
        data["with_therapy"] = with_therapy
    if with_comparator is not None:
        data["with_comparator"] = with_comparator
    return Benefit.model_validate(data)


def test_relief_is_the_band_of_how_many_more_are_helped_worked_by_hand() -> None:
    # 57 in 100 helped against 39 with a placebo: 18 more in 100 → band ≤20 more → 0.6.
    # With the balanced weights (2 each, sum 12) the five other parts give 84 × 10/12 of the
    # points and relief 100 × 2 × 0.6 / 12 = 10: 100 × (8.4 + 1.2) / 12 = 80.
    t = therapy()
    cost = price_therapy(t, None, None, Profile())
    fit = score(t, t.evidence, cost, BALANCED, benefit(57, 39))
    relief = fit.part(Criterion.RELIEF)
    assert relief.value.low == D("0.6") and not relief.unknown
    assert relief.why == (
        "57 in 100 helped (at least 30% less pain, after 3 months) against 39 with a placebo "
        "pill: 18 more in 100: band ≤20 more → 0.6"
    )
    assert (fit.low, fit.high) == (80, 80)
    assert fit_range(t, t.evidence, cost, BALANCED, benefit(57, 39)) == (80, 80)


def test_no_better_than_placebo_scores_nothing_however_many_felt_better() -> None:
    t = therapy()
    cost = price_therapy(t, None, None, Profile())
    same = score(t, t.evidence, cost, BALANCED, benefit(47, 47))
    assert same.part(Criterion.RELIEF).value.low == D(0)


def test_relief_not_known_is_a_range_never_filled_in() -> None:
    # No figure: relief anywhere 0..1 → 100 × 8.4 / 12 = 70 … 100 × 10.4 / 12 = 86.67 → 87.
    t = therapy()
    cost = price_therapy(t, None, None, Profile())
    for found in (None, benefit(None, 39), benefit(57, None)):
        fit = score(t, t.evidence, cost, BALANCED, found)
        assert (fit.low, fit.high) == (70, 87)
        assert fit.part(Criterion.RELIEF).unknown
        assert fit_range(t, t.evidence, cost, BALANCED, found) == (70, 87)


def test_relief_bands_at_their_edges() -> None:
    t = therapy()
    cost = price_therapy(t, None, None, Profile())
    only_relief = Weights(0, 0, 0, 0, 0, 1)
    for more, expected in [(-5, 0), (0, 0), (5, 20), (5.5, 40), (10, 40), (20, 60), (30, 80)]:
        fit = score(t, t.evidence, cost, only_relief, benefit(40 + more, 40))
        assert fit.low == expected, more
    assert score(t, t.evidence, cost, only_relief, benefit(71, 40)).low == 100


@pytest.mark.parametrize(
    ("bands", "figure", "unit", "zero", "words"),
    [
        ("COST_BANDS", 0, "usd", "$0", "$0"),
        ("COST_BANDS", 450, "usd", "$0", "≤$500"),
        ("COST_BANDS", 30000, "usd", "$0", "over $25,000"),
        ("RECOVERY_BANDS", 0, "days", "0 days", "0 days"),
        ("RECOVERY_BANDS", D("1.5"), "days", "0 days", "≤3 days"),
        ("RECOVERY_BANDS", 200, "days", "0 days", "over 120 days"),
        ("RELIEF_BANDS", -3, "more", "none more, or fewer", "none more, or fewer"),
        ("RELIEF_BANDS", D("7.5"), "more", "none more, or fewer", "≤10 more"),
        ("RELIEF_BANDS", 40, "more", "none more, or fewer", "over 30 more"),
    ],
)
def test_band_words_for_each_scale(
    bands: str, figure: int | D, unit: str, zero: str, words: str
) -> None:
    """A band reads `≤upper`, the zero band its own words, the open last band `over` the one
    before it."""
    from regen_compare.engine.fit import scales

    units = {
        "usd": scales._usd,
        "days": lambda d: f"{scales.show(d)} days",
        "more": lambda m: f"{scales.show(m)} more",
    }
    _, text = scales._band_with_text(getattr(scales, bands), D(figure), unit=units[unit], zero=zero)
    assert text == words
