"""The handout a patient keeps: short, plain, honest, every source a link — on the bundled data,
the consult of the read-at-a-glance issue (knee osteoarthritis, Original Medicare, 5 years)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Row, build_rows
from regen_compare.model.catalog import Catalog
from regen_compare.present import export
from regen_compare.present.export.patient import short_summary, short_title

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)  # the bundled data was last checked on this day
KNEE_MEDICARE = Profile(condition="knee-osteoarthritis", payer="medicare-original", years=5)
FOUR = [
    "corticosteroid-joint-injection",
    "prp-injection",
    "total-knee-replacement",
    "physical-therapy",
]
WORD_LIMIT = 1200


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "data", today=TODAY).catalog


def rows_for(catalog: Catalog, profile: Profile, ids: list[str]) -> list[Row]:
    by_id = {r.id: r for r in build_rows(catalog, profile)}
    return [by_id[i] for i in ids]


def words(markdown: str) -> int:
    """Words a reader reads: tokens with a letter or digit (not list bullets, table rules or
    `·`); link targets are not read."""
    text = re.sub(r"\]\(<?[^)]*>?\)", "]", markdown)
    return sum(1 for token in text.split() if re.search(r"[A-Za-z0-9]", token))


def test_four_options_fit_in_1200_words_and_detail_stays_available(catalog: Catalog) -> None:
    rows = rows_for(catalog, KNEE_MEDICARE, FOUR)
    short = export.render_handout("md", rows, KNEE_MEDICARE, catalog, today=TODAY)
    full = export.render_handout("md", rows, KNEE_MEDICARE, catalog, today=TODAY, detailed=True)
    assert words(short) <= WORD_LIMIT, words(short)
    assert words(full) > 2 * WORD_LIMIT  # the worked figures are kept in the full version
    assert "worked out" in full and "worked out" not in short


@pytest.mark.parametrize("payer", ["medicare-original", "employer-ppo-typical", "va", None])
def test_no_internal_research_notes_anywhere(catalog: Catalog, payer: str | None) -> None:
    profile = Profile(condition="knee-osteoarthritis", payer=payer, years=5)
    ids = [t for t in catalog.therapies if "knee-osteoarthritis" in catalog.therapies[t].conditions]
    rows = rows_for(catalog, profile, ids)
    for detailed in (False, True):
        text = export.render_handout(
            "md", rows, profile, catalog, today=TODAY, detailed=detailed
        ).lower()
        for internal in ("unverified", "not captured", "not named in the data"):
            assert internal not in text, (internal, detailed)


def test_each_option_has_cost_typical_and_range_coverage_risks_and_questions(
    catalog: Catalog,
) -> None:
    rows = rows_for(catalog, KNEE_MEDICARE, FOUR)
    text = export.render_handout("md", rows, KNEE_MEDICARE, catalog, today=TODAY)
    # Steroid: covered by Medicare at the CPT 20610 amounts; typical first, range beside it.
    assert re.search(r"about \$[\d,]+ \(\$[\d,]+ to \$[\d,]+\) over 5 years", text)
    assert text.count("**Coverage:**") == 4 and text.count("**Main risks:**") == 4
    assert text.count("**Questions to ask**") == 4
    # Questions are written for the option, not stamped with its full name.
    assert "How many injections of" not in text
    assert "How many injections will I need" in text


def test_unknown_coverage_gives_both_outcomes(catalog: Catalog) -> None:
    profile = Profile(condition="knee-osteoarthritis", payer="medicaid", years=1)
    unknown = [r for r in build_rows(catalog, profile) if r.cost.unknown and r.cost.priced]
    assert unknown, "the bundled data has an unknown priced cell under Medicaid"
    text = export.render_handout("md", unknown[:1], profile, catalog, today=TODAY)
    assert "If the plan covers it on its usual terms:" in text
    assert "if not, the cash price:" in text
    assert "Ask the plan" in text


def test_cell_therapies_carry_their_ethics(catalog: Catalog) -> None:
    ids = ["bmac-injection", "perinatal-allograft-injection"]
    text = export.render_handout(
        "md", rows_for(catalog, KNEE_MEDICARE, ids), KNEE_MEDICARE, catalog, today=TODAY
    )
    assert text.count("**Ethics to know**") == 2


def test_sources_come_once_at_the_end_as_links(catalog: Catalog) -> None:
    rows = rows_for(catalog, KNEE_MEDICARE, FOUR)
    page = export.render_handout("html", rows, KNEE_MEDICARE, catalog, today=TODAY)
    links = re.findall(r'<a href="([^"]+)"', page)
    assert links and all(u.startswith(("https://", "http://")) for u in links)
    assert len(links) == len(set(links))
    md = export.render_handout("md", rows, KNEE_MEDICARE, catalog, today=TODAY)
    assert md.index("## Sources") > md.index("## 4.")
    assert re.search(r"\]\(<https://[^>]+>\)", md)


def test_short_texts() -> None:
    assert short_title("How Many Cortisone Shots Can You Have? Usually no more") == (
        "How Many Cortisone Shots…"
    )
    assert short_title("NCD 270.3 (CMS)") == "NCD 270.3"
    assert short_summary("One. Two two. " + "word " * 60 + "end.") == "One. Two two."
    assert short_summary("word " * 60 + "end.") == ("word " * 60 + "end.").strip()


def test_shared_ethics_are_said_once(catalog: Catalog) -> None:
    ids = ["bmac-injection", "adipose-svf-injection", "perinatal-allograft-injection"]
    text = export.render_handout(
        "md", rows_for(catalog, KNEE_MEDICARE, ids), KNEE_MEDICARE, catalog, today=TODAY
    )
    shared = "Be wary of paying to join"
    assert text.count(shared) == 1 and "## Ethics shared by these options" in text
