"""`data report` and `data diff`: golden output on two fixture data sets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from helpers import check_golden as check_golden_in
from helpers import run_cli
from regen_compare.data.load import load_catalog
from regen_compare.model.catalog import Catalog
from regen_compare.present.maintenance import build_report, render_report

GOLDEN = Path(__file__).parents[1] / "golden" / "maintenance"
V2 = Path(__file__).parents[1] / "fixtures" / "small-v2"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


def check_golden(name: str, text: str) -> None:
    check_golden_in(GOLDEN, name, text)


REPORT_DAY = date(2026, 12, 7)
"""The day the golden reports are made on: sources' ages are counted to it."""


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_report_golden(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    catalog = load_catalog(V2, today=REPORT_DAY).catalog
    out = render_report(build_report(catalog, today=REPORT_DAY), fmt)
    check_golden(f"report.{fmt}.txt", out)
    # The command prints the same report, made today.
    code, printed, err = run(capsys, "data", "report", "--data-dir", str(V2), "--format", fmt)
    assert code == 0, err
    assert printed.splitlines()[:3] == out.splitlines()[:3]


def test_the_report_says_per_payer_how_much_is_ruled_and_how_old_the_newest_source_is(
    small_data: Path,
) -> None:
    catalog = load_catalog(small_data, today=REPORT_DAY).catalog
    payer = catalog.payers["medicare"]
    rule = payer.coverage[0]
    # One rule marked `varies`, with a source published in March 2026 and one undated.
    template = payer.sources[0]
    dated = template.model_copy(update={"published": "2026-03"})
    undated = template.model_copy(update={"published": None})
    older = template.model_copy(update={"published": "2026"})
    changed = rule.model_copy(update={"varies": "plans decide", "sources": (older, dated, undated)})
    new_payer = payer.model_copy(update={"coverage": (changed, *payer.coverage[1:])})
    catalog = Catalog.build(
        list(catalog.conditions.values()),
        list(catalog.therapies.values()),
        [new_payer if p.id == "medicare" else p for p in catalog.payers.values()],
    )
    report = build_report(catalog, today=REPORT_DAY)
    fresh = {f.payer: f for f in report.by_payer}["medicare"]
    assert fresh.ruled == 5 - report.unknown_by_payer["medicare"]
    assert fresh.varies == 1
    # "2026" alone is not newer than "2026-03": a year counts from its first day.
    assert (fresh.newest_published, fresh.months_old) == ("2026-03", 9)
    assert fresh.dated < fresh.sources
    assert (rule.therapy, "medicare") in report.varies
    text = render_report(report, "table")
    assert "†" in text and "≈" not in text.split("Oldest")[0] and "2026-03: 9 months old" in text
    as_json = json.loads(render_report(report, "json"))
    assert {"therapy": rule.therapy, "payer": "medicare"} in as_json["varies"]
    assert as_json["by_payer"]["medicare"]["newest_source_months_old"] == 9


def test_report_counts(capsys: pytest.CaptureFixture[str], small_data: Path) -> None:
    _, out, _ = run(capsys, "data", "report", "--data-dir", str(small_data), "--format", "json")
    report = json.loads(out)
    # 5 therapies × 2 payers = 10 cells; 7 rules → 3 unknown; gene therapy has no rule at all.
    assert report["counts"]["cells"] == 10 and report["counts"]["unknown_cells"] == 3
    assert report["therapies_without_rules"] == ["gene-therapy"]
    assert report["matrix"]["prp-injection"] == {"medicare": "not_covered", "ppo": "unknown"}


def test_diff_golden_and_exit_codes(capsys: pytest.CaptureFixture[str], small_data: Path) -> None:
    code, out, _ = run(capsys, "data", "diff", str(small_data), str(V2))
    assert code == 1
    check_golden("diff.txt", out)
    code, out, _ = run(capsys, "data", "diff", str(small_data), str(small_data))
    assert (code, out) == (0, "no differences\n")


def test_diff_json(capsys: pytest.CaptureFixture[str], small_data: Path) -> None:
    _, out, _ = run(capsys, "data", "diff", str(small_data), str(V2), "--format", "json")
    changes = json.loads(out)
    assert {
        "kind": "changed",
        "where": "therapy[prp-injection].price.min",
        "old": "500",
        "new": "600",
    } in changes
    assert {
        "kind": "removed",
        "where": "therapy[gene-therapy]",
        "old": None,
        "new": None,
    } in changes
    assert {
        "kind": "added",
        "where": "payer[ppo].coverage[topical-nsaid]",
        "old": None,
        "new": None,
    } in changes


def test_diff_refuses_invalid_data(
    capsys: pytest.CaptureFixture[str], small_data: Path, tmp_path: Path
) -> None:
    (tmp_path / "therapies.toml").write_text("schema_version = 1\n[[therapy]]\nid = 3\n")
    (tmp_path / "payers.toml").write_text("schema_version = 1\n")
    code, _, err = run(capsys, "data", "diff", str(small_data), str(tmp_path))
    assert code == 2
    assert "cannot be compared until it is valid" in err


def test_the_report_says_per_condition_how_many_options_state_a_chance_of_benefit() -> None:
    """Bundled data: every knee option but the gene therapy in trials says what trials found;
    the report names the one that does not (shown to patients as "not known")."""
    catalog = load_catalog(Path(__file__).parents[2] / "data", today=REPORT_DAY).catalog
    report = build_report(catalog, today=REPORT_DAY)
    knee = {b.condition: b for b in report.benefit}["knee-osteoarthritis"]
    listed = [t for t in catalog.therapies.values() if "knee-osteoarthritis" in t.conditions]
    assert knee.options == len(listed)
    assert knee.counted + knee.finding_only + len(knee.none) == knee.options
    assert knee.none == ("knee-oa-gene-therapy",)
    assert knee.counted == sum(
        (b := t.benefit_for("knee-osteoarthritis")) is not None and b.with_therapy is not None
        for t in listed
    )
    as_json = json.loads(render_report(report, "json"))
    assert as_json["benefit_by_condition"]["knee-osteoarthritis"]["not_known"] == [
        "knee-oa-gene-therapy"
    ]
    assert as_json["therapies_with_harms"] == report.harms > 0
    assert "not known for knee-osteoarthritis: knee-oa-gene-therapy" in render_report(
        report, "table"
    )
