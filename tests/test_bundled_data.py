"""The bundled data set: valid with no warnings, complete, and every figure sourced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from regen_compare.catalog import Catalog
from regen_compare.load import bundled_data_dir, load_catalog
from regen_compare.model import Category, Regulatory, SourceSupport

REPO = Path(__file__).resolve().parent.parent

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
