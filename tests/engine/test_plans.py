"""How a plan's extra terms price a therapy, with the arithmetic written out: units the
patient sets, copays by kind of service, allowed amounts taken from another payer (Medicare
Advantage from Original Medicare), supplements (Medigap Plan G and N, Medicaid after Medicare),
and rules that vary between plans."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from test_costs import SOURCE, TODAY, payer, profile, rule, therapy

from regen_compare.engine.costs import (
    Basis,
    PlanContext,
    Profile,
    Status,
    UnitsChoice,
    price_catalog,
    price_therapy,
)
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Payer, Supplement


def supplement(**extra: object) -> Supplement:
    data: dict[str, object] = {
        "id": "gap",
        "name": "Gap",
        "supplements": ["p"],
        "pays_deductible": False,
        "pays_coinsurance": True,
        "as_of": TODAY,
        "sources": [SOURCE],
    }
    data.update(extra)
    return Supplement.model_validate(data)


# --- units set in the consult ------------------------------------------------------------------


def test_units_set_in_the_consult_replace_the_data_range() -> None:
    # Cash, no plan: the data says 2–4 this year and 1–2 later at $100–$200 each.
    # The patient expects 3 this year and 0 later: 3 × 100 = 300 to 3 × 200 = 600, then 0.
    chosen = Profile(years=2, units=(UnitsChoice("t", D(3), D(0)),))
    r = price_therapy(therapy(), None, None, chosen)
    assert [(y.min, y.max) for y in r.cash_years] == [(D(300), D(600)), (D(0), D(0))]
    data_range = price_therapy(therapy(), None, None, Profile(years=2))
    assert (data_range.cash_years[0].min, data_range.cash_years[0].max) == (D(200), D(800))


def test_units_for_this_year_only_keep_the_data_for_later_years() -> None:
    chosen = Profile(years=2, units=(UnitsChoice("t", D(1)),))
    r = price_therapy(therapy(), None, None, chosen)
    assert (r.cash_years[1].min, r.cash_years[1].max) == (D(100), D(400))  # data: 1–2 later


def test_units_out_of_range_and_twice_are_refused() -> None:
    with pytest.raises(ValueError):
        UnitsChoice("t", D(-1))
    with pytest.raises(ValueError):
        Profile(units=(UnitsChoice("t", D(1)), UnitsChoice("t", D(2))))


# --- copays by kind of service -------------------------------------------------------------------


def copay_plan(**extra: object) -> Payer:
    base = payer(deductible=0, coinsurance=0.2, oop_max=5900, kind="medicare_advantage")
    return base.model_copy(update={"copays": {"specialist_visit": D(40)}, **extra})


def test_a_plan_copay_for_the_kind_of_service_replaces_coinsurance() -> None:
    # 2–4 injections at a $40 specialist-visit copay each: 80 to 160.
    r = price_therapy(therapy(service="specialist_visit"), copay_plan(), rule(), profile())
    assert (r.years[0].low.patient, r.years[0].high.patient) == (D(80), D(160))
    assert "$40 specialist-visit copay per injection" in r.reason
    assert r.terms is not None and r.terms.copay_for is not None


def test_a_rule_of_its_own_wins_over_the_plan_copay() -> None:
    own = price_therapy(
        therapy(service="specialist_visit"), copay_plan(), rule(coinsurance=0.5), profile()
    )
    assert own.years[0].low.patient == D(100)  # 2 × 100 × 0.5, not the copay
    other_kind = price_therapy(therapy(service="hospital_stay"), copay_plan(), rule(), profile())
    assert other_kind.years[0].low.patient == D(40)  # no copay for it: 200 × 20%


# --- allowed amounts from another payer -----------------------------------------------------------


def test_a_plan_prices_from_the_allowed_amount_it_borrows() -> None:
    # Original Medicare allows $60–$80 an injection; the plan's rule has no amount of its own.
    # 2 × 60 × 20% = 24 to 4 × 80 × 20% = 64 (not the $100–$200 cash price).
    medicare_rule = rule(allowed={"min": 60, "max": 80})
    context = PlanContext(medicare_rule, "Original Medicare")
    r = price_therapy(therapy(), payer(deductible=0), rule(), profile(), context=context)
    assert (r.years[0].low.patient, r.years[0].high.patient) == (D(24), D(64))
    assert "Original Medicare's allowed amounts" in r.reason
    own = price_therapy(
        therapy(), payer(deductible=0), rule(allowed={"min": 50, "max": 50}), profile(),
        context=context,
    )  # fmt: skip
    assert own.years[0].low.patient == D(20)  # its own amount wins: 2 × 50 × 20%


def test_the_catalog_lends_the_base_payers_amount_and_moves_it_by_region() -> None:
    medicare = payer(deductible=0, kind="medicare").model_copy(
        update={"id": "m", "name": "Medicare", "coverage": (rule(allowed={"min": 60, "max": 80}),)}
    )
    advantage = payer(deductible=0, kind="medicare_advantage").model_copy(
        update={"allowed_from": "m", "coverage": (rule(),)}
    )
    catalog = Catalog.build([], [therapy()], [medicare, advantage])
    plain = price_catalog(catalog, profile())["t"]
    assert plain.years[0].low.patient == D(24)

    def doubled(found, owner):  # type: ignore[no-untyped-def]
        if found is None or owner.id != "m" or found.allowed is None:
            return found
        return found.model_copy(
            update={"allowed": found.allowed.model_copy(update={"min": D(120)})}
        )

    moved = price_catalog(catalog, profile(), doubled)["t"]
    assert moved.years[0].low.patient == D(48)  # 2 × 120 × 20%: the region moved Medicare's


# --- supplements ------------------------------------------------------------------------------


def test_plan_g_leaves_only_the_deductible() -> None:
    # Deductible $283 not met; 2 units × $100 = 200 → all of it is deductible: 200.
    # 4 units × $200 = 800 → 283 deductible + 517 × 20% = 103.40 coinsurance; G pays that.
    medicare = payer(deductible=283, coinsurance=0.2, kind="medicare")
    context = PlanContext(supplement=supplement())
    r = price_therapy(therapy(), medicare, rule(), profile(), context=context)
    assert (r.years[0].low.patient, r.years[0].high.patient) == (D(200), D(283))
    assert r.years[0].high.supplement_saving == D("103.4")
    assert "then Gap pays the coinsurance and copays" in r.reason


def test_plan_n_keeps_up_to_a_copay_per_office_visit() -> None:
    # Deductible met. 4 visits × $200: coinsurance 4 × 40 = 160; Plan N leaves up to $20 a
    # visit: 4 × 20 = 80. 2 visits × $100: coinsurance 2 × 20 = 40, at most 2 × 20: 40.
    n = supplement(keeps_copay={"specialist_visit": 20})
    medicare = payer(deductible=283, coinsurance=0.2, kind="medicare")
    r = price_therapy(
        therapy(service="specialist_visit"), medicare, rule(),
        profile(deductible_met=D(283)), context=PlanContext(supplement=n),
    )  # fmt: skip
    assert (r.years[0].low.patient, r.years[0].high.patient) == (D(40), D(80))


def test_medicaid_after_medicare_pays_everything_it_covers() -> None:
    both = supplement(pays_deductible=True)
    medicare = payer(deductible=283, coinsurance=0.2, kind="medicare")
    r = price_therapy(therapy(), medicare, rule(), profile(), context=PlanContext(supplement=both))
    assert r.patient_total is not None and r.patient_total.max == D(0)


def test_a_supplement_pays_nothing_toward_care_the_plan_does_not_cover() -> None:
    medicare = payer(deductible=283, coinsurance=0.2, kind="medicare")
    context = PlanContext(supplement=supplement(pays_deductible=True))
    r = price_therapy(therapy(), medicare, rule("not_covered"), profile(), context=context)
    assert r.basis is Basis.CASH and r.patient_total is not None
    assert r.patient_total.min == D(200)


def test_a_supplement_never_pays_a_separate_benefit() -> None:
    drug_plan = rule(deductible=615, oop_max=2100)
    medicare = payer(deductible=283, coinsurance=0.2, kind="medicare")
    context = PlanContext(supplement=supplement(pays_deductible=True))
    r = price_therapy(therapy(), medicare, drug_plan, profile(), context=context)
    assert r.years[0].low.supplement_saving == D(0)
    assert r.years[0].low.patient == D(200)  # 2 × 100, all within the drug plan's deductible


def test_the_catalog_applies_a_supplement_only_after_the_plans_it_supplements() -> None:
    medicare = payer(deductible=283, coinsurance=0.2, kind="medicare")
    catalog = Catalog.build(
        [], [therapy()], [medicare.model_copy(update={"coverage": (rule(),)})],
        supplements=[supplement(pays_deductible=True)],
    )  # fmt: skip
    paid = price_catalog(catalog, profile(supplement="gap"))["t"]
    assert paid.patient_total is not None and paid.patient_total.max == D(0)
    other = supplement(pays_deductible=True, supplements=["someone-else"])
    catalog = Catalog.build(
        [], [therapy()], [medicare.model_copy(update={"coverage": (rule(),)})],
        supplements=[other],
    )  # fmt: skip
    unpaid = price_catalog(catalog, profile(supplement="gap"))["t"]
    assert unpaid.patient_total is not None and unpaid.patient_total.max > 0


# --- rules that vary between plans --------------------------------------------------------------


def test_a_rule_that_varies_spans_both_outcomes_and_says_why() -> None:
    varies = rule("prior_auth", varies="Some insurers stopped covering it in 2026.")
    r = price_therapy(therapy(), payer(deductible=0), varies, profile())
    assert r.status is Status.UNKNOWN and r.basis is Basis.UNKNOWN
    assert r.patient_total is not None
    assert (r.patient_total.min, r.patient_total.max) == (D(40), D(800))  # 20% of 200 … cash
    assert "Plans differ: Some insurers stopped covering it in 2026." in r.reason


def test_a_varying_rule_for_another_condition_is_not_shown_as_unknown_beside_cash() -> None:
    # The rule covers "back" only (and plans differ there); the patient has knee pain: the
    # plan does not pay, so the figure is cash and the status is the rule's, never "? unknown"
    # beside a plain cash figure.
    varies = rule("covered", varies="Plans differ.", conditions=["back"])
    r = price_therapy(therapy(), payer(deductible=0), varies, profile(condition="knee"))
    assert r.basis is Basis.CASH and r.status is Status.COVERED and not r.in_scope
    on_back = price_therapy(therapy(), payer(deductible=0), varies, profile(condition="back"))
    assert on_back.status is Status.UNKNOWN and on_back.basis is Basis.UNKNOWN


def test_varies_needs_the_terms_of_the_plans_that_cover_it() -> None:
    with pytest.raises(ValueError, match="varies"):
        rule("not_covered", varies="x")


# --- which units the figures count, and whether they rest on an assumption ---------------------


def test_units_in_effect_say_whose_number_each_year_is_and_the_result_is_marked() -> None:
    from regen_compare.engine.costs import rests_on_assumption, units_in_effect

    later_assumed = therapy(
        assumptions=[{"figure": "units.later_years", "reason": "No source gives a repeat rate."}]
    )
    one_year, three_years = Profile(years=1), Profile(years=3)
    units = units_in_effect(later_assumed, three_years)
    assert (units.first_year.min, units.first_year.max, units.first_year.assumed) == (2, 4, False)
    assert (units.later_years.min, units.later_years.max, units.later_years.assumed) == (1, 2, True)
    # The later years' assumption matters only with a horizon past this year.
    assert not rests_on_assumption(later_assumed, one_year)
    assert rests_on_assumption(later_assumed, three_years)
    assert price_therapy(later_assumed, None, None, three_years).assumed
    assert not price_therapy(later_assumed, None, None, one_year).assumed
    # This year set in the consult, later years left to the data: still the assumption.
    this_year_only = Profile(years=3, units=(UnitsChoice("t", D(3)),))
    units = units_in_effect(later_assumed, this_year_only)
    assert units.first_year.set_in_consult and (units.first_year.min, units.first_year.max) == (
        3,
        3,
    )
    assert not units.later_years.set_in_consult and units.later_years.assumed
    assert rests_on_assumption(later_assumed, this_year_only)
    # Both set: the patient's own numbers, no assumption left.
    both = Profile(years=3, units=(UnitsChoice("t", D(3), D(1)),))
    assert not rests_on_assumption(later_assumed, both)
    assert not price_therapy(later_assumed, None, None, both).assumed
    # An assumed price is an assumption whatever the units.
    priced = therapy(assumptions=[{"figure": "price", "reason": "No source gives a price."}])
    assert price_therapy(priced, None, None, both).assumed
