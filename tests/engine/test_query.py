"""Filters and sorts shared by the CLI and the TUI."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import SORT_KEYS, Filters, build_rows, filter_rows, sort_rows
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Category, Invasiveness


@pytest.fixture
def catalog(small_data: Path, today: object) -> Catalog:
    return load_catalog(small_data, today=today).catalog  # type: ignore[arg-type]


def ids(rows: list) -> list[str]:  # type: ignore[type-arg]
    return [r.id for r in rows]


def test_condition_keeps_listed_therapies(catalog: Catalog) -> None:
    rows = build_rows(catalog, Profile(condition="tennis-elbow"))
    assert ids(filter_rows(rows, Filters(), "tennis-elbow")) == [
        "prp-injection",
        "physical-therapy",
    ]


def test_category_and_invasiveness(catalog: Catalog) -> None:
    rows = build_rows(catalog, Profile())
    assert ids(filter_rows(rows, Filters(category=Category.REGENERATIVE))) == [
        "prp-injection",
        "gene-therapy",
    ]
    assert ids(filter_rows(rows, Filters(max_invasiveness=Invasiveness.NON_INVASIVE))) == [
        "physical-therapy"
    ]


def test_max_patient_cost_uses_the_lowest_figure(catalog: Catalog) -> None:
    rows = build_rows(catalog, Profile(payer="medicare"))
    # Steroid: lowest 160 under Medicare (allowed 80 × 2, all deductible). PRP: cash from 500.
    kept = ids(filter_rows(rows, Filters(max_patient_cost=D(200))))
    assert kept == ["steroid-injection"]
    # Without a payer the cash cost counts: PRP from 500, steroid from 200.
    cash_rows = build_rows(catalog, Profile())
    assert ids(filter_rows(cash_rows, Filters(max_patient_cost=D(500)))) == [
        "prp-injection",
        "steroid-injection",
    ]


def test_max_downtime_and_covered_only(catalog: Catalog) -> None:
    rows = build_rows(catalog, Profile(payer="medicare", condition="knee-osteoarthritis"))
    assert "knee-replacement" not in ids(filter_rows(rows, Filters(max_downtime_days=D(5))))
    covered = ids(filter_rows(rows, Filters(covered_only=True), "knee-osteoarthritis"))
    assert covered == ["physical-therapy", "steroid-injection", "knee-replacement"]


def test_search_matches_names_ids_summaries_and_aliases(catalog: Catalog) -> None:
    rows = build_rows(catalog, Profile())
    assert ids(filter_rows(rows, Filters(search="TENNIS ELBOW"))) == [
        "prp-injection",
        "physical-therapy",
    ]
    assert ids(filter_rows(rows, Filters(search="platelets"))) == ["prp-injection"]
    assert ids(filter_rows(rows, Filters(search="steroid-inj"))) == ["steroid-injection"]
    assert filter_rows(rows, Filters(search="zzz")) == []


def test_search_matches_the_short_name_a_narrow_table_shows() -> None:
    """Bundled data: "Steroid (cortisone) shot" is what an 80-column table shows; "shot" is
    in no full name or summary of it, and still finds it."""
    from regen_compare.data.load import load_catalog

    bundled = load_catalog(Path(__file__).parents[2] / "data").catalog
    therapy = bundled.therapies["corticosteroid-joint-injection"]
    assert therapy.short_name is not None and "shot" in therapy.short_name
    assert "shot" not in (therapy.name + therapy.summary).casefold()
    found = ids(filter_rows(build_rows(bundled, Profile()), Filters(search="cortisone) shot")))
    assert found == ["corticosteroid-joint-injection"]


@pytest.mark.parametrize("key", sorted(SORT_KEYS))
def test_every_sort_key_is_total_and_reversible(catalog: Catalog, key: str) -> None:
    rows = build_rows(catalog, Profile(payer="medicare", years=3))
    up = sort_rows(rows, key)
    down = sort_rows(rows, key, descending=True)
    assert sorted(ids(up)) == sorted(ids(rows))
    assert set(ids(down)) == set(ids(up))


def test_sort_by_cost_puts_unsellable_last_and_ties_by_id(catalog: Catalog) -> None:
    rows = build_rows(catalog, Profile())
    # By the typical figure (midpoints here): steroid ≈$990 < PT ≈$1,800 < PRP ≈$3,000.
    assert ids(sort_rows(rows, "cost")) == [
        "steroid-injection",
        "physical-therapy",
        "prp-injection",
        "knee-replacement",
        "gene-therapy",
    ]
    assert ids(sort_rows(rows, "cost", descending=True))[-1] == "gene-therapy"
    # Equal invasiveness (prp, gene, steroid are all injections): ties by id.
    assert ids(sort_rows(rows, "invasiveness")) == [
        "physical-therapy",
        "gene-therapy",
        "prp-injection",
        "steroid-injection",
        "knee-replacement",
    ]
    assert ids(sort_rows(rows, "invasiveness", descending=True))[1:4] == [
        "gene-therapy",
        "prp-injection",
        "steroid-injection",
    ]


def test_filters_describe_themselves() -> None:
    text = Filters(category=Category.TRADITIONAL, covered_only=True, search=" knee ").describe()
    assert text == ["category: traditional", "covered only", "search: knee"]


@pytest.mark.parametrize("payer", [None, "medicare", "ppo"])
@pytest.mark.parametrize("years", [1, 5])
def test_sort_order_agrees_with_the_star(catalog: Catalog, payer: str | None, years: int) -> None:
    """The list's cheapest-first order and the side-by-side's ★ use one rule (the typical
    figure, else the midpoint): the first row of the sort is the one the ★ marks."""
    from regen_compare.present.comparison import comparison

    profile = Profile(payer=payer, years=years)
    key = "patient_cost" if payer else "cost"
    priced = [r for r in sort_rows(build_rows(catalog, profile), key) if r.your_cost is not None]
    line = next(
        ln for ln in comparison(priced, profile) if ln.key == ("patient_cost" if payer else "cost")
    )
    starred = [r.id for r, cell in zip(priced, line.cells, strict=True) if cell.best]
    assert starred and starred[0] == priced[0].id


def test_coverage_ranks_unknown_above_refused(catalog: Catalog) -> None:
    """Unknown may be covered; not covered, investigational or covered only for other
    conditions is refused: the ★ and the sort must never prefer a refusal to an unknown."""
    rows = build_rows(catalog, Profile(payer="medicare"))
    order = ids(sort_rows(rows, "coverage"))
    assert order.index("gene-therapy") < order.index("prp-injection")  # unknown < investig.
    covered = [r.id for r in rows if r.cost.covered]
    assert covered and all(order.index(c) < order.index("gene-therapy") for c in covered)
