"""The cost model, branch by branch, with the arithmetic written out; then its invariants."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regen_compare.engine.costs import (
    Basis,
    BenefitTerms,
    Profile,
    Status,
    YearCost,
    YearSplit,
    plan_share,
    price_therapy,
)
from regen_compare.model.entities import Coverage, Payer, Therapy
from regen_compare.model.money import Range, sum_of

TODAY = date(2026, 11, 22)
SOURCE = {"title": "t", "url": "https://example.org", "accessed": TODAY}


def therapy(
    price: tuple[float, float] | None = (100, 200),
    first: tuple[float, float] = (2, 4),
    later: tuple[float, float] = (1, 2),
    **extra: object,
) -> Therapy:
    data: dict[str, object] = {
        "id": "t",
        "name": "T",
        "category": "traditional",
        "modality": "injection",
        "conditions": ["knee", "back"],
        "invasiveness": "injection",
        "anesthesia": "local",
        "evidence": "moderate",
        "regulatory": "approved",
        "dependency_risk": "none",
        "summary": "s",
        "risks": [],
        "as_of": TODAY,
        "units": {
            "first_year": {"min": first[0], "max": first[1]},
            "later_years": {"min": later[0], "max": later[1]},
        },
        "recovery": {"downtime_days": {"min": 0, "max": 1}, "full_weeks": {"min": 1, "max": 2}},
        "sources": [SOURCE],
    }
    if price is not None:
        data["price"] = {"min": price[0], "max": price[1], "unit": "injection"}
    else:
        data.setdefault("regulatory", "investigational")
        data["regulatory"] = extra.get("regulatory", "investigational")
    data.update(extra)
    return Therapy.model_validate(data)


def payer(
    deductible: float = 500,
    coinsurance: float = 0.2,
    oop_max: float | None = None,
    kind: str = "commercial",
) -> Payer:
    data: dict[str, object] = {
        "id": "p",
        "name": "P",
        "kind": kind,
        "deductible": deductible,
        "coinsurance": coinsurance,
        "as_of": TODAY,
        "sources": [SOURCE],
    }
    if oop_max is not None:
        data["oop_max"] = oop_max
    return Payer.model_validate(data)


def rule(status: str = "covered", **extra: object) -> Coverage:
    return Coverage.model_validate({"therapy": "t", "status": status, **extra})


def profile(**kw: object) -> Profile:
    return Profile(payer="p", **kw)  # type: ignore[arg-type]


def test_deductible_partly_met() -> None:
    # C low = 100 × 2 = 200; deductible left = 500 − 350 = 150; d = min(200, 150) = 150;
    # p = 150 + (200 − 150) × 0.2 = 160.
    # C high = 200 × 4 = 800; d = 150; p = 150 + 650 × 0.2 = 280.
    r = price_therapy(therapy(), payer(), rule(), profile(deductible_met=D(350)))
    assert r.basis is Basis.PLAN and r.status is Status.COVERED
    year = r.years[0]
    assert (year.low.patient, year.high.patient) == (D(160), D(280))
    assert (year.high.deductible_part, year.high.coinsurance_part) == (D(150), D(130))


def test_deductible_fully_met() -> None:
    # Deductible met: p = C × 0.2 → 200 × 0.2 = 40 and 800 × 0.2 = 160.
    r = price_therapy(therapy(), payer(), rule(), profile(deductible_met=D(900)))
    assert r.patient_total is not None
    assert (r.patient_total.min, r.patient_total.max) == (D(40), D(160))


def test_cost_below_deductible_is_paid_in_full() -> None:
    # C low = 200 ≤ deductible 500: d = 200, p = 200. High: 500 + 300 × 0.2 = 560.
    r = price_therapy(therapy(), payer(), rule(), profile())
    assert (r.years[0].low.patient, r.years[0].high.patient) == (D(200), D(560))


def test_cap_reached_and_passed() -> None:
    # oop_max 600, 450 already spent → room 150.
    # low: p = 200 (all deductible) → capped to 150 (saving 50).
    # high: p = 560 → capped to 150 (saving 410).
    r = price_therapy(therapy(), payer(oop_max=600), rule(), profile(oop_met=D(450)))
    low, high = r.years[0].low, r.years[0].high
    assert (low.patient, low.cap_saving) == (D(150), D(50))
    assert (high.patient, high.cap_saving) == (D(150), D(410))
    # Cap already passed: nothing more to pay this year.
    passed = price_therapy(therapy(), payer(oop_max=600), rule(), profile(oop_met=D(900)))
    assert passed.years[0].patient.max == 0


def test_copay_per_unit_then_cap() -> None:
    # copay 30 per injection: low 2 × 30 = 60 (≤ C 200), high 4 × 30 = 120 (≤ C 800).
    r = price_therapy(therapy(), payer(), rule(copay=30), profile())
    assert (r.years[0].low.patient, r.years[0].high.patient) == (D(60), D(120))
    assert r.years[0].high.copay_part == 120
    # A copay above the cost is limited to the cost: copay 150 × 2 = 300 > C 200 → 200.
    r2 = price_therapy(therapy(), payer(), rule(copay=150), profile())
    assert r2.years[0].low.patient == D(200)
    # Then the cap: room 100 → 100.
    r3 = price_therapy(therapy(), payer(oop_max=600), rule(copay=30), profile(oop_met=D(500)))
    assert r3.years[0].high.patient == D(100)


def test_separate_benefit_ignores_profile_amounts() -> None:
    # Drug plan: its own deductible 100 and cap 250, coinsurance 25 %; the profile's
    # deductible_met / oop_met (main benefit) do not apply.
    # low: C 200 → 100 + 100 × 0.25 = 125. high: C 800 → 100 + 700 × 0.25 = 275 → cap 250.
    r = price_therapy(
        therapy(),
        payer(oop_max=600),
        rule(deductible=100, oop_max=250, coinsurance=0.25),
        profile(deductible_met=D(500), oop_met=D(600)),
    )
    assert (r.years[0].low.patient, r.years[0].high.patient) == (D(125), D(250))
    assert "separate benefit" in r.reason


def test_allowed_amount_used_when_covered_and_ignored_when_not() -> None:
    # Covered with allowed 50–80 per unit, deductible met: 0.2 × (50 × 2) = 20; 0.2 × (80 × 4) = 64.
    covered = price_therapy(
        therapy(), payer(), rule(allowed={"min": 50, "max": 80}), profile(deductible_met=D(500))
    )
    assert (covered.years[0].low.patient, covered.years[0].high.patient) == (D(20), D(64))
    assert covered.years[0].high.per_unit == D(80)
    # Not covered: cash price 100–200 per unit, never the allowed amount: 200 and 800.
    refused = price_therapy(
        therapy(), payer(), rule("not_covered", allowed={"min": 50, "max": 80}), profile()
    )
    assert refused.basis is Basis.CASH
    assert (refused.years[0].low.patient, refused.years[0].high.patient) == (D(200), D(800))


def test_condition_excluded_pays_cash() -> None:
    knee_only = rule(conditions=["knee"])
    excluded = price_therapy(therapy(), payer(), knee_only, profile(condition="back"))
    assert excluded.basis is Basis.CASH and excluded.status is Status.COVERED
    assert excluded.patient_total is not None and excluded.patient_total.max == D(800)
    assert "Covered only for" in excluded.reason
    included = price_therapy(therapy(), payer(), knee_only, profile(condition="knee"))
    assert included.basis is Basis.PLAN
    # No condition chosen: a condition-limited rule counts as covered, and says for what.
    unspecified = price_therapy(therapy(), payer(), knee_only, profile(), {"knee": "Knee OA"})
    assert unspecified.basis is Basis.PLAN and "for Knee OA only" in unspecified.reason


@pytest.mark.parametrize("status", ["not_covered", "investigational"])
def test_refusing_statuses_pay_cash(status: str) -> None:
    r = price_therapy(therapy(), payer(deductible=50, oop_max=100), rule(status), profile())
    assert r.basis is Basis.CASH and r.status == Status(status)
    # Cash care does not count toward the cap: the full 800.
    assert r.years[0].high.patient == D(800)


def test_unknown_spans_covered_on_general_terms_to_cash() -> None:
    # price 100–200, 2–4 units; deductible 500 already met, 20%, no cap.
    # if covered: low 0.2 × 200 = 40, typical 0.2 × (3 × 150) = 90, high 0.2 × 800 = 160.
    # if not: cash 200, typical 450, high 800.
    # the figure spans 40–800, with no typical (it would pick a side): central = 420.
    unknown = price_therapy(therapy(), payer(), None, profile(deductible_met=D(500)))
    assert unknown.status is Status.UNKNOWN and unknown.basis is Basis.UNKNOWN
    assert unknown.unknown and not unknown.covered
    assert "unknown" in unknown.reason.lower() and "ask the plan" in unknown.reason.lower()
    total = unknown.patient_total
    assert total is not None and (total.min, total.max, total.typical) == (D(40), D(800), None)
    assert total.central == D(420)
    covered = unknown.total_if_covered
    assert covered is not None and (covered.min, covered.typical, covered.max) == (
        D(40),
        D(90),
        D(160),
    )
    cash = unknown.total_if_not_covered
    assert cash is not None and (cash.min, cash.typical, cash.max) == (D(200), D(450), D(800))
    # The general terms used are the payer's, reported for the explanation.
    assert unknown.terms is not None and unknown.terms.deductible == D(500)


def test_unknown_is_never_priced_as_plain_cash() -> None:
    # The regression the honest-numbers issue fixed: a covered-on-general-terms figure below
    # the cash price must show as the low end of an unknown figure.
    unknown = price_therapy(therapy(), payer(deductible=0), None, profile())
    total = unknown.patient_total
    cash = unknown.cash_total
    assert total is not None and cash is not None
    assert total.min < cash.min and total.max == cash.max


def test_typical_price_feeds_the_typical_figure() -> None:
    # price 100 / typical 120 / 200; 2–4 units → typical units 3 → 360 cash.
    priced = Therapy.model_validate(
        {
            **therapy().model_dump(),
            "price": {"min": 100, "typical": 120, "max": 200, "unit": "injection"},
        }
    )
    r = price_therapy(priced, None, None, Profile())
    assert r.cash_total is not None and r.cash_total.typical == D(360)
    # No typical in the data: the midpoint of the price (150) × the midpoint of units (3).
    plain = price_therapy(therapy(), None, None, Profile())
    assert plain.cash_total is not None and plain.cash_total.typical == D(450)


def test_max_per_unit_caps_each_unit_before_the_yearly_cap() -> None:
    # allowed 10,000 per unit, deductible met, 20% → 2,000 per unit, capped at 1,736.
    # 2 units: 3,472 (saving 528); a yearly cap of 3,000 then takes off 472 more.
    capped = rule(allowed={"min": 10000, "max": 10000}, max_per_unit=1736)
    r = price_therapy(
        therapy(first=(2, 2)), payer(oop_max=3000), capped, profile(deductible_met=D(500))
    )
    split = r.years[0].high
    assert split.unit_cap_saving == D(528) and split.cap_saving == D(472)
    assert split.patient == D(3000)
    assert "at most $1,736 per injection" in r.reason


def test_unknown_and_self_pay_and_no_payer() -> None:
    self_pay = price_therapy(therapy(), payer(kind="self_pay"), None, profile())
    assert self_pay.status is Status.NOT_COVERED and self_pay.years[0].high.patient == D(800)
    none = price_therapy(therapy(), None, None, Profile())
    assert none.status is None and none.patient_total is None
    assert none.cash_total is not None and none.cash_total.max == D(800)


def test_several_years_reset_the_deductible() -> None:
    # 3 years, deductible 500 met in year 1.
    # year 1: d = 0 → low 0.2 × 200 = 40, high 0.2 × 800 = 160.
    # years 2–3 (1–2 units): low C 100 → all deductible → 100; high C 400 → all deductible → 400.
    # total: low 40 + 100 + 100 = 240; high 160 + 400 + 400 = 960.
    r = price_therapy(therapy(), payer(), rule(), profile(deductible_met=D(500), years=3))
    assert [y.patient.max for y in r.years] == [D(160), D(400), D(400)]
    assert r.patient_total is not None
    assert (r.patient_total.min, r.patient_total.max) == (D(240), D(960))
    # cash: 200 + 100 + 100 = 400 and 800 + 400 + 400 = 1600.
    assert r.cash_total is not None and (r.cash_total.min, r.cash_total.max) == (D(400), D(1600))
    assert [c.max for c in r.cumulative_patient()] == [D(160), D(560), D(960)]


def test_not_for_sale() -> None:
    r = price_therapy(therapy(price=None), payer(), None, profile())
    assert r.basis is Basis.NOT_SOLD and r.cash_total is None and r.patient_total is None


def test_money_is_exact() -> None:
    # 3 × 33.33 × 0.1 = 9.999, no float drift.
    split = plan_share(units=D(3), per_unit=D("33.33"), terms=terms(D(0), D("0.1")))
    assert split.patient == D("9.999")


# --- properties -----------------------------------------------------------------------------


def terms(
    deductible: D, coinsurance: D, cap: D | None = None, copay: D | None = None
) -> BenefitTerms:
    return BenefitTerms(deductible, coinsurance, cap, copay, False)


money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)
shares = st.decimals(min_value=0, max_value=1, places=2, allow_nan=False)
units = st.decimals(min_value=0, max_value=50, places=0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(
    units_=units,
    per_unit=money,
    deductible=money,
    coinsurance=shares,
    cap=st.none() | money,
    met=money,
    spent=money,
    more=money,
    copay=st.none() | money,
)
def test_share_invariants(
    units_: D,
    per_unit: D,
    deductible: D,
    coinsurance: D,
    cap: D | None,
    met: D,
    spent: D,
    more: D,
    copay: D | None,
) -> None:
    plan = terms(deductible, coinsurance, cap, copay)

    def share(met: D, spent: D) -> D:
        return plan_share(
            units=units_, per_unit=per_unit, terms=plan, deductible_met=met, oop_met=spent
        ).patient

    split = plan_share(
        units=units_, per_unit=per_unit, terms=plan, deductible_met=met, oop_met=spent
    )
    # Never more than the yearly cost C, never negative.
    assert 0 <= split.patient <= split.cost
    # The cap is never exceeded for covered care.
    if cap is not None:
        assert split.patient <= max(D(0), cap - spent)
    # Having met more of the deductible or the cap never raises the share.
    assert share(met + more, spent) <= split.patient
    assert share(met, spent + more) <= split.patient


@settings(max_examples=150, deadline=None)
@given(
    price_lo=st.integers(0, 5000),
    spread=st.integers(0, 5000),
    u_lo=st.integers(0, 6),
    u_spread=st.integers(0, 6),
    deductible=st.integers(0, 3000),
    coinsurance=st.sampled_from([0, 0.1, 0.2, 0.25, 0.5, 1]),
    oop_max=st.none() | st.integers(3000, 20000),
    status=st.sampled_from(["covered", "prior_auth", "not_covered", "investigational", None]),
    years=st.integers(1, 8),
    met=st.integers(0, 5000),
)
def test_result_invariants(
    price_lo: int,
    spread: int,
    u_lo: int,
    u_spread: int,
    deductible: int,
    coinsurance: float,
    oop_max: int | None,
    status: str | None,
    years: int,
    met: int,
) -> None:
    t = therapy(
        price=(price_lo, price_lo + spread),
        first=(u_lo, u_lo + u_spread),
        later=(u_lo, u_lo + u_spread),
    )
    p = payer(deductible=deductible, coinsurance=coinsurance, oop_max=oop_max)
    r = price_therapy(
        t,
        p,
        rule(status) if status else None,
        profile(years=years, deductible_met=D(met), oop_met=D(met)),
    )
    total = r.patient_total
    assert total is not None and r.cash_total is not None
    # min ≤ max, for every year and for the total.
    assert total.min <= total.max
    assert all(y.patient.min <= y.patient.max for y in r.years)
    # A Y-year total equals the sum of its years.
    assert total.max == sum((y.patient.max for y in r.years), D(0))
    assert total.min == sum((y.patient.min for y in r.years), D(0))
    # The patient never pays more than the yearly cost (covered care is at most the cash cost).
    for y in r.years:
        assert y.patient.max <= y.cost.max
    # The cap is never exceeded for covered care.
    if r.basis is Basis.PLAN and oop_max is not None:
        assert all(y.patient.max <= oop_max for y in r.years)


def test_price_unknown_shows_no_figure() -> None:
    t = therapy(price=None, regulatory="otc", price_unknown="No verified price.")
    r = price_therapy(t, payer(), rule(), profile())
    assert r.basis is Basis.NO_PRICE and r.cash_total is None and r.patient_total is None
    assert "Price unknown" in r.reason


@settings(max_examples=150, deadline=None)
@given(
    low=money,
    spread=money,
    typical_at=st.decimals(min_value=0, max_value=1, places=2),
    deductible=money,
    coinsurance=shares,
    cap=st.none() | money,
    per_unit_cap=st.none() | money,
    met=money,
    years=st.integers(min_value=1, max_value=4),
    known=st.booleans(),
)
def test_typical_lies_inside_and_unknown_spans_both_outcomes(
    low: D,
    spread: D,
    typical_at: D,
    deductible: D,
    coinsurance: D,
    cap: D | None,
    per_unit_cap: D | None,
    met: D,
    years: int,
    known: bool,
) -> None:
    high = low + spread
    typical = (low + spread * typical_at).quantize(D("0.01"))
    priced = Therapy.model_validate(
        {
            **therapy().model_dump(),
            "price": {"min": low, "typical": typical, "max": high, "unit": "injection"},
        }
    )
    plan = payer(deductible=float(deductible), coinsurance=float(coinsurance))
    if cap is not None and cap >= deductible:
        plan = plan.model_copy(update={"oop_max": cap})
    extra = {} if per_unit_cap is None else {"max_per_unit": per_unit_cap}
    r = price_therapy(
        priced, plan, rule(**extra) if known else None, profile(deductible_met=met, years=years)
    )
    total = r.patient_total
    assert total is not None and total.min <= total.central <= total.max
    if known:
        assert total.typical is not None
    else:
        # Both outcomes kept; the span runs from the covered low to the cash high.
        covered, cash = r.total_if_covered, r.total_if_not_covered
        assert covered is not None and cash is not None
        assert total.min == covered.min <= cash.min and total.max == cash.max
        assert total.typical is None


def test_max_per_unit_caps_the_copayment_and_the_deductible_comes_on_top() -> None:
    # Medicare-like: 10,000 allowed, deductible 283 not met, 20%; the copayment is capped
    # at 1,736 per unit. 283 + min(0.2 × 9,717 = 1,943.40, 1,736) = 2,019.
    capped = rule(allowed={"min": 10000, "max": 10000}, max_per_unit=1736)
    r = price_therapy(therapy(first=(1, 1)), payer(deductible=283), capped, profile())
    split = r.years[0].high
    assert split.deductible_part == D(283) and split.patient == D(2019)
    assert split.unit_cap_saving == D("207.40")


def test_a_rule_silent_about_the_condition_is_unknown_not_cash() -> None:
    # Covered for "knee" only, silent about "back": the back patient's figure spans the
    # rule's terms (deductible met → 20% of 100–800 = 20–160) to cash (200–800).
    silent = rule(conditions=["knee"], other_conditions="unknown")
    r = price_therapy(therapy(), payer(), silent, profile(condition="back", deductible_met=D(500)))
    assert r.status is Status.UNKNOWN and r.basis is Basis.UNKNOWN and r.rule is silent
    assert r.patient_total is not None
    assert (r.patient_total.min, r.patient_total.max) == (D(40), D(800))
    assert "says nothing of yours" in r.reason
    excluded = rule(conditions=["knee"])  # the default: other conditions are not covered
    cash = price_therapy(therapy(), payer(), excluded, profile(condition="back"))
    assert cash.basis is Basis.CASH and cash.status is Status.COVERED


def test_a_rule_for_other_conditions_is_labelled_so_even_without_a_price() -> None:
    # Trials-only (no price) and covered only for "knee": a back patient must not read
    # "✓ covered" just because there is no figure to price.
    from regen_compare.model import vocabulary as labels
    from regen_compare.present import figures

    r = price_therapy(
        therapy(price=None), payer(), rule(conditions=["knee"]), profile(condition="back")
    )
    assert r.basis is Basis.NOT_SOLD and not r.in_scope
    assert figures.coverage_label(r) == labels.NOT_FOR_CONDITION
    inside = price_therapy(
        therapy(price=None), payer(), rule(conditions=["knee"]), profile(condition="knee")
    )
    assert figures.coverage_label(inside) == labels.STATUS[Status.COVERED]


_amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False)


@st.composite
def _ranges(draw: st.DrawFn) -> Range:
    low, high = sorted((draw(_amounts), draw(_amounts)))
    typical = draw(st.none() | st.decimals(min_value=low, max_value=high, places=3))
    return Range(low, high, typical)


@given(st.lists(_ranges(), max_size=30))
def test_summing_ranges_gives_the_fold_to_the_digit(ranges: list[Range]) -> None:
    """`sum_of` (what pricing sums years with) is `Range.zero() + a + b + …`: same values,
    and the same digits (`str`), since exports print the exact figures."""
    folded = Range.zero()
    for value in ranges:
        folded = folded + value
    summed = sum_of((r.min, r.max, r.typical) for r in ranges)
    assert summed == folded
    assert (str(summed.min), str(summed.max), str(summed.typical)) == (
        str(folded.min),
        str(folded.max),
        str(folded.typical),
    )


def test_a_year_shares_the_cost_of_the_year_before_only_when_made_of_the_same_splits() -> None:
    """`_by_year` repeats year 2's splits for later years; any other year gets its own range."""
    from regen_compare.engine import costs

    def split(amount: str) -> YearSplit:
        value = D(amount)
        return YearSplit(D(1), value, value, D(0), D(0), D(0), D(0), value)

    low, high = split("100"), split("300")
    later = YearCost(2, low, high, split("200"))
    years = [
        YearCost(1, split("100"), split("300"), split("200")),  # equal, not the same splits
        later,
        YearCost(3, later.low, later.high, later.typical),  # the same splits: shared
        YearCost(4, later.low, later.high, split("250")),  # another typical figure
        YearCost(5, later.low, later.high, None),  # no typical figure
    ]
    found = costs._year_costs(years)
    assert list(found) == [y.cost for y in years]
    assert found[2] is found[1]
    assert found[0] is not found[1] and found[3] is not found[2] and found[4] is not found[3]
    assert found[3].typical == D("250") and found[4].typical is None
