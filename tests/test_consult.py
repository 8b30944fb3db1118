"""The consult's state and actions without a screen (`regen_compare.consult`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from regen_compare import consult as consult_mod
from regen_compare.consult import MAX_MARKS, Change, Consult, Priced, Session, price
from regen_compare.data.load import load_catalog
from regen_compare.data.regions import RegionSet, load_regions
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import BALANCED, Weights
from regen_compare.engine.query import Filters, Row, sort_rows
from regen_compare.model.catalog import Catalog

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "tests" / "fixtures" / "small"
TODAY = date(2026, 12, 7)
KNEE = "knee-osteoarthritis"
COST_ONLY = Weights(cost=3, recovery=0, invasiveness=0, evidence=0, safety=0)


@cache
def catalog() -> Catalog:
    return load_catalog(SMALL, today=TODAY).catalog


@cache
def regions() -> RegionSet:
    return load_regions(REPO / "data" / "regions.toml", today=TODAY)


def loaded(session: Session | None = None, *, with_regions: bool = True) -> Consult:
    c = Consult(session)
    c.load(catalog(), regions() if with_regions else None)
    return c


def heard(c: Consult) -> list[Change]:
    changes: list[Change] = []
    c._listener = changes.append
    return changes


def test_load_reports_the_data_change_and_prices_every_therapy() -> None:
    changes: list[Change] = []
    c = Consult(on_change=changes.append)
    c.load(catalog())
    assert changes == [Change(data=True)]
    assert {r.id for r in c.rows} == set(catalog().therapies)
    assert all(r.fit is None for r in c.rows)  # nobody asked what matters: no fit


def test_the_fit_is_scored_once_the_patient_says_what_matters() -> None:
    """Not before: a fit nobody asked for is never computed, shown or sorted by. Saying the
    balanced weights are right is an answer too (same weights, now scored)."""
    c = Consult()
    c.load(catalog())
    c.set_sort("fit")
    assert len(c.visible_rows()) == len(c.rows)  # sorting by no fit loses no row
    c.set_weights(BALANCED)
    assert all(r.fit is not None for r in c.rows)
    middles = [sum(r.fit) for r in c.visible_rows() if r.fit and None not in r.fit]
    assert middles == sorted(middles, reverse=True) and len(set(middles)) > 1


def test_load_drops_what_the_data_no_longer_has() -> None:
    session = Session(
        Profile(condition="gone", payer="nobody", region="ZZ"),
        marks=("physical-therapy", "removed-therapy"),
    )
    c = Consult(session)
    fixes = c.load(catalog(), regions())
    assert fixes == ["condition 'gone'", "payer 'nobody'", "region 'ZZ'"]
    assert c.session.profile == Profile()
    assert c.session.marks == ("physical-therapy",)


def test_a_supplement_and_units_the_data_no_longer_allows_are_dropped_and_named() -> None:
    """The small data has no supplements and no therapy 'removed-therapy': a supplement
    saved or set before cannot pay after this plan, and units for a removed therapy go."""
    from regen_compare.engine.costs import UnitsChoice

    kept = UnitsChoice("physical-therapy", Decimal(6))
    profile = Profile(
        payer="medicare",
        supplement="medigap-g",
        units=(kept, UnitsChoice("removed-therapy", Decimal(2))),
    )
    c = Consult(Session(profile))
    assert c.load(catalog(), regions()) == [
        "supplement 'medigap-g'",
        "the units set for 'removed-therapy'",
    ]
    assert c.session.profile == Profile(payer="medicare", units=(kept,))


def test_a_region_without_regions_data_is_dropped_not_an_error() -> None:
    c = Consult(Session(Profile(payer="medicare", region="CA")))
    assert c.load(catalog(), None) == ["region 'CA'"]
    assert c.session.profile.region is None


def test_changing_the_profile_reprices() -> None:
    c = loaded()
    assert all(r.cost.status is None for r in c.rows)  # no plan: cash prices
    c.set_payer("medicare")
    assert all(r.cost.status is not None for r in c.rows)


def test_changing_only_the_weights_rescores_without_repricing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c = loaded(Session(Profile(payer="medicare")))
    costs = {r.id: r.cost for r in c.rows}
    old_fit = {r.id: r.fit for r in c.rows}

    def no_pricing(*args: object, **kwargs: object) -> None:
        raise AssertionError("repriced for a weights change")

    monkeypatch.setattr(consult_mod, "build_rows", no_pricing)
    c.set_weights(Weights(cost=3, recovery=0, invasiveness=0, evidence=0, safety=0))
    assert {r.id: r.cost for r in c.rows} == costs  # the same priced costs, re-scored
    assert {r.id: r.fit for r in c.rows} != old_fit
    c.set_weights(Weights(0, 0, 0, 0, 0, 0))
    assert all(r.fit == (None, None) for r in c.rows)


def test_the_region_reaches_the_medicare_figures() -> None:
    c = loaded(Session(Profile(payer="medicare", condition=KNEE)))
    national = {r.id: r.cost.patient_total for r in c.rows}
    assert c.set_region("ak") is None
    assert c.session.profile.region == "AK"
    regional = {r.id: r.cost.patient_total for r in c.rows}
    assert regional != national  # Alaska's adjustment is above 1
    assert c.set_region("ZZ") == "Unknown region 'ZZ'."
    assert c.session.profile.region == "AK"


def test_no_regions_data_refuses_a_region_with_a_sentence() -> None:
    c = loaded(with_regions=False)
    assert c.set_region("CA") is not None
    assert c.session.profile.region is None


def test_price_ignores_a_region_the_regions_data_lacks() -> None:
    rows = price(catalog(), Profile(payer="medicare", region="CA"), BALANCED, None)
    assert rows == price(catalog(), Profile(payer="medicare"), BALANCED, None)
    assert price(None, Profile(), BALANCED) == []


def test_rows_priced_off_the_loop_are_used_only_for_the_current_profile() -> None:
    stale = Priced(Profile(payer="ppo"), None, [])
    c = Consult(Session(Profile(payer="medicare")))
    c.load(catalog(), None, stale)
    assert c.rows  # priced again: the ready rows were for another plan
    ready = price(catalog(), Profile(payer="medicare"), None)
    c2 = Consult(Session(Profile(payer="medicare")))
    c2.load(catalog(), None, Priced(Profile(payer="medicare"), None, ready))
    assert c2.rows is ready
    scored = Priced(Profile(payer="medicare"), BALANCED, ready)  # scored, but nobody asked
    c3 = Consult(Session(Profile(payer="medicare")))
    c3.load(catalog(), None, scored)
    assert c3.rows is not ready


def test_an_unchanged_session_is_not_reported() -> None:
    c = loaded()
    changes = heard(c)
    c.set_filters(c.session.filters)
    assert changes == []
    c.set_search("plat")
    assert changes == [Change("search")]


def test_sort_again_reverses_and_next_sort_walks_the_columns() -> None:
    c = loaded()
    c.set_sort("patient_cost")
    assert (c.session.sort_key, c.session.descending) == ("patient_cost", False)
    c.set_sort("patient_cost")
    assert c.session.descending
    c.next_sort(["name", "patient_cost", "patient_cost", "coverage"])
    assert (c.session.sort_key, c.session.descending) == ("coverage", False)
    c.next_sort(["name", "coverage"])
    assert c.session.sort_key == "name"
    c.reverse_sort()
    assert c.session.descending
    names = [r.therapy.name.casefold() for r in c.visible_rows()]
    assert names == sorted(names, reverse=True)


def test_a_sort_works_its_values_out_once_per_pricing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reversing a sort (or coming back to a column) reuses the values; new prices bring
    new values, never the old rows."""
    from regen_compare.engine import query

    worked_out: list[str] = []
    real = query.keyed_rows

    def counted(rows: list[Row], key: str) -> query.Keyed:
        worked_out.append(key)
        return real(rows, key)

    monkeypatch.setattr(consult_mod, "keyed_rows", counted)
    c = loaded(Session(profile=Profile(payer="medicare")))
    c.set_sort("patient_cost")
    c.visible_rows()
    c.reverse_sort()
    descending = c.visible_rows()
    assert descending == sort_rows(c.rows, "patient_cost", descending=True)
    assert worked_out == ["patient_cost"]
    c.set_payer("ppo")  # new prices
    again = c.visible_rows()
    assert worked_out == ["patient_cost", "patient_cost"]
    assert again == sort_rows(c.rows, "patient_cost", descending=True)
    assert all(any(r is row for row in c.rows) for r in again)


def test_visible_rows_follow_the_filters_and_the_condition() -> None:
    c = loaded()
    assert len(c.visible_rows()) == len(catalog().therapies)
    c.set_condition("tennis-elbow")
    assert {r.id for r in c.visible_rows()} == {
        t for t, th in catalog().therapies.items() if "tennis-elbow" in th.conditions
    }
    c.set_condition(None)
    c.set_search("platelet")
    assert [r.id for r in c.visible_rows()] == ["prp-injection"]


def test_marks_stop_at_four_with_a_sentence() -> None:
    c = loaded()
    ids = list(catalog().therapies)
    for tid in ids[:MAX_MARKS]:
        assert c.toggle_mark(tid) is None
    refused = c.toggle_mark(ids[MAX_MARKS])
    assert refused is not None and "At most 4" in refused
    assert c.session.marks == tuple(ids[:MAX_MARKS])
    assert [r.id for r in c.marked_rows()] == ids[:MAX_MARKS]
    c.toggle_mark(ids[0])
    assert c.session.marks == tuple(ids[1:MAX_MARKS])
    c.clear_marks()
    assert c.session.marks == ()


def test_usual_care_needs_a_condition() -> None:
    c = loaded()
    assert c.usual_care() == "Choose a condition first: usual care depends on it."
    assert Consult().usual_care() is None  # no data yet: nothing to say


def test_usual_care_names_what_it_added() -> None:
    c = loaded(Session(Profile(condition=KNEE)))
    message = c.usual_care()
    assert c.session.marks == ("physical-therapy", "steroid-injection", "knee-replacement")
    assert message is not None and message.startswith("Added usual care: ")
    assert "Left out" not in message
    assert c.usual_care() == "The usual care for this condition is already marked."


def test_usual_care_names_the_therapies_left_out() -> None:
    c = loaded(Session(Profile(condition=KNEE), marks=("prp-injection", "gene-therapy")))
    message = c.usual_care()
    assert message is not None
    names = catalog().therapies
    assert "Added usual care: " + names["physical-therapy"].name in message
    assert "Left out" in message and names["knee-replacement"].name in message
    assert len(c.session.marks) == MAX_MARKS


def test_usual_care_never_says_already_marked_and_left_out_at_once() -> None:
    marks = ("physical-therapy", "prp-injection", "gene-therapy", "steroid-injection")
    c = loaded(Session(Profile(condition=KNEE), marks=marks))
    message = c.usual_care()
    assert message is not None
    assert "already marked" not in message
    assert "Left out" in message and catalog().therapies["knee-replacement"].name in message


def test_clear_resets_everything_and_forgets_the_scenario_name() -> None:
    c = Consult(
        Session(
            Profile(condition=KNEE, payer="medicare", deductible_met=Decimal(10), years=3),
            Filters(search="x", covered_only=True),
            sort_key="coverage",
            descending=True,
            marks=("physical-therapy",),
            weights=Weights(cost=3),
        ),
        scenario_name="Knee",
    )
    c.load(catalog(), regions())
    changes = heard(c)
    c.clear()
    assert c.session == Session()
    assert c.scenario_name is None
    assert changes == [Change("clear")]


def test_open_scenario_applies_everything_and_old_files_get_balanced_weights() -> None:
    c = loaded(Session(weights=Weights(cost=0)))
    c.open_scenario(
        Profile(condition=KNEE, payer="medicare", region="CA"),
        Filters(covered_only=True),
        ["a", "b", "c", "d", "e"],
        None,
        name="Knee",
    )
    s = c.session
    assert s.profile.region == "CA" and s.filters.covered_only
    assert s.marks == ("a", "b", "c", "d")
    assert s.weights == BALANCED
    assert c.scenario_name == "Knee"
    c.open_scenario(Profile(), Filters(), (), Weights(cost=3))
    assert c.session.weights == Weights(cost=3)


def test_set_form_is_one_change() -> None:
    c = loaded()
    changes = heard(c)
    c.set_form(Profile(payer="ppo"), Filters(covered_only=True), Weights(safety=3), "panel")
    assert changes == [Change("panel")]
    assert c.session.weights == Weights(safety=3)


def test_the_constructor_keeps_at_most_four_marks() -> None:
    c = Consult(Session(marks=("a", "b", "c", "d", "e")))
    assert c.session.marks == ("a", "b", "c", "d")


def test_with_sort_is_pure() -> None:
    s = Session()
    assert s.with_sort("name") == replace(s, descending=True)
    assert s.with_sort("fit") == replace(s, sort_key="fit")


class LaterRunner:
    """A background runner that runs nothing until told (`finish`)."""

    def __init__(self) -> None:
        self.jobs: list[tuple[Callable[[], list[Row]], Callable[[list[Row]], bool]]] = []

    def __call__(self, compute: Callable[[], list[Row]], done: Callable[[list[Row]], bool]) -> None:
        self.jobs.append((compute, done))

    def finish(self, index: int) -> bool:
        compute, done = self.jobs[index]
        return done(compute())


def large_consult(monkeypatch: pytest.MonkeyPatch) -> tuple[Consult, LaterRunner]:
    """A Medicare consult on the small data, priced through a runner as large data is."""
    monkeypatch.setattr(consult_mod, "BACKGROUND_ROWS", 1)  # the small data counts as large
    runner = LaterRunner()
    c = Consult(Session(Profile(payer="medicare")), background=runner)
    c.load(catalog())
    return c, runner


def test_large_data_reprices_and_rescores_through_the_runner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(consult_mod, "BACKGROUND_ROWS", 1)  # the small data counts as large
    runner = LaterRunner()
    changes: list[Change] = []
    c = Consult(Session(Profile(payer="medicare")), on_change=changes.append, background=runner)
    c.load(catalog())
    before = c.rows
    c.set_weights(COST_ONLY, "panel")
    assert c.session.weights == COST_ONLY  # the form's value is taken at once
    assert c.rows is before and c.pending is not None  # the rows follow from the runner
    assert runner.finish(0)
    assert c.pending is None and c.rows is not before
    assert all(r.fit is not None for r in c.rows)
    assert changes[-2:] == [Change("panel"), Change("panel", priced=True)]


def test_asking_what_matters_while_a_plan_is_priced_keeps_the_plan_s_prices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Answering "what matters" (the same balanced weights) while a new plan's prices are on
    their way must not score the old plan's rows as the new plan's: it prices afresh."""
    c, runner = large_consult(monkeypatch)
    c.set_payer("self-pay")  # priced in the background: the rows on hand are Medicare's
    c.set_weights(c.session.weights)  # the balanced weights, now asked
    for index in range(len(runner.jobs)):
        runner.finish(index)
    assert c.pending is None and c.session.profile.payer == "self-pay"
    fresh = price(catalog(), c.session.profile, c.session.weights)
    assert [r.cost for r in c.rows] == [r.cost for r in fresh]
    assert all(r.fit is not None for r in c.rows)


def test_a_background_result_comes_in_the_session_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rows are put in the session's order off the loop, with the prices: showing them
    sorts nothing; a sort chosen while they were priced is still applied."""
    c, runner = large_consult(monkeypatch)
    c.set_sort("patient_cost")
    c.set_payer("ppo")
    c.set_payer("self-pay")
    overtaken = runner.jobs[0][0]()  # in the worker: for the PPO, no longer wanted
    rows = runner.jobs[1][0]()
    with monkeypatch.context() as patch:
        patch.setattr(consult_mod, "keyed_rows", _no_sorting)
        patch.setattr(consult_mod, "ordered", _no_sorting)
        assert runner.jobs[1][1](rows)  # on the loop
        expected = sort_rows(c.rows, "patient_cost", c.session.descending)
        assert c.sorted_rows() == expected
        assert not runner.jobs[0][1](overtaken)  # leaves the rows and their order alone
        assert c.sorted_rows() == expected
    with monkeypatch.context() as patch:
        patch.setattr(consult_mod, "keyed_rows", _no_sorting)
        c.reverse_sort()  # orders the values worked out off the loop: works none out here
        assert c.sorted_rows() == sort_rows(c.rows, "patient_cost", descending=True)
    c.set_payer("medicare")
    compute, done = runner.jobs[2]
    rows = compute()
    c.set_sort("name")  # while the worker priced
    assert done(rows)
    assert c.sorted_rows() == sort_rows(c.rows, "name", c.session.descending)


def _no_sorting(*args: object, **kwargs: object) -> list[Row]:
    raise AssertionError("sorted on the event loop")


def test_a_background_result_overtaken_by_a_newer_change_is_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    c, runner = large_consult(monkeypatch)
    c.set_payer("ppo")
    c.set_payer("self-pay")
    assert not runner.finish(0)  # for the PPO: no longer wanted
    assert c.pending is not None
    assert runner.finish(1)
    assert {r.cost.status is not None for r in c.rows} == {True}
    assert c.rows[0].cost == price(catalog(), Profile(payer="self-pay"), BALANCED)[0].cost


def test_small_data_never_waits_for_the_runner() -> None:
    runner = LaterRunner()
    c = Consult(Session(Profile(payer="medicare")), background=runner)
    c.load(catalog())
    c.set_weights(COST_ONLY)
    assert runner.jobs == [] and c.pending is None
