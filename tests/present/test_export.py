"""Handouts: golden files for every format, figures checked by hand, hostile data, atomic writes.

Regenerate the golden files after an intended change with

    REGEN_UPDATE_GOLDEN=1 pytest tests/test_export.py

and read the diff before committing it.

Figures checked by hand against DESIGN.md's cost model (small fixture, Original Medicare:
$283 deductible, 20% coinsurance, no cap; nothing met yet; 5 years):

* Corticosteroid injection, covered, plan-allowed $80–$120, 2–4 injections every year.
  Low year: 2 × $80 = $160, all of it deductible (160 < 283) → $160.
  High year: 4 × $120 = $480; deductible $283; 20% of the remaining $197 = $39.40 → $322.40.
  The deductible resets every year, so 5 years = 5 × $160 = $800 to 5 × $322.40 = $1,612.
* Total knee replacement, prior auth for knee OA, allowed $10,000–$14,000, once in year 1.
  Low: $283 + 20% × $9,717 ($1,943.40) = $2,226.40; high: $283 + 20% × $13,717 ($2,743.40)
  = $3,026.40; later years 0 units → $0.  Shown as $2,226–$3,026.
* PRP, not covered → cash: year 1 1–3 × $500–$2,500 = $500–$7,500, years 2–5 0–2 × $2,500
  = $0–$5,000 each; 5 years $500 to $7,500 + 4 × $5,000 = $27,500.
* Gene therapy: no price (trials only), no Medicare rule → "? unknown", no figures.

And under the PPO ($1,500 deductible, 20%, $5,000 cap; $500 deductible and $1,000 OOP met):
* Knee replacement high end: $30,000; deductible left $1,000; 20% of $29,000 = $5,800; share
  $6,800, but only $4,000 is left under the cap → you pay $4,000, the cap took off $2,800.
* Steroid (its own benefit: $100 deductible, 50%, $200 cap; amounts met do not apply):
  low 2 × $100 = $200 → $100 + 50% × $100 = $150; high 4 × $300 = $1,200 → $100 + $550 = $650,
  capped at $200 (saved $450).
* Physical therapy, $30 copay: 12–24 sessions → $360–$720.
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import html
import io
import json
import os
import re
import shutil
import stat
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import SMALL_DATA
from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile
from regen_compare.engine.fit.score import BALANCED, Weights
from regen_compare.engine.query import Row, build_rows
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Regulatory
from regen_compare.present import export
from regen_compare.store.atomic import WriteError

TODAY = date(2026, 11, 22)
GOLDEN = Path(__file__).parents[1] / "golden" / "export"
UPDATE = os.environ.get("REGEN_UPDATE_GOLDEN") == "1"
IDS = ["prp-injection", "steroid-injection", "knee-replacement", "gene-therapy"]
MEDICARE_5Y = Profile(condition="knee-osteoarthritis", payer="medicare", years=5)

HOSTILE_SCRIPT = "<script>alert(1)</script>"
HOSTILE_MARKUP = "[bold]x[/]"
HOSTILE_FORMULA = "=cmd|' /C calc'!A0"
HOSTILE_OSC52 = "\x1b]52;c;AAAA\x07"


def check_golden(name: str, text: str) -> None:
    """Compare `text` with tests/golden/export/`name` (or rewrite it when updating)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.is_file(), f"{path} is missing: run with REGEN_UPDATE_GOLDEN=1 to create it"
    expected = path.read_bytes().decode("utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"golden/{name}",
                "rendered",
            )
        )
        pytest.fail(f"{name} differs from its golden file:\n{diff[:6000]}")


def _catalog(folder: Path = SMALL_DATA) -> Catalog:
    return load_catalog(folder, today=TODAY).catalog


def _rows(catalog: Catalog, profile: Profile, ids: list[str] = IDS) -> list[Row]:
    by_id = {r.id: r for r in build_rows(catalog, profile)}
    return [by_id[i] for i in ids]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return _catalog()


@pytest.fixture(scope="module")
def rows(catalog: Catalog) -> list[Row]:
    return _rows(catalog, MEDICARE_5Y)


def _render(
    fmt: str,
    rows: list[Row],
    catalog: Catalog,
    profile: Profile = MEDICARE_5Y,
    *,
    detailed: bool = True,
    weights: Weights | None = None,
) -> str:
    """The full-detail handout by default here (its figures are checked by hand below);
    the patient's handout has its own tests. No weights: the patient was not asked."""
    return export.render_handout(
        fmt, rows, profile, catalog, today=TODAY, detailed=detailed, weights=weights
    )


# --- golden files ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", export.HANDOUT_FORMATS)
def test_golden_medicare_five_years(fmt: str, rows: list[Row], catalog: Catalog) -> None:
    check_golden(f"medicare-5y.{fmt}", _render(fmt, rows, catalog))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_golden_patient_handout(fmt: str, rows: list[Row], catalog: Catalog) -> None:
    check_golden(f"patient-medicare-5y.{fmt}", _render(fmt, rows, catalog, detailed=False))


def test_golden_ppo_one_year_with_amounts_met(catalog: Catalog) -> None:
    """Copay, a separate benefit and the yearly cap, which the Medicare golden never reaches;
    and the fit worked out, the patient having said what matters (balanced on purpose)."""
    profile = Profile(
        condition="knee-osteoarthritis",
        payer="ppo",
        deductible_met=Decimal(500),
        oop_met=Decimal(1000),
        years=1,
    )
    ids = ["physical-therapy", "steroid-injection", "knee-replacement"]
    rows = _rows(catalog, profile, ids)
    check_golden("ppo-1y.md", _render("md", rows, catalog, profile, weights=BALANCED))


def test_rendering_is_deterministic(rows: list[Row], catalog: Catalog) -> None:
    for fmt in export.HANDOUT_FORMATS:
        assert _render(fmt, rows, catalog) == _render(fmt, rows, catalog)


# --- figures checked by hand (see the module docstring) -------------------------------------


def test_markdown_shows_hand_checked_figures(rows: list[Row], catalog: Catalog) -> None:
    md = _render("md", rows, catalog)
    # Steroid: 5 × $160 … 5 × $322.40, and the year-1 high end worked out to the cent.
    # The ★ goes to the lowest typical figure (midpoints here): 3 × $120 … at 0.2 after
    # the deductible → ≈$1,432 over 5 years.
    # PRP's later-year injections are the data's assumption over 5 years: marked ~ (escaped in
    # Markdown), with the mark's legend.
    assert (
        "| **You pay, 5 years** | \\~≈$9,000 ($500 – $27,500) | ≈$1,432 ($800 – $1,612) ★ "
        "| ≈$2,626 ($2,226 – $3,026) |"
    ) in md
    assert "before a figure: it rests on our assumption" in md
    assert (
        "High end: 4 injections × $120 = $480; deductible part $283 ($283 of the $283 "
        "deductible was left); coinsurance 20% of the remaining $197 = $39.40; "
        "you pay $322.40." in md
    )
    # Knee replacement, year 1 low end.
    assert "coinsurance 20% of the remaining $9,717 = $1,943.40; you pay $2,226.40." in md
    # PRP at cash: year 1, then four identical later years.
    assert "year 1: $500–$7,500; years 2–5: $0–$5,000 each" in md
    assert "| 2–5 (each) | 0–2 | $500–$2,500 | $0–$5,000 | $0–$5,000 |" in md
    # Profile, disclaimer, dates, unknown coverage, prominent warning.
    assert "- **Plan:** Original Medicare" in md
    assert "- **Horizon:** 5 years" in md
    assert "- **Date:** 2026-11-22" in md
    assert md.count("Educational estimates, not medical advice.") == 2
    assert "Data as of 2026-01-01" in md
    assert "- **Status:** ? unknown" in md
    assert "> - **Knee gene therapy (trials only):** Not approved by the FDA." in md
    # Sources: therapy and payer, URLs as code spans (shown, never linked), with dates.
    assert "- Example PRP price survey — `https://example.org/prp` — accessed 2026-05-20" in md
    assert "- Example Medicare — `https://example.org/medicare` — accessed 2026-01-05" in md


def test_json_figures_are_numbers(rows: list[Row], catalog: Catalog) -> None:
    data = json.loads(_render("json", rows, catalog))
    assert data["profile"] == {
        "condition": "knee-osteoarthritis",
        "payer": "medicare",
        "deductible_met": 0,
        "oop_met": 0,
        "years": 5,
        "supplement": None,
        "units": [],
    }
    assert data["weights_asked"] is False
    assert data["generated"] == "2026-11-22"
    therapies = {t["id"]: t for t in data["therapies"]}
    assert [t["id"] for t in data["therapies"]] == IDS
    steroid = therapies["steroid-injection"]
    assert steroid["patient_cost"] == {"min": 800, "typical": 1432, "max": 1612}
    year1 = steroid["years"][0]
    assert year1["cost"] == {"min": 160, "max": 480}
    assert year1["deductible_part"] == {"min": 160, "max": 283}
    assert year1["coinsurance_part"] == {"min": 0, "max": 39.4}
    assert year1["patient"] == {"min": 160, "max": 322.4}
    assert therapies["knee-replacement"]["patient_cost"] == {
        "min": 2226.4,
        "typical": 2626.4,
        "max": 3026.4,
    }
    assert therapies["prp-injection"]["patient_cost"] == {"min": 500, "typical": 9000, "max": 27500}
    assert therapies["prp-injection"]["coverage_rule"]["policy"] == "NCD 270.3"
    gene = therapies["gene-therapy"]
    assert gene["coverage"] == "unknown"
    assert gene["patient_cost"] is None
    assert gene["warnings"] == ["Not approved by the FDA."]
    assert (
        "Do you cover Knee gene therapy (trials only) for knee osteoarthritis? "
        "Under which policy, and is approval needed?" in (gene["questions"]["plan"])
    )


def test_ppo_cap_copay_and_separate_benefit(catalog: Catalog) -> None:
    profile = Profile(
        condition="knee-osteoarthritis",
        payer="ppo",
        deductible_met=Decimal(500),
        oop_met=Decimal(1000),
        years=1,
    )
    ids = ["physical-therapy", "steroid-injection", "knee-replacement"]
    rows = _rows(catalog, profile, ids)
    md = _render("md", rows, catalog, profile)
    assert (
        "High end: 1 procedure × $30,000 = $30,000; deductible part $1,000 ($1,000 of the "
        "$1,500 deductible was left); coinsurance 20% of the remaining $29,000 = $5,800; "
        "the $5,000 yearly cap ($1,000 already met) took off $2,800; you pay $4,000." in md
    )
    assert "coinsurance 50% of the remaining $1,100 = $550; the $200 yearly cap" in md
    assert "took off $450; you pay $200." in md
    assert "copay $30 × 24 = $720; you pay $720." in md
    data = json.loads(_render("json", rows, catalog, profile))
    therapies = {t["id"]: t for t in data["therapies"]}
    assert therapies["physical-therapy"]["patient_cost"] == {"min": 360, "typical": 540, "max": 720}
    assert therapies["steroid-injection"]["patient_cost"] == {
        "min": 150,
        "typical": 200,
        "max": 200,
    }
    assert therapies["knee-replacement"]["patient_cost"] == {
        "min": 2400,
        "typical": 4000,
        "max": 4000,
    }


# --- format-specific structure --------------------------------------------------------------


def test_html_stands_alone_and_prints(rows: list[Row], catalog: Catalog) -> None:
    page = _render("html", rows, catalog)
    assert page.startswith("<!DOCTYPE html>\n")
    assert "<script" not in page.lower()
    assert not re.search(r"\b(?:src|href)\s*=", page, re.IGNORECASE)
    assert "@media print" in page
    assert "<style>" in page
    for external in ("<link", "@import", "url(", "<img", "<iframe", "<object"):
        assert external not in page.lower()
    assert "Content-Security-Policy" in page
    assert '<td class="best">≈$1,432 ($800 – $1,612) ★</td>' in page
    assert '<span class="url">https://example.org/prp</span>' in page


def test_csv_one_row_per_therapy(rows: list[Row], catalog: Catalog) -> None:
    table = list(csv.DictReader(io.StringIO(_render("csv", rows, catalog))))
    assert [r["id"] for r in table] == IDS
    assert tuple(table[0].keys()) == export.HANDOUT_CSV_COLUMNS
    steroid = table[1]
    assert steroid["payer_name"] == "Original Medicare"
    assert steroid["years"] == "5"
    assert (steroid["patient_cost_min"], steroid["patient_cost_max"]) == ("800", "1612")
    assert (steroid["patient_year1_min"], steroid["patient_year1_max"]) == ("160", "322.4")
    assert table[3]["warnings"] == "Not approved by the FDA."
    assert table[3]["cost_min"] == ""


def test_json_and_toml_round_trip(rows: list[Row], catalog: Catalog) -> None:
    as_json = json.loads(_render("json", rows, catalog))
    as_toml = tomllib.loads(_render("toml", rows, catalog))
    assert as_toml == export.drop_none(as_json)
    assert as_json["disclaimer"].startswith("Educational estimates")


def test_no_plan_and_self_pay_render(catalog: Catalog) -> None:
    for profile in (Profile(), Profile(condition="tennis-elbow", payer="self-pay", years=3)):
        rows = _rows(catalog, profile, ["prp-injection", "physical-therapy", "gene-therapy"])
        for fmt in export.HANDOUT_FORMATS:
            assert _render(fmt, rows, catalog, profile)
        md = _render("md", rows, catalog, profile)
        if profile.payer is None:
            assert "- **Plan:** no plan (cash prices)" in md
            assert "- **Condition:** any condition" in md
        else:
            assert "moderate (for Lateral epicondylitis)" in md
            assert "Is there a cash or package price, in writing?" in md


def test_stale_figures_are_flagged(rows: list[Row], catalog: Catalog) -> None:
    for detailed in (False, True):
        md = export.render_handout(
            "md", rows, MEDICARE_5Y, catalog, today=date(2029, 1, 1), detailed=detailed
        )
        stale = "2026-01-01 (over two years old: check again)"
        if not detailed:  # the patient's handout writes dates as a US reader does
            stale = "January 1, 2026 (over two years old: check again)"
        assert stale in md


def test_unapproved_product_question(rows: list[Row], catalog: Catalog) -> None:
    prp = rows[0]
    clinic, _plan = export.questions(
        dataclasses.replace(
            prp, therapy=prp.therapy.model_copy(update={"regulatory": Regulatory.HCT_P_361})
        ),
        MEDICARE_5Y,
        catalog,
    )
    # The IND number is said, and said what it is.
    assert any(
        "a trial the FDA oversees" in q and "IND number, the FDA's go-ahead" in q for q in clinic
    )


# --- hostile data ---------------------------------------------------------------------------


def _hostile_dir(tmp_path: Path) -> Path:
    """The small fixture with the PRP therapy's name, summary and risks made hostile, written
    with TOML escapes (\\u003c is `<`) as a data file could be."""
    folder = tmp_path / "data"
    shutil.copytree(SMALL_DATA, folder)
    path = folder / "therapies.toml"
    text = path.read_text(encoding="utf-8")
    name = "\"=cmd|' /C calc'!A0 \\u003cscript\\u003ealert(1)\\u003c/script\\u003e [bold]x[/]\""
    summary = (
        '"<script>alert(1)</script> [bold]x[/] [link=file:///etc/passwd]click[/link] '
        '| # not a heading & &lt;b&gt; *not bold*"'
    )
    new = text.replace('name = "Platelet-rich plasma (PRP) injection"', f"name = {name}", 1)
    new = new.replace(
        'summary = "Your own blood, spun to concentrate platelets, injected into the joint."',
        f"summary = {summary}",
        1,
    )
    new = new.replace(
        'risks = ["Pain at the injection site for a few days"]',
        'risks = ["- not a list", "1. not a list", "    not code", "+1 not a list"]',
        1,
    )
    assert new.count(HOSTILE_MARKUP) == 2
    path.write_text(new, encoding="utf-8")
    return folder


def test_hostile_data_is_escaped(tmp_path: Path) -> None:
    catalog = _catalog(_hostile_dir(tmp_path))
    rows = _rows(catalog, MEDICARE_5Y)
    name = catalog.therapies["prp-injection"].name
    assert name == f"{HOSTILE_FORMULA} {HOSTILE_SCRIPT} {HOSTILE_MARKUP}"

    page = _render("html", rows, catalog)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert "&amp;lt;b&amp;gt;" in page

    md = _render("md", rows, catalog)
    assert "<script>" not in md
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "[bold]" not in md and "\\[bold\\]x\\[/\\]" in md
    assert "\\# not a heading \\& \\&lt;b\\&gt; \\*not bold\\*" in md
    assert "- \\- not a list\n- 1\\. not a list\n- not code\n- \\+1 not a list" in md

    table = list(csv.reader(io.StringIO(_render("csv", rows, catalog))))
    header = table[0]
    prp = table[1]
    assert prp[header.index("name")].startswith("'=")
    for row in table[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), cell

    assert json.loads(_render("json", rows, catalog))["therapies"][0]["name"] == name
    assert tomllib.loads(_render("toml", rows, catalog))["therapies"][0]["name"] == name


EVIL_HTML = "<img src=x onerror=alert(1)>"
EVIL_LINK = "[click](javascript:alert(1))"
EVIL_ADDRESS = "www.evil-clinic.com or sales@evil-clinic.com"


def _hostile_figures_dir(tmp_path: Path) -> Path:
    """The small fixture with hostile text in every field the benefit and assumption
    figures brought to the handouts: the short name, what the price leaves out, an
    assumption's reason, the benefit's measure, comparator and finding (with counts, so the
    picture of 100 people is drawn), a harm, a source's title and kind, and the plan's policy
    (worded for the patient)."""
    folder = tmp_path / "data"
    shutil.copytree(SMALL_DATA, folder)
    therapies = folder / "therapies.toml"
    text = therapies.read_text(encoding="utf-8")
    replacements = [
        ('short_name = "Platelet-rich plasma PRP"', 'short_name = "<b>PRP</b> [b]x[/b]"'),
        (
            'confidence = "medium"\nshort_name',
            'confidence = "medium"\n'
            f'not_included = ["=SUM(A1) {EVIL_HTML} {EVIL_ADDRESS}"]\nshort_name',
        ),
        (
            "No source gives how many injections people have after the first year.",
            f"{EVIL_HTML} **not bold** {EVIL_ADDRESS}",
        ),
        ('measure = "less pain"', f'measure = "Less pain {EVIL_HTML}"'),
        (
            'comparator = "salt-water injections"\nfinding',
            f'comparator = "salt {EVIL_LINK}"\nwith_therapy = 40\nwith_comparator = 30\nfinding',
        ),
        (
            "In the largest trial, PRP helped no more than salt-water injections.",
            f"# Not a heading {EVIL_HTML} {EVIL_ADDRESS} | cell",
        ),
        (
            'title = "Example PRP price survey"',
            f'title = "- {EVIL_LINK} {EVIL_HTML}"\nkind = "clinic"',
        ),
        (
            'title = "Example PRP trial"',
            f'title = "{EVIL_LINK} <script>alert(1)</script>", kind = "vendor"',
        ),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    text += (
        '\n[[therapy.harms]]\nwhat = "+' + EVIL_HTML + '"\ncount = 5\nout_of = 100\n'
        'sources = [{ title = "Harm source", url = "https://example.org/harm", '
        "accessed = 2026-05-20 }]\n"
    )
    # The harm belongs to the last therapy in the file (the knee replacement).
    therapies.write_text(text, encoding="utf-8")
    payers = folder / "payers.toml"
    payers_text = payers.read_text(encoding="utf-8")
    payers_text = payers_text.replace(
        'policy = "NCD 270.3"', f'policy = "{EVIL_HTML} {EVIL_LINK}; LCD L1"', 1
    )
    payers.write_text(payers_text, encoding="utf-8")
    return folder


def test_hostile_text_in_the_new_figures_is_shown_never_run(tmp_path: Path) -> None:
    markdown_it = pytest.importorskip("markdown_it")
    catalog = _catalog(_hostile_figures_dir(tmp_path))
    rows = _rows(catalog, MEDICARE_5Y)
    assert rows[0].benefit is not None and rows[0].therapy.not_included
    for detailed in (False, True):
        page = _render("html", rows, catalog, detailed=detailed)
        assert (
            "<img" not in page
            and "<b>" not in page
            and "javascript:" not in page.split("<body>")[0]
        )
        assert 'href="javascript' not in page
        assert re.findall(r'href="([^"]+)"', page) == [
            u for u in re.findall(r'href="([^"]+)"', page) if u.startswith("https://example.org")
        ]
        assert "evil-clinic.com" not in page and "sales@evil" not in page  # never one run
        assert "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<svg" in page and 'aria-label="Of 100 people:' in page
        label = page.split("aria-label=")[1].split('"')[1]  # the attribute, whole
        assert label.startswith("Of 100 people: 30 were helped with salt [click]")
        md = _render("md", rows, catalog, detailed=detailed)
        out = markdown_it.MarkdownIt("gfm-like", {"linkify": True}).render(md)
        assert "<img" not in out and "<script" not in out and "<b>" not in out
        assert all(h.startswith("https://example.org") for h in re.findall(r'href="([^"]+)"', out))
        assert "<h1>" in out and out.count("<h1>") == 1  # no heading from the finding
        assert "Less pain" in md or "less pain" in md
    patient = _render("md", rows, catalog, detailed=False)
    assert "**(clinic's own page)**" in patient and "**(seller's own page)**" in patient
    table = list(csv.reader(io.StringIO(_render("csv", rows, catalog))))
    for row in table[1:]:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), cell
    header = table[0]
    assert table[1][header.index("not_included")].startswith("'=SUM(A1)")
    data = json.loads(_render("json", rows, catalog))
    prp = data["therapies"][0]
    assert prp["not_included"] == list(rows[0].therapy.not_included)
    assert prp["benefit"]["finding"] == rows[0].benefit.finding
    assert prp["sources"][0]["kind"] == "clinic"
    assert tomllib.loads(_render("toml", rows, catalog)) == export.drop_none(data)


def test_markdown_renders_data_as_text(tmp_path: Path) -> None:
    """Through a real CommonMark renderer, the hostile strings come out as the same text."""
    markdown_it = pytest.importorskip("markdown_it")
    catalog = _catalog(_hostile_dir(tmp_path))
    md = _render("md", _rows(catalog, MEDICARE_5Y), catalog)
    out = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md)
    name = html.escape(catalog.therapies["prp-injection"].name, quote=False)
    assert f"<h2>1. {name}</h2>" in out
    summary = html.escape(catalog.therapies["prp-injection"].summary, quote=False)
    assert f"<p>{summary}</p>" in out
    for risk in ("- not a list", "1. not a list", "not code", "+1 not a list"):
        assert f"<li>{html.escape(risk)}</li>" in out
    assert "<script" not in out
    assert "<a " not in out
    assert "<em>not bold" not in out
    assert out.count("<h1>") == 1


def test_control_characters_never_reach_a_reader(rows: list[Row], catalog: Catalog) -> None:
    """Validation refuses these, so the rows are built past it: the handouts must hold anyway."""
    prp = rows[0]
    evil_name = f"PRP {HOSTILE_OSC52} \u202eevil\u200b \x9b31m"
    evil = dataclasses.replace(
        prp,
        therapy=prp.therapy.model_copy(
            update={
                "name": evil_name,
                "summary": f"line one\n- line two {HOSTILE_OSC52}\n    line three",
                "warnings": (f"warn {HOSTILE_OSC52}",),
            }
        ),
    )
    evil_rows = [evil, *rows[1:]]
    raw = ("\x1b", "\x07", "\u202e", "\u200b", "\x9b")
    for fmt in export.HANDOUT_FORMATS:
        out = _render(fmt, evil_rows, catalog)
        for ch in raw:
            assert ch not in out, (fmt, ch)
    md = _render("md", evil_rows, catalog)
    assert "PRP \\\\x1b\\]52;c;AAAA\\\\x07 \\\\u202eevil\\\\u200b \\\\x9b31m" in md
    assert "line one\\\n\\- line two" in md
    page = _render("html", evil_rows, catalog)
    assert "PRP \\x1b]52;c;AAAA\\x07" in page
    assert "line one<br>\n- line two" in page
    assert "\\x1b]52;c;AAAA\\x07" in _render("csv", evil_rows, catalog)
    # JSON and TOML stay lossless: the escapes read back as the original characters.
    assert json.loads(_render("json", evil_rows, catalog))["therapies"][0]["name"] == evil_name
    assert tomllib.loads(_render("toml", evil_rows, catalog))["therapies"][0]["name"] == evil_name


def test_md_text_defuses_line_starts() -> None:
    text = "a\n- b\n1. c\n    d\n# e | f"
    assert export.md_text(text, multiline=True) == "a\\\n\\- b\\\n1\\. c\\\nd\\\n\\# e \\| f"
    assert export.md_text("x\ny") == "x\\\\x0ay"  # a visible \\x0a, its backslash escaped
    assert export.md_text("1. a", line_start=False) == "1. a"


# --- writing --------------------------------------------------------------------------------


def test_write_handout_refuses_then_replaces(
    tmp_path: Path, rows: list[Row], catalog: Catalog
) -> None:
    target = tmp_path / "handout.md"
    written = export.write_handout(
        target, "md", rows, MEDICARE_5Y, catalog, today=TODAY, force=False
    )
    assert written == target
    assert target.read_text(encoding="utf-8") == _render("md", rows, catalog, detailed=False)

    target.write_text("old handout\n", encoding="utf-8")
    target.chmod(0o640)
    with pytest.raises(WriteError, match="already exists"):
        export.write_handout(target, "md", rows, MEDICARE_5Y, catalog, today=TODAY, force=False)
    assert target.read_text(encoding="utf-8") == "old handout\n"

    export.write_handout(target, "html", rows, MEDICARE_5Y, catalog, today=TODAY, force=True)
    assert target.read_text(encoding="utf-8") == _render("html", rows, catalog, detailed=False)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout.md"]


def test_write_handout_unknown_format_writes_nothing(
    tmp_path: Path, rows: list[Row], catalog: Catalog
) -> None:
    target = tmp_path / "handout.pdf"
    with pytest.raises(ValueError, match="unknown handout format"):
        export.write_handout(target, "pdf", rows, MEDICARE_5Y, catalog, today=TODAY, force=True)
    assert not target.exists()


def test_write_handout_missing_folder_is_a_write_error(
    tmp_path: Path, rows: list[Row], catalog: Catalog
) -> None:
    with pytest.raises(WriteError):
        export.write_handout(
            tmp_path / "nope" / "h.md", "md", rows, MEDICARE_5Y, catalog, today=TODAY, force=True
        )


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("handout.md", "md"),
        ("handout.markdown", "md"),
        ("Handout.HTML", "html"),
        ("handout.htm", "html"),
        ("out/handout.csv", "csv"),
        ("handout.json", "json"),
        ("handout.toml", "toml"),
    ],
)
def test_format_from_path(name: str, fmt: str) -> None:
    assert export.format_from_path(name) == fmt
    assert export.format_from_path(Path(name)) == fmt


@pytest.mark.parametrize("name", ["handout.txt", "handout", "handout.md.bak", "evil\x1b[2J.pdf"])
def test_format_from_path_refuses(name: str) -> None:
    with pytest.raises(ValueError, match=r"\.md, \.markdown, \.html") as info:
        export.format_from_path(name)
    assert "\x1b" not in str(info.value)


def test_csv_and_json_name_the_supplement_each_row_s_figures_include() -> None:
    """Medigap Plan N pays after Original Medicare, for care it covers: physical therapy's
    figures include it, PRP's (not covered) do not, in the CSV as in the JSON."""
    import csv
    import io

    bundled = load_catalog(Path(__file__).parents[2] / "data", today=date(2026, 12, 7)).catalog
    profile = Profile(
        condition="knee-osteoarthritis", payer="medicare-original", supplement="medigap-n"
    )
    rows = [
        r for r in build_rows(bundled, profile) if r.id in ("prp-injection", "physical-therapy")
    ]
    table = list(csv.DictReader(io.StringIO(_render("csv", rows, bundled, profile))))
    by_id = {r["id"]: r["supplement"] for r in table}
    assert by_id == {"prp-injection": "", "physical-therapy": "medigap-n"}
    data = json.loads(_render("json", rows, bundled, profile))
    assert {t["id"]: t["supplement"] for t in data["therapies"]} == {
        "prp-injection": None,
        "physical-therapy": "medigap-n",
    }
    assert data["profile"]["supplement"] == "medigap-n"
