"""The handout a patient keeps: a summary page in plain words, short and readable, leading
with what trials found; honest about what it assumes; sources on a later page. On the bundled
data, the consult of issues 27–29: knee osteoarthritis, Original Medicare, 5 years, with PRP,
a steroid injection, physical therapy and a knee replacement."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import textstat  # type: ignore[import-untyped]
from handout_text import count, in_section, pieces, prose, words

from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile, UnitsChoice
from regen_compare.engine.fit.score import BALANCED
from regen_compare.engine.query import Row, build_rows
from regen_compare.model.catalog import Catalog
from regen_compare.present import chances, export

REPO = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 7)  # the bundled data was last checked on this day
KNEE_MEDICARE = Profile(condition="knee-osteoarthritis", payer="medicare-original", years=5)
FOUR = [
    "prp-injection",
    "corticosteroid-joint-injection",
    "physical-therapy",
    "total-knee-replacement",
]
SUMMARY_WORDS = 900
WHOLE_WORDS = 1500
GRADE = 8


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(REPO / "data", today=TODAY).catalog


def rows_for(catalog: Catalog, profile: Profile, ids: list[str]) -> list[Row]:
    by_id = {r.id: r for r in build_rows(catalog, profile)}
    return [by_id[i] for i in ids]


def render(catalog: Catalog, fmt: str, profile: Profile = KNEE_MEDICARE, **kwargs: object) -> str:
    rows = rows_for(catalog, profile, FOUR)
    return export.render_handout(fmt, rows, profile, catalog, today=TODAY, **kwargs)  # type: ignore[arg-type]


def md_words(markdown: str) -> int:
    """Words a reader of the Markdown reads: link targets are not read."""
    return words(re.sub(r"\]\(<[^>]*>\)", "]", markdown))


# --- length and reading level (issue 29) ------------------------------------------------------


def test_four_options_fit_the_word_limits(catalog: Catalog) -> None:
    page = render(catalog, "html")
    found = pieces(page)
    summary, whole = count(in_section(found, "summary")), count(found)
    assert summary <= SUMMARY_WORDS, summary
    assert whole <= WHOLE_WORDS, whole
    assert md_words(render(catalog, "md")) <= WHOLE_WORDS
    # The full detail keeps every worked figure: far longer, and where the worked years are.
    full = render(catalog, "md", detailed=True)
    assert md_words(full) > 2 * WHOLE_WORDS
    assert "worked out" in full and "worked out" not in page


def test_summary_prose_reads_at_grade_8_or_below(catalog: Catalog) -> None:
    text = prose(in_section(pieces(render(catalog, "html")), "summary"))
    assert text.count(".") >= 40  # the summary's prose, not an empty string
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= GRADE, grade


def test_the_measure_counts_what_a_reader_reads() -> None:
    page = (
        "<html><head><title>Not read</title><style>p { color: red }</style></head><body>"
        '<section class="summary"><h1>Title here</h1><p>One two <a href="https://x.org/a">'
        "three</a>.</p><ul><li>Four five</li></ul>"
        '<table class="kv"><tr><th scope="row">Price</th><td>$5 each</td></tr></table>'
        "<svg><circle/></svg></section>"
        '<section class="later sources"><p>Six · seven</p></section></body></html>'
    )
    found = pieces(page)
    assert count(in_section(found, "summary")) == 10
    assert count(found) == 12
    assert prose(in_section(found, "summary")) == "One two three.\nFour five.\nPrice $5 each."


# --- what the summary says, in what order -----------------------------------------------------


def test_each_option_leads_with_what_trials_found_then_price_and_cost(catalog: Catalog) -> None:
    md = render(catalog, "md")
    summary = md[: md.index("## More about each option")]
    options = re.split(r"\n## \d\. ", summary)[1:]
    assert len(options) == 4
    for option in options:
        trials, price, pay = (
            option.index("**What trials found:**"),
            option.index("**Price:**"),
            option.index("**You would pay:**"),
        )
        assert trials < price < pay < option.index("**Coverage:**") < option.index("**Recovery:**")
        assert "**Questions to ask**" in option
    assert "no more than salt-water (placebo) injections" in options[0]  # PRP: RESTORE
    assert "How many in 100 were helped was not reported." in options[0]


def test_a_picture_of_100_people_in_html_and_its_sentence_everywhere(catalog: Catalog) -> None:
    rows = {r.id: r for r in rows_for(catalog, KNEE_MEDICARE, FOUR)}
    steroid = rows["corticosteroid-joint-injection"].benefit
    assert steroid is not None
    sentence = chances.icon_sentence(steroid)
    page = render(catalog, "html")
    svgs = re.findall(r"<svg [^>]*>.*?</svg>", page, re.DOTALL)
    assert len(svgs) == 2  # steroid and physical therapy give counts; PRP and surgery do not
    first = svgs[0]
    assert 'role="img"' in first and 'aria-label="Of 100 people: 31 were helped' in first
    # 19 filled, 31 half filled (a ring and a filled half), 50 rings: shapes, not colours.
    assert first.count('fill="#000" stroke="#000"/>') == 19
    assert first.count("<path ") == 31
    assert first.count("<circle ") == 100
    assert "color" not in first and "rgb" not in first
    assert f"<figcaption>{sentence.replace('(', '(')}" in page.replace("<wbr>", "")
    md = render(catalog, "md")
    assert "<svg" not in md
    assert "Of 100 people: 31 were helped with a placebo injection too (◐)" in md


def test_price_per_visit_times_visits_and_the_assumption(catalog: Catalog) -> None:
    md = render(catalog, "md")
    assert (
        "$574 per injection ($500 to $2,500), the cash price, × 1–3 injections this year; "
        "0–3 a year after that (our assumption)."
    ) in md
    assert '"(our assumption)" marks a figure no source gives.' in md
    # Medicare's approved amount where the plan pays from it; the cash price said to stand in
    # where the plan's own amount is not in the data.
    assert "$212 per injection ($69 to $354), Medicare's approved amount, × 1–4" in md
    assert "$100 (our assumption) per session ($70 to $160), the cash price (we do not " in md
    assert "full effect 0–1 weeks (our assumption)." in md  # the steroid's onset
    assert "About $4,592 over 5 years ($500 to $37,500)." in md
    assert "$2,251 over 5 years." in md


def test_units_set_in_this_consult_are_said_to_be(catalog: Catalog) -> None:
    profile = Profile(
        condition="knee-osteoarthritis",
        payer="medicare-original",
        years=5,
        units=(UnitsChoice("prp-injection", Decimal(3), Decimal(1)),),
    )
    md = render(catalog, "md", profile)
    assert "× 3 injections this year (set in this consult); 1 injection a year after that" in md
    assert "- Platelet (PRP) injection: 3 injections this year, 1 injection a year after that" in md
    assert "(our assumption)" not in md.split("## 2.")[0].split("## 1.")[1]
    # Not covered: 3 + 4 × 1 = 7 injections at the cash price: 7 × $574 typical, 7 × $500 to
    # 7 × $2,500.
    assert "**About $4,018 over 5 years ($3,500 to $17,500).**" in md


def test_supplement_asked_when_none_set_and_named_when_set(catalog: Catalog) -> None:
    md = render(catalog, "md")
    assert "**Do you have a Medigap or other supplement plan?** These figures assume not." in md
    assert "Medigap Plan G and Medigap Plan N pay your 20% share of covered care" in md
    assert "With Medigap Plan N you still pay up to $20 a doctor's or specialist visit." in md
    assert "(QMB program) pays the deductible and your 20% share" in md
    assert "None of them pays for care your plan does not cover." in md
    with_g = Profile(
        condition="knee-osteoarthritis", payer="medicare-original", years=5, supplement="medigap-g"
    )
    named = render(catalog, "md", with_g)
    assert "Do you have a Medigap" not in named
    assert "**Your figures include Medigap Plan G.**" in named
    assert "Covered, on the usual terms above. Medigap Plan G then pays your 20% share." in named
    assert "Not covered under Medicare's national rule NCD 270.3. You pay the full price." in named
    # The steroid: Plan G leaves only the Part B deductible each year: at most 5 × $283.
    steroid = named.split("## 2. ")[1].split("## 3. ")[0]
    assert re.search(r"\*\*About \$[\d,]+ over 5 years \(\$69 to \$1,415\)\.\*\*", steroid)


def test_jargon_is_explained_or_gone(catalog: Catalog) -> None:
    md = render(catalog, "md")
    assert "Medicare's national rule NCD 270.3" in md
    for jargon in ("MAC LCDs", "LCD L39071", "range: fewest", "coinsurance", "assignment?"):
        assert jargon not in md, jargon
    assert "Will the clinic accept Medicare's approved amount as full payment" in md
    assert "(the deductible)" in md
    unapproved = rows_for(catalog, KNEE_MEDICARE, ["bmac-injection"])
    questions, _plan = export.questions(unapproved[0], KNEE_MEDICARE, catalog)
    asked = " ".join(questions)
    assert "IND number, the FDA's go-ahead" in asked or "IND number" not in asked


def test_what_the_price_leaves_out_for_this_condition(catalog: Catalog) -> None:
    md = render(catalog, "md")
    assert "rehab after surgery (priced separately: physical therapy course)" in md
    assert "for back pain" not in md  # PRP's note is for a spinal injection
    back = Profile(condition="chronic-low-back-pain", payer="medicare-original", years=1)
    rows = rows_for(catalog, back, ["prp-injection"])
    text = export.render_handout("md", rows, back, catalog, today=TODAY)
    assert "for back pain: the X-ray guidance" in text


def test_no_fit_or_star_until_asked(catalog: Catalog) -> None:
    for fmt in ("md", "html"):
        text = render(catalog, fmt)
        assert "Fit for you (what matters most to you): not asked yet." in text
        assert "★" not in text and "best fit" not in text
    asked = render(catalog, "md", weights=BALANCED)
    assert "not asked yet" not in asked
    assert asked.count("- **Fit for you:**") == 4
    assert asked.count("★ best fit") == 1


def test_the_page_title_is_the_handouts_own_heading(catalog: Catalog) -> None:
    page = render(catalog, "html")
    assert "<title>Your pain treatment options: knee osteoarthritis</title>" in page
    detailed = render(catalog, "html", detailed=True)
    assert "<title>Pain treatment options: cost, recovery and coverage" in detailed


# --- the later pages ----------------------------------------------------------------------------


def test_sources_come_on_a_later_page_with_full_titles_and_printed_addresses(
    catalog: Catalog,
) -> None:
    page = render(catalog, "html")
    assert '<section class="later sources">' in page
    assert page.index('<section class="later sources">') > page.index("4. Total knee")
    assert re.search(r"@media print \{.*section\.later \{ break-before: page;", page, re.DOTALL)
    assert re.search(r'a\[href\]::after \{ content: " " attr\(href\)', page)
    sources = page[page.index('<section class="later sources">') :]
    links = re.findall(r'<a href="([^"]+)" rel="noopener noreferrer">([^<]+)</a>', sources)
    assert 8 <= len(links) <= 16
    assert len({u for u, _ in links}) == len(links)
    titles = [t for _u, t in links]
    assert not any(t.endswith("…") for t in titles)
    assert any("the RESTORE randomized trial, 288 people, 12 months" in t for t in titles)
    # The count is what the full-detail handout really lists (each address once).
    detailed = render(catalog, "html", detailed=True)
    listed = set(re.findall(r'<span class="url">(https?://[^<]+)</span>', detailed))
    assert f"The full-detail handout lists all {len(listed)}." in sources
    summary = page[: page.index('<section class="later')]
    assert "<a href" not in summary


def test_clinic_and_seller_pages_are_marked(catalog: Catalog) -> None:
    profile = Profile(condition="knee-osteoarthritis", years=1)  # cash: price sources listed
    ids = ["physical-therapy", "total-knee-replacement"]
    rows = rows_for(catalog, profile, ids)
    # The first price source of each, marked in the data as a clinic's and a seller's page.
    pt, tkr = rows[0].therapy, rows[1].therapy
    clinic = next(s for s in pt.sources if "miraclerehab" in s.url)
    seller = next(s for s in tkr.sources if "paytient" in s.url)
    rows[0] = dataclasses.replace(
        rows[0], therapy=pt.model_copy(update={"sources": (clinic, *pt.sources)})
    )
    rows[1] = dataclasses.replace(
        rows[1], therapy=tkr.model_copy(update={"sources": (seller, *tkr.sources)})
    )
    md = export.render_handout("md", rows, profile, catalog, today=TODAY)
    assert "(Miracle Rehab Clinic)](<https://www.miraclerehabclinic.com" in md
    assert "**(clinic's own page)**" in md and "**(seller's own page)**" in md


def test_more_about_each_option_keeps_risks_harms_and_ethics(catalog: Catalog) -> None:
    md = render(catalog, "md")
    more = md[md.index("## More about each option") : md.index("## Sources")]
    assert more.count("### ") == 4
    assert "About 57 in 1,000: A serious complication" in more
    assert "The implant may wear out or fail after years" in more
    assert "PRP is made from your own blood" in more
    assert "For tennis elbow" not in md  # a harm counted for another condition


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


def test_unknown_coverage_gives_both_outcomes(catalog: Catalog) -> None:
    profile = Profile(condition="knee-osteoarthritis", payer="medicaid", years=1)
    unknown = [r for r in build_rows(catalog, profile) if r.cost.unknown and r.cost.priced]
    assert unknown, "the bundled data has an unknown priced cell under Medicaid"
    text = export.render_handout("md", unknown[:1], profile, catalog, today=TODAY)
    assert "Not known. If the plan pays on its usual terms:" in text
    assert "If not, the cash price:" in text
    assert "Ask your plan" in text


def test_cell_therapies_carry_their_ethics(catalog: Catalog) -> None:
    ids = ["bmac-injection", "perinatal-allograft-injection"]
    text = export.render_handout(
        "md", rows_for(catalog, KNEE_MEDICARE, ids), KNEE_MEDICARE, catalog, today=TODAY
    )
    assert text.count("**Ethics to know**") == 2


def test_shared_ethics_are_said_once(catalog: Catalog) -> None:
    ids = ["bmac-injection", "adipose-svf-injection", "perinatal-allograft-injection"]
    text = export.render_handout(
        "md", rows_for(catalog, KNEE_MEDICARE, ids), KNEE_MEDICARE, catalog, today=TODAY
    )
    shared = "Be wary of paying to join"
    assert text.count(shared) == 1 and "### Ethics shared by these options" in text
