"""Cash or plan, on each branch of the cost model, with the arithmetic written out.

The therapy: $100–$200 an injection, 2–4 injections in year 1 (typical 3 × $150 = $450),
1–2 in later years. Cash over one year: $200–$800, typical $450."""

from __future__ import annotations

import json
from decimal import Decimal as D
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import make_payer, make_therapy
from regen_compare.engine.cash_or_plan import (
    CAVEAT,
    SAME_NOTE,
    CashKind,
    Path,
    cash_cheaper_note,
    cheaper,
    compare,
    discount_total,
    overlap,
)
from regen_compare.engine.costs import Basis, CostResult, Profile, price_therapy
from regen_compare.model.entities import Coverage, Payer, Therapy
from regen_compare.model.money import Range


def therapy(**extra: Any) -> Therapy:
    """A monthly medicine: $100–$200 a month, 2–4 months in year 1 and 1–2 later."""
    defaults: dict[str, Any] = {
        "modality": "medication",
        "invasiveness": "non_invasive",
        "anesthesia": "none",
        "price": {"min": 100, "max": 200, "unit": "month"},
        "recovery": {"downtime_days": {"min": 0, "max": 0}, "full_weeks": {"min": 1, "max": 2}},
    }
    return make_therapy(**{**defaults, **extra})


def payer(deductible: float = 0, coinsurance: float = 0.2, kind: str = "commercial") -> Payer:
    return make_payer(deductible=deductible, coinsurance=coinsurance, kind=kind)


def covered(**extra: Any) -> Coverage:
    return Coverage.model_validate({"therapy": "t", "status": "covered", **extra})


def priced(
    t: Therapy | None = None,
    plan: Payer | None = None,
    rule: Coverage | None = None,
    years: int = 1,
) -> CostResult:
    profile = Profile(payer=None if plan is None else plan.id, years=years)
    return price_therapy(t or therapy(), plan, rule, profile)


# --- basis PLAN -------------------------------------------------------------------------------


def test_plan_cheaper() -> None:
    # No deductible, 20% coinsurance: plan $40–$160, typical 20% × $450 = $90.
    # Cash $200–$800, typical $450. $90 < $450 and the ranges do not meet: certain.
    choice = compare(priced(plan=payer(), rule=covered()))
    assert choice.basis is Basis.PLAN
    assert choice.cheaper_path is Path.PLAN
    assert choice.certain
    assert choice.sentence == "plan ≈$90 < cash ≈$450 this year"
    assert choice.caveat is None
    assert cash_cheaper_note(choice) is None


def test_cash_cheaper_when_the_plan_allows_more_than_the_cash_price() -> None:
    # The plan allows $500 a month; the $5,000 deductible is not met, so the patient pays the
    # full allowed amount: $1,000–$2,000, typical 3 × $500 = $1,500.
    # Cash: typical $450. $450 < $1,500; the ranges ($200–$800, $1,000–$2,000) do not meet.
    rule = covered(allowed={"min": 500, "max": 500})
    choice = compare(priced(plan=payer(deductible=5000), rule=rule))
    assert choice.cheaper_path is Path.CASH
    assert choice.certain
    assert choice.sentence == "cash ≈$450 < plan ≈$1,500 this year"
    assert choice.caveat == CAVEAT
    assert cash_cheaper_note(choice) == f"cash ≈$450 < plan ≈$1,500 this year {CAVEAT}"


def test_overlapping_ranges_are_not_certain() -> None:
    # Allowed $300: plan $600–$1,200, typical $900; cash $200–$800, typical $450.
    # Cash is cheaper by the rule, but $600–$800 lies in both ranges.
    rule = covered(allowed={"min": 300, "max": 300})
    choice = compare(priced(plan=payer(deductible=5000), rule=rule))
    assert choice.cheaper_path is Path.CASH
    assert not choice.certain
    assert choice.sentence == (
        "cash ≈$450 < plan ≈$900 this year (the ranges overlap, so this is not certain)"
    )


def test_same_when_the_deductible_takes_the_whole_cash_price() -> None:
    # Deductible $5,000 unmet, no allowed amount: the plan path costs the cash price itself.
    choice = compare(priced(plan=payer(deductible=5000), rule=covered()))
    assert choice.cheaper_path is Path.SAME
    assert choice.certain
    assert choice.sentence == "plan ≈$450 = cash ≈$450 this year"
    assert choice.caveat == SAME_NOTE


def test_same_is_decided_on_whole_dollars() -> None:
    assert cheaper(Range(D("10.2"), D("10.2")), Range(D("10.4"), D("10.4"))) is Path.SAME
    assert cheaper(Range(D("10.2"), D("10.2")), Range(D("10.6"), D("10.6"))) is Path.PLAN
    assert overlap(Range(D(1), D("5.4")), Range(D("4.6"), D(9)))
    assert not overlap(Range(D(1), D("4.4")), Range(D("4.6"), D(9)))


def test_a_copay_plan_point_figure_has_no_approx_sign() -> None:
    # A $20 copay per month for exactly 3 months: plan $60 (one figure); cash $300–$600.
    t = therapy(units={"first_year": {"min": 3, "max": 3}, "later_years": {"min": 0, "max": 0}})
    choice = compare(priced(t, payer(), covered(copay=20)))
    assert choice.sentence == "plan $60 < cash ≈$450 this year"


def test_discount_price_lower_than_plan_is_the_cash_path() -> None:
    # Plan (no deductible, 20%): $40–$160, typical $90. A discount program at $5 a month:
    # 2–4 months → $10–$20, typical 3 × $5 = $15. $15 < $90; the ranges do not meet.
    t = therapy()
    discount = discount_total(t, Range(D(5), D(5)), 1)
    assert (discount.min, discount.central, discount.max) == (D(10), D(15), D(20))
    choice = compare(priced(t, payer(), covered()), discount)
    assert choice.cheaper_path is Path.CASH
    assert choice.cash_kind is CashKind.DISCOUNT
    assert choice.sentence == "discount price ≈$15 < plan ≈$90 this year"
    assert choice.caveat == CAVEAT


def test_a_discount_price_above_the_cash_price_is_not_used() -> None:
    t = therapy()
    discount = discount_total(t, Range(D(300), D(300)), 1)
    choice = compare(priced(t, payer(), covered()), discount)
    assert choice.cash_kind is CashKind.CASH_PRICE
    assert choice.cash == choice.cash_price
    assert choice.discount == discount


def test_several_years() -> None:
    # 3 years, plan 20% with no deductible: typical 20% × ($450 + $225 + $225) = $180;
    # cash $900.
    choice = compare(priced(plan=payer(), rule=covered(), years=3))
    assert choice.sentence == "plan ≈$180 < cash ≈$900 over 3 years"


# --- basis UNKNOWN ----------------------------------------------------------------------------


def test_unknown_compares_both_outcomes() -> None:
    # No rule: if covered on the plan's general terms (no deductible, 20%): typical $90;
    # if not, cash $450.
    choice = compare(priced(plan=payer()))
    assert choice.basis is Basis.UNKNOWN
    assert choice.cheaper_path is None
    assert choice.cheaper_if_covered is Path.PLAN
    assert choice.sentence == (
        "Coverage unknown: if the plan covers it, plan ≈$90 < cash ≈$450 this year; "
        "if not, you pay cash ≈$450. Ask the plan."
    )
    assert choice.caveat is None


def test_unknown_with_a_discount_cheaper_even_if_covered() -> None:
    t = therapy()
    # If covered: $40–$160, typical $90; a $10-a-month discount: $20–$40, typical $30.
    # Cheaper even if covered, but $40 is in both ranges: not certain.
    choice = compare(priced(t, payer()), discount_total(t, Range(D(10), D(10)), 1))
    assert choice.cheaper_if_covered is Path.CASH
    assert not choice.certain
    assert choice.sentence == (
        "Coverage unknown; even if the plan covers it, discount price ≈$30 < plan ≈$90 this "
        "year. The ranges overlap, so this is not certain."
    )
    assert choice.caveat == CAVEAT
    assert choice.cash_is_cheaper


def test_unknown_overlap_is_said() -> None:
    # Deductible $300: if covered, low $200 (all deductible), typical $300 + 20% × $150 =
    # $330, high $300 + 20% × $500 = $400; cash $200–$800: they overlap.
    choice = compare(priced(plan=payer(deductible=300)))
    assert choice.cheaper_if_covered is Path.PLAN
    assert not choice.certain
    assert choice.sentence.endswith("The ranges overlap, so this is not certain.")


# --- basis CASH, NOT_SOLD, NO_PRICE -------------------------------------------------------------


def test_not_covered_only_cash_applies() -> None:
    rule = Coverage.model_validate({"therapy": "t", "status": "not_covered"})
    choice = compare(priced(plan=payer(), rule=rule))
    assert choice.basis is Basis.CASH
    assert choice.cheaper_path is None and choice.cheaper_if_covered is None
    assert choice.plan is None
    assert choice.sentence == "The plan does not pay for this: you pay cash, ≈$450 this year."
    assert choice.caveat is None


def test_no_plan_chosen() -> None:
    choice = compare(priced())
    assert choice.sentence == "No plan chosen: you pay cash, ≈$450 this year."


def test_not_covered_with_a_lower_discount_price() -> None:
    t = therapy()
    choice = compare(priced(t), discount_total(t, Range(D(10), D(10)), 1))
    assert choice.cash_kind is CashKind.DISCOUNT
    assert choice.sentence == "No plan chosen: discount price ≈$30 < cash price ≈$450 this year."


def test_not_sold_and_no_price_compare_nothing() -> None:
    trial = therapy(price=None, regulatory="investigational")
    choice = compare(priced(trial, payer()), Range(D(1), D(2)))
    assert choice.basis is Basis.NOT_SOLD
    assert (choice.plan, choice.cash, choice.discount, choice.cheaper_path) == (
        None,
        None,
        None,
        None,
    )
    assert "Not for sale" in choice.sentence
    unpriced = therapy(price=None, price_unknown="No source gives a price.")
    none = compare(priced(unpriced, payer()))
    assert none.basis is Basis.NO_PRICE
    assert none.cash is None and none.cheaper_path is None
    assert "cannot be compared" in none.sentence


def test_self_pay_payer_is_cash() -> None:
    choice = compare(priced(plan=payer(kind="self_pay")))
    assert choice.basis is Basis.CASH
    assert choice.sentence.startswith("The plan does not pay for this: you pay cash")


# --- JSON and the discount helper ----------------------------------------------------------------


def test_json_row_keys() -> None:
    rule = covered(allowed={"min": 500, "max": 500})
    data = json.loads(json.dumps(compare(priced(plan=payer(deductible=5000), rule=rule)).to_json()))
    assert data["cheaper_path"] == "cash"
    assert data["cheaper_path_if_covered"] is None
    assert data["cheaper_path_certain"] is True
    assert data["plan_figure"] == {"min": 1000, "typical": 1500, "max": 2000}
    assert data["cash_figure"] == {"min": 200, "typical": 450, "max": 800}
    assert data["cash_kind"] == "cash_price"
    assert data["discount_figure"] is None
    assert data["cash_or_plan"] == "cash ≈$450 < plan ≈$1,500 this year"
    assert data["cash_caveat"] == CAVEAT


@settings(max_examples=50, deadline=None)
@given(
    low=st.integers(min_value=0, max_value=5000),
    spread=st.integers(min_value=0, max_value=5000),
    years=st.integers(min_value=1, max_value=6),
)
def test_discount_total_counts_units_like_the_cash_price(low: int, spread: int, years: int) -> None:
    t = therapy(price={"min": low, "max": low + spread, "unit": "month"})
    cost = priced(t, years=years)
    total = discount_total(t, Range(D(low), D(low + spread)), years)
    assert cost.cash_total is not None
    assert (total.min, total.central, total.max) == (
        cost.cash_total.min,
        cost.cash_total.central,
        cost.cash_total.max,
    )


@settings(max_examples=60, deadline=None)
@given(
    deductible=st.integers(min_value=0, max_value=3000),
    coinsurance=st.sampled_from([0, 0.1, 0.2, 0.5, 1]),
    allowed=st.one_of(st.none(), st.integers(min_value=0, max_value=1000)),
)
def test_the_cheaper_path_agrees_with_the_figures(
    deductible: int, coinsurance: float, allowed: int | None
) -> None:
    extra = {} if allowed is None else {"allowed": {"min": allowed, "max": allowed}}
    choice = compare(priced(plan=payer(deductible, coinsurance), rule=covered(**extra)))
    assert choice.plan is not None and choice.cash is not None
    plan, cash = round(choice.plan.central), round(choice.cash.central)
    expected = Path.CASH if cash < plan else Path.PLAN if plan < cash else Path.SAME
    if abs(plan - cash) > 1:  # away from the rounding edge the answer is plain
        assert choice.cheaper_path is expected
    assert (choice.caveat is not None) == (choice.cheaper_path is not Path.PLAN)
