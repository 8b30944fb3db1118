"""The bundled coverage rules: Medicare figures agree with CMS, most cells have a rule, every
source names a specific page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import benefit_terms, plan_share
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Coverage, CoverageStatus, Payer, Therapy

REPO = Path(__file__).resolve().parents[2]
MEDICARE = "medicare-original"
TOLERANCE = Decimal("0.10")
PPL = "https://www.medicare.gov/procedure-price-lookup/cost/{}/"
BECKERS = (
    "https://www.beckersasc.com/orthopedics-tjr/asc-vs-hopd-costs-for-5-orthopedic-procedures/"
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "data").catalog


def _therapy(therapy_id: str) -> Therapy:
    return load_catalog(REPO / "data").catalog.therapies[therapy_id]


def _rule(payer: Payer, therapy: str) -> Coverage:
    matches = [rule for rule in payer.coverage if rule.therapy == therapy]
    assert len(matches) == 1, (payer.id, therapy)
    return matches[0]


def _one_unit_deductible_met(payer: Payer, rule: Coverage, bound: str) -> Decimal:
    """What the app charges the patient for one unit at the `min` or `max` allowed amount, with
    the year's deductible already met and nothing yet paid toward any yearly cap."""
    assert rule.allowed is not None, rule.therapy
    amount = rule.allowed.min if bound == "min" else rule.allowed.max
    terms = benefit_terms(payer, rule, _therapy(rule.therapy))
    split = plan_share(
        units=Decimal(1),
        per_unit=Decimal(amount),
        terms=terms,
        deductible_met=terms.deductible,
        max_per_unit=None if rule.max_per_unit is None else Decimal(rule.max_per_unit),
    )
    return split.patient


# (therapy, which allowed bound, CMS Procedure Price Lookup patient payment, setting, sources).
# The PPL figures are 2026 national averages with the Part B deductible met, as published by
# CMS and reported for these codes by Becker's ASC Review (2026-03-03).
PPL_FIGURES = [
    ("total-knee-replacement", "min", "2109", "27447 surgery center", (PPL.format(27447), BECKERS)),
    (
        "total-knee-replacement",
        "max",
        "1967",
        "27447 hospital outpatient",
        (PPL.format(27447), BECKERS),
    ),
    (
        "lumbar-spinal-fusion",
        "min",
        "2038",
        "22630 hospital outpatient",
        (PPL.format(22630), BECKERS),
    ),
    (
        "lumbar-spinal-fusion",
        "max",
        "2076",
        "22633 hospital outpatient",
        (PPL.format(22633), BECKERS),
    ),
    ("tendon-repair-surgery", "min", "891", "23410 surgery center", (PPL.format(23410), BECKERS)),
    (
        "tendon-repair-surgery",
        "max",
        "1634",
        "23410 hospital outpatient",
        (PPL.format(23410), BECKERS),
    ),
]


@pytest.mark.parametrize(
    ("therapy", "bound", "ppl", "setting", "urls"),
    PPL_FIGURES,
    ids=[f"{t}-{s}" for t, _, _, s, _ in PPL_FIGURES],
)
def test_medicare_patient_figure_agrees_with_procedure_price_lookup(
    catalog: Catalog, therapy: str, bound: str, ppl: str, setting: str, urls: tuple[str, ...]
) -> None:
    payer = catalog.payers[MEDICARE]
    rule = _rule(payer, therapy)
    app = _one_unit_deductible_met(payer, rule, bound)
    expected = Decimal(ppl)
    assert abs(app - expected) <= expected * TOLERANCE, (therapy, setting, app, expected)
    cited = {source.url for source in rule.sources}
    assert set(urls) <= cited, (therapy, set(urls) - cited)


# CPT 20610 (large-joint injection): PPL's patient figure was not captured, so the check is
# against the 2026 fee schedule components the rule cites: $68.81 in an office; $39.75 for the
# doctor plus $313.60 for a hospital outpatient department. 20% of each total.
FEE_SCHEDULE_FIGURES = [
    ("corticosteroid-joint-injection", "min", "13.76", "20610 office"),
    ("corticosteroid-joint-injection", "max", "70.67", "20610 hospital outpatient"),
]


@pytest.mark.parametrize(("therapy", "bound", "figure", "setting"), FEE_SCHEDULE_FIGURES)
def test_medicare_injection_figure_agrees_with_fee_schedule(
    catalog: Catalog, therapy: str, bound: str, figure: str, setting: str
) -> None:
    payer = catalog.payers[MEDICARE]
    rule = _rule(payer, therapy)
    app = _one_unit_deductible_met(payer, rule, bound)
    expected = Decimal(figure)
    assert abs(app - expected) <= expected * TOLERANCE, (therapy, setting, app, expected)
    assert "https://immedicaresolutions.com/wiki/20610" in {s.url for s in rule.sources}


def test_knee_arthroscopy_is_covered_by_medicare_except_for_the_arthritic_knee(
    catalog: Catalog,
) -> None:
    for payer_id in (MEDICARE, "medicare-advantage-typical"):
        rule = _rule(catalog.payers[payer_id], "knee-arthroscopy")
        assert rule.status is CoverageStatus.COVERED, payer_id
        assert rule.conditions, payer_id
        assert "knee-osteoarthritis" not in rule.conditions, payer_id


def test_most_therapy_payer_cells_have_a_rule(catalog: Catalog) -> None:
    therapies = [tid for tid in catalog.therapies if tid != "knee-oa-gene-therapy"]
    payers = [p for p in catalog.payers.values() if p.id != "self-pay"]
    cells = len(therapies) * len(payers)
    ruled = sum(1 for p in payers for rule in p.coverage if rule.therapy in therapies)
    assert ruled >= Decimal("0.70") * cells, f"{ruled} of {cells} cells have a rule"


def _is_home_page(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def test_home_page_check_itself() -> None:
    assert _is_home_page("https://www.medicare.gov/")
    assert _is_home_page("https://cost.sidecarhealth.com")
    assert not _is_home_page("https://claimmaxrcm.com/?p=5376")
    assert not _is_home_page(PPL.format(27447))


def test_no_payer_source_is_a_home_page(catalog: Catalog) -> None:
    for payer in catalog.payers.values():
        for source in payer.sources:
            assert not _is_home_page(str(source.url)), (payer.id, source.url)
        for rule in payer.coverage:
            for source in rule.sources:
                assert not _is_home_page(str(source.url)), (payer.id, rule.therapy, source.url)
