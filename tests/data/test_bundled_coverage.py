"""The bundled coverage rules: Medicare figures agree with CMS, most cells have a rule, every
source names a specific page."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import (
    Basis,
    CostResult,
    Profile,
    Status,
    benefit_terms,
    plan_share,
    price_catalog,
)
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


# --- coverage reviewed against 2025-26 policy (issue 27) ----------------------------------------

COMMERCIAL = ("employer-ppo-typical", "hdhp-2026", "aca-marketplace-2026")
BCBSIL_2026 = (
    "https://eauth.bcbsil.com/provider/education/education-reference/news/2025/"
    "9-23-2025-member-benefit-coverage-for-viscosupplementation"
)


def _priced(
    catalog: Catalog, payer: str, condition: str, supplement: str | None = None
) -> dict[str, CostResult]:
    profile = Profile(condition=condition, payer=payer, supplement=supplement)
    return price_catalog(catalog, profile)


def test_hyaluronic_acid_on_commercial_plans_is_not_a_plain_prior_auth(catalog: Catalog) -> None:
    """BCBS Illinois ended the benefit on 1 Jan 2026 and Anthem does not pay, while Aetna and
    Cigna cover with criteria: the cell shows both outcomes with the reason."""
    for payer_id in COMMERCIAL:
        rule = _rule(catalog.payers[payer_id], "hyaluronic-acid-injection")
        assert rule.varies is not None and "Illinois" in rule.varies, payer_id
        assert rule.confidence is not None and rule.confidence.value == "low", payer_id
        assert BCBSIL_2026 in {s.url for s in rule.sources}, payer_id
        result = _priced(catalog, payer_id, "knee-osteoarthritis")["hyaluronic-acid-injection"]
        assert result.status is Status.UNKNOWN, payer_id
        assert result.if_covered and result.if_not_covered, payer_id


def test_knee_nerve_ablation_is_not_covered_on_commercial_plans(catalog: Catalog) -> None:
    """Aetna CPB 0673 lists genicular RFA as experimental; Anthem SURG.00142 and Blue plans as
    investigational. It was 'unknown' ('not addressed'): now the knee pays cash."""
    for payer_id in COMMERCIAL:
        rule = _rule(catalog.payers[payer_id], "radiofrequency-ablation")
        assert "knee-osteoarthritis" not in rule.conditions, payer_id
        assert rule.other_conditions == "not_covered", payer_id
        assert "0673" in (rule.policy or "") and "SURG.00142" in (rule.policy or ""), payer_id
        result = _priced(catalog, payer_id, "knee-osteoarthritis")["radiofrequency-ablation"]
        assert result.basis is Basis.CASH, payer_id


def test_medicare_prior_authorization_in_hospital_outpatient_departments(
    catalog: Catalog,
) -> None:
    """42 CFR 419.83: implanted spinal neurostimulators since 1 July 2021, facet joint
    interventions since 1 July 2023, in hospital outpatient departments."""
    medicare = catalog.payers[MEDICARE]
    for therapy in ("spinal-cord-stimulator", "radiofrequency-ablation"):
        rule = _rule(medicare, therapy)
        assert rule.status is CoverageStatus.PRIOR_AUTH, therapy
        assert "419.83" in (rule.policy or ""), therapy
        assert "hospital outpatient department" in (rule.notes or ""), therapy
    epidural = _rule(medicare, "epidural-steroid-injection")
    assert "WISeR" in (epidural.notes or "") and "L39240" not in (epidural.policy or "")


def test_medicare_stimulator_amounts_are_not_called_cms_figures(catalog: Catalog) -> None:
    rule = _rule(catalog.payers[MEDICARE], "spinal-cord-stimulator")
    assert rule.confidence is not None and rule.confidence.value == "low"
    assert "not CMS figures" in (rule.notes or "")


def test_medicare_does_not_cover_amniotic_or_placental_injections(catalog: Catalog) -> None:
    rule = _rule(catalog.payers[MEDICARE], "perinatal-allograft-injection")
    assert rule.status is CoverageStatus.NOT_COVERED
    assert all(lcd in (rule.policy or "") for lcd in ("L39877", "L39624", "L39116"))


def test_epidural_injections_for_back_pain_alone_are_not_covered_by_medicare(
    catalog: Catalog,
) -> None:
    result = _priced(catalog, MEDICARE, "chronic-low-back-pain")["epidural-steroid-injection"]
    assert result.basis is Basis.CASH


def test_medicare_advantage_prices_from_original_medicare_amounts(catalog: Catalog) -> None:
    """Medicare Advantage priced covered care at cash × 20% up to its $5,900 cap (knee
    replacement ≈ $5,900, against ≈ $2,251 under Original Medicare); it now takes Original
    Medicare's allowed amounts and the plan's copay."""
    advantage = catalog.payers["medicare-advantage-typical"]
    assert advantage.allowed_from == MEDICARE
    assert all(rule.allowed is None for rule in advantage.coverage)
    knee = _priced(catalog, advantage.id, "knee-osteoarthritis")["total-knee-replacement"]
    year = knee.years[0]
    assert year.high.per_unit == 14275  # Original Medicare's 2026 hospital outpatient total
    assert year.high.patient == 987  # the copay for a hospital stay, not 20% of $52,200
    assert "Original Medicare" in knee.reason


SUPPLEMENTS = {"medigap-g", "medigap-n", "medicaid-qmb"}


def test_supplements_after_original_medicare(catalog: Catalog) -> None:
    assert set(catalog.supplements) >= SUPPLEMENTS
    for sid in SUPPLEMENTS:
        supplement = catalog.supplements[sid]
        assert MEDICARE in supplement.supplements and supplement.sources, sid
    assert not catalog.supplements["medigap-g"].pays_deductible
    assert catalog.supplements["medicaid-qmb"].pays_deductible
    # Knee replacement under Original Medicare, nothing met yet: with Plan G only the Part B
    # deductible is left; in the QMB program nothing.
    for sid, expected in (("medigap-g", 283), ("medicaid-qmb", 0)):
        knee = _priced(catalog, MEDICARE, "knee-osteoarthritis", supplement=sid)
        year = knee["total-knee-replacement"].years[0]
        assert (year.low.patient, year.high.patient) == (expected, expected), sid


def test_workers_compensation_covers_work_caused_conditions_only(catalog: Catalog) -> None:
    """Knee arthritis surgery showed $0 under workers' compensation; it pays only for a
    condition caused or worsened by work, which states decide differently."""
    comp = catalog.payers["workers-comp"]
    assert "caused by your work" in (comp.notes or "")
    for therapy in (
        "total-knee-replacement",
        "hyaluronic-acid-injection",
        "lumbar-spinal-fusion",
        "radiofrequency-ablation",
    ):
        assert _rule(comp, therapy).varies is not None, therapy
    knee = _priced(catalog, comp.id, "knee-osteoarthritis")["total-knee-replacement"]
    assert knee.status is Status.UNKNOWN


def test_employer_ppo_cap_is_not_called_a_kff_average(catalog: Catalog) -> None:
    ppo = catalog.payers["employer-ppo-typical"]
    assert "KFF averages" not in ppo.name
    assert "legal maximum" in ppo.name and "not an average" in (ppo.notes or "")


def test_procedure_price_lookup_amounts_not_found_are_low_confidence(catalog: Catalog) -> None:
    """No CMS Procedure Price Lookup figure was found for 29881, 63030 or 29888: the rules say
    so and carry low confidence instead of 20% of the cash price as if it were CMS's."""
    for therapy in ("knee-arthroscopy", "microdiscectomy", "acl-reconstruction"):
        rule = _rule(catalog.payers[MEDICARE], therapy)
        assert rule.confidence is not None and rule.confidence.value == "low", therapy
        assert "not found in our sources" in (rule.notes or ""), therapy
