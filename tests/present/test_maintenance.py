"""`data report` and `data diff`: golden output on two fixture data sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import check_golden as check_golden_in
from helpers import run_cli

GOLDEN = Path(__file__).parents[1] / "golden" / "maintenance"
V2 = Path(__file__).parents[1] / "fixtures" / "small-v2"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


def check_golden(name: str, text: str) -> None:
    check_golden_in(GOLDEN, name, text)


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_report_golden(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, err = run(capsys, "data", "report", "--data-dir", str(V2), "--format", fmt)
    assert code == 0, err
    check_golden(f"report.{fmt}.txt", out)


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
