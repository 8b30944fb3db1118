"""The bundled data set: valid with no warnings, complete, and every figure sourced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from regen_compare.data import freshness
from regen_compare.data.load import bundled_data_dir, load_catalog
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Category, Evidence, Regulatory, SourceSupport, Therapy

REPO = Path(__file__).resolve().parents[2]

CONDITIONS = {
    "knee-osteoarthritis",
    "degenerative-disc-disease",
    "low-back-pain-radicular",
    "low-back-pain-facet",
    "chronic-tendinopathy",
    "rotator-cuff-tear",
    "ligament-sprain",
    "muscle-strain",
    "sports-joint-injury",
    "neuropathic-pain",
}
REGENERATIVE = {
    "prp-injection",
    "bmac-injection",
    "adipose-svf-injection",
    "perinatal-allograft-injection",
    "knee-oa-gene-therapy",
    "prolotherapy",
}
TRADITIONAL = {
    "oral-nsaids",
    "topical-nsaids",
    "acetaminophen",
    "opioids",
    "gabapentinoids",
    "duloxetine",
    "corticosteroid-joint-injection",
    "epidural-steroid-injection",
    "hyaluronic-acid-injection",
    "physical-therapy",
    "radiofrequency-ablation",
    "total-knee-replacement",
    "lumbar-spinal-fusion",
    "spinal-cord-stimulator",
    "knee-arthroscopy",
    "tendon-repair-surgery",
    "microdiscectomy",
    "acl-reconstruction",
    "topical-lidocaine",
    "topical-capsaicin",
    "tricyclic-antidepressant",
    "muscle-relaxant",
}
PAYERS = {
    "medicare-original",
    "medicare-advantage-typical",
    "medicaid",
    "employer-ppo-typical",
    "hdhp-2026",
    "aca-marketplace-2026",
    "va",
    "tricare",
    "workers-comp",
    "self-pay",
}
# Official warnings the facts give, by therapy.
WARNED = {
    "bmac-injection",
    "adipose-svf-injection",
    "perinatal-allograft-injection",
    "opioids",
    "epidural-steroid-injection",
    "gabapentinoids",
    "oral-nsaids",
    "acetaminophen",
    "topical-lidocaine",
    "tricyclic-antidepressant",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    result = load_catalog(REPO / "data")
    assert result.warnings == [], [str(w) for w in result.warnings]
    return result.catalog


def test_everything_named_in_the_brief_is_present(catalog: Catalog) -> None:
    assert set(catalog.conditions) >= CONDITIONS
    assert set(catalog.therapies) >= REGENERATIVE
    assert set(catalog.therapies) >= TRADITIONAL
    assert set(catalog.payers) >= PAYERS
    for tid in REGENERATIVE:
        assert catalog.therapies[tid].category is Category.REGENERATIVE
    for tid in TRADITIONAL:
        assert catalog.therapies[tid].category is Category.TRADITIONAL


def test_conditions_have_aliases_and_usual_care(catalog: Catalog) -> None:
    aliases = {a.casefold() for c in catalog.conditions.values() for a in c.aliases}
    assert {"knee oa", "tennis elbow", "sciatica"} <= aliases
    assert all(c.usual_care for c in catalog.conditions.values())


def test_regenerative_therapies_have_status_and_warnings(catalog: Catalog) -> None:
    for tid in REGENERATIVE:
        therapy = catalog.therapies[tid]
        assert therapy.regulatory is not None and therapy.regulatory_notes
    for tid in WARNED:
        assert catalog.therapies[tid].warnings, tid
    gene = catalog.therapies["knee-oa-gene-therapy"]
    assert gene.price is None and gene.regulatory is Regulatory.INVESTIGATIONAL
    assert "trial" in gene.summary.lower()


def test_every_figure_has_a_source(catalog: Catalog) -> None:
    needed = {
        SourceSupport.UNITS,
        SourceSupport.RECOVERY,
        SourceSupport.EVIDENCE,
        SourceSupport.REGULATORY,
        SourceSupport.RISKS,
    }
    for therapy in catalog.therapies.values():
        backed = {s for source in therapy.sources for s in source.supports}
        want = set(needed)
        if therapy.price is not None:
            want.add(SourceSupport.PRICE)
        if therapy.warnings:
            want.add(SourceSupport.WARNINGS)
        assert want <= backed, (therapy.id, want - backed)
    for payer in catalog.payers.values():
        assert payer.sources, payer.id
        for rule in payer.coverage:
            assert rule.sources, (payer.id, rule.therapy)


def test_unverified_figures_are_marked(catalog: Catalog) -> None:
    for therapy in catalog.therapies.values():
        if therapy.price is None and therapy.regulatory is not Regulatory.INVESTIGATIONAL:
            assert therapy.price_unknown, therapy.id
        if therapy.notes and "UNVERIFIED" in therapy.notes and therapy.price is not None:
            assert therapy.confidence is not None


def test_illustrative_plans_say_so(catalog: Catalog) -> None:
    for pid in (
        "employer-ppo-typical",
        "hdhp-2026",
        "aca-marketplace-2026",
        "medicare-advantage-typical",
    ):
        payer = catalog.payers[pid]
        assert "illustrative" in (payer.name + " " + (payer.notes or "")).lower(), pid
    for pid in ("medicaid", "workers-comp"):
        payer = catalog.payers[pid]
        assert "state" in (payer.name + " " + (payer.notes or "")).lower(), pid


def test_bundled_copy_is_the_repo_data() -> None:
    assert bundled_data_dir().resolve() == (REPO / "data").resolve() or (
        (bundled_data_dir() / "therapies.toml").read_bytes()
        == (REPO / "data" / "therapies.toml").read_bytes()
    )


def test_list_json_shows_everything() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "regen_compare", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    ids = {row["id"] for row in json.loads(done.stdout)}
    assert ids >= REGENERATIVE | TRADITIONAL


# --- honest numbers (issue 11) -----------------------------------------------------------------

CELL_AND_GENE = ("bmac-injection", "adipose-svf-injection", "perinatal-allograft-injection")
BACK_PAIN = ("degenerative-disc-disease", "low-back-pain-facet", "low-back-pain-radicular")


def _grade(therapy: Therapy, condition: str) -> Evidence:
    return therapy.evidence_by_condition.get(condition, therapy.evidence)


def _patient_text(therapy: Therapy) -> list[str]:
    return [
        therapy.summary,
        *therapy.risks,
        *therapy.warnings,
        *therapy.ethics,
        therapy.evidence_notes or "",
        therapy.regulatory_notes or "",
        therapy.price_unknown or "",
    ]


def test_grades_do_not_flatter(catalog: Catalog) -> None:
    """Opioids are not shown to help knee OA (AAOS 2021) and are at most limited for back pain
    (SPACE, CDC 2022); fusion is not offered for back pain outside trials (NICE NG59); oral
    NSAIDs are strong only where ACR 2019 grades them strong (knee OA)."""
    opioids = catalog.therapies["opioids"]
    assert _grade(opioids, "knee-osteoarthritis").rank >= Evidence.INSUFFICIENT.rank
    for cid in BACK_PAIN:
        assert _grade(opioids, cid).rank >= Evidence.LIMITED.rank, cid
    fusion = catalog.therapies["lumbar-spinal-fusion"]
    assert _grade(fusion, "degenerative-disc-disease").rank >= Evidence.LIMITED.rank
    nsaids = catalog.therapies["oral-nsaids"]
    strong = [c for c in nsaids.conditions if _grade(nsaids, c) is Evidence.STRONG]
    assert strong == ["knee-osteoarthritis"]
    arthroscopy = catalog.therapies["knee-arthroscopy"]
    assert _grade(arthroscopy, "knee-osteoarthritis") is Evidence.INSUFFICIENT
    assert _grade(arthroscopy, "sports-joint-injury") is not Evidence.INSUFFICIENT


def test_physical_therapy_has_no_fda_status(catalog: Catalog) -> None:
    assert catalog.therapies["physical-therapy"].regulatory is Regulatory.NOT_APPLICABLE


def test_stem_cell_licensing_is_stated_correctly(catalog: Catalog) -> None:
    """Ryoncil (donor marrow stromal cells, December 2024) ended the cord-blood-only era."""
    for therapy in catalog.therapies.values():
        for text in _patient_text(therapy):
            assert "only FDA-licensed stem cell products are cord" not in text, therapy.id
    assert "Ryoncil" in (catalog.therapies["perinatal-allograft-injection"].regulatory_notes or "")


def test_cell_and_gene_therapies_state_their_ethics(catalog: Catalog) -> None:
    for tid in (*CELL_AND_GENE, "knee-oa-gene-therapy"):
        therapy = catalog.therapies[tid]
        assert therapy.ethics, tid
        assert any(SourceSupport.ETHICS in s.supports for s in therapy.sources), tid
        assert any("ClinicalTrials.gov" in point for point in therapy.ethics), tid
    perinatal = " ".join(catalog.therapies["perinatal-allograft-injection"].ethics)
    assert "consent" in perinatal and "embryonic" in perinatal
    gene = " ".join(catalog.therapies["knee-oa-gene-therapy"].ethics)
    assert "informed consent" in gene


def test_known_risks_are_listed(catalog: Catalog) -> None:
    def risks(tid: str) -> str:
        return " ".join(catalog.therapies[tid].risks).lower()

    assert "kidney injury" in risks("oral-nsaids")
    assert "infection" in risks("lumbar-spinal-fusion")
    assert "nerve injury" in risks("lumbar-spinal-fusion")
    assert "another operation" in risks("lumbar-spinal-fusion")
    assert "blood clots" in risks("total-knee-replacement")


def test_prices_are_cash_prices(catalog: Catalog) -> None:
    """Billed charges (billing guides) and commercial claims averages are not cash prices."""
    not_cash = ("billkarma", "bcbs.com", "healthlynked")
    for therapy in catalog.therapies.values():
        for source in therapy.sources:
            if SourceSupport.PRICE in source.supports:
                assert not any(mark in source.url for mark in not_cash), (therapy.id, source.url)


def test_no_ai_summary_is_cited(catalog: Catalog) -> None:
    """The primary guideline is cited instead of an AI-written summary of it."""
    for therapy in catalog.therapies.values():
        for source in therapy.sources:
            assert "droracle.ai" not in source.url, therapy.id


def test_figures_are_fresh_and_traceable(catalog: Catalog) -> None:
    for therapy in catalog.therapies.values():
        assert freshness.old_figures(therapy) == [], therapy.id
        for source in therapy.sources:
            assert not freshness.is_home_page(source.url), (therapy.id, source.url)


def test_patient_text_has_no_research_notes(catalog: Catalog) -> None:
    """Working notes (UNVERIFIED, 'not captured') belong in `notes`, not in what patients read."""
    for therapy in catalog.therapies.values():
        for text in _patient_text(therapy):
            for phrase in ("UNVERIFIED", "not captured", "not verified here", "page path"):
                assert phrase not in text, (therapy.id, phrase)


def test_new_options_are_usual_care_where_clinicians_use_them(catalog: Catalog) -> None:
    usual = {cid: c.usual_care for cid, c in catalog.conditions.items()}
    nerve = usual["neuropathic-pain"]
    assert nerve.index("tricyclic-antidepressant") < nerve.index("topical-lidocaine")
    assert "topical-capsaicin" in nerve
    assert "muscle-relaxant" in usual["muscle-strain"]
    sciatica = usual["low-back-pain-radicular"]
    assert sciatica.index("microdiscectomy") > sciatica.index("physical-therapy")
    assert "acl-reconstruction" in usual["sports-joint-injury"]
