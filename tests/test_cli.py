"""The command line: golden output for each format, exit codes, no tracebacks, no Textual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import SMALL_PAYERS, make_data, run_cli
from helpers import check_golden as check_golden_in
from regen_compare.cli import main

GOLDEN = Path(__file__).parent / "golden" / "cli"
PROFILE = ["--condition", "knee-osteoarthritis", "--payer", "medicare", "--years", "5"]


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_cli(capsys, *args)


def check_golden(name: str, text: str) -> None:
    check_golden_in(GOLDEN, name, text)


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_list_golden(capsys: pytest.CaptureFixture[str], small_data: Path, fmt: str) -> None:
    code, out, err = run(
        capsys,
        "list",
        "--data-dir",
        str(small_data),
        *PROFILE,
        "--sort",
        "patient_cost",
        "--format",
        fmt,
    )
    assert code == 0, err
    check_golden(f"list.{fmt}.txt", out)


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_compare_golden(capsys: pytest.CaptureFixture[str], small_data: Path, fmt: str) -> None:
    code, out, err = run(
        capsys,
        "compare",
        "prp-injection",
        "steroid-injection",
        "knee-replacement",
        "--data-dir",
        str(small_data),
        *PROFILE,
        "--format",
        fmt,
    )
    assert code == 0, err
    check_golden(f"compare.{fmt}.txt", out)


def test_json_numbers_are_numbers_and_order_is_kept(
    capsys: pytest.CaptureFixture[str], small_data: Path
) -> None:
    _, out, _ = run(
        capsys,
        "compare",
        "knee-replacement",
        "prp-injection",
        "--data-dir",
        str(small_data),
        "--payer",
        "ppo",
        "--format",
        "json",
    )
    rows = json.loads(out)
    assert [r["id"] for r in rows] == ["knee-replacement", "prp-injection"]
    tka = rows[0]
    # PPO: 1,500 deductible + 20 % of the rest, capped at 5,000.
    # low: 1500 + (8000 − 1500) × 0.2 = 2800; high: 1500 + 28500 × 0.2 = 7200 → cap 5000.
    # typical: the midpoints (price 19,000; 1 unit) → 1500 + 17,500 × 0.2 = 5,000 → cap 5,000.
    assert tka["patient_cost"] == {"min": 2800, "typical": 5000, "max": 5000}
    assert tka["cost"] == {"min": 8000, "typical": 19000, "max": 30000}
    assert tka["coverage"] == "covered" and rows[1]["coverage"] == "unknown"
    for key in (
        "id",
        "name",
        "category",
        "modality",
        "invasiveness",
        "evidence",
        "regulatory",
        "coverage",
        "policy",
        "cost",
        "patient_cost",
        "downtime_days",
        "full_weeks",
    ):
        assert key in tka


def test_list_without_payer_has_null_patient_cost(
    capsys: pytest.CaptureFixture[str], small_data: Path
) -> None:
    _, out, _ = run(capsys, "list", "--data-dir", str(small_data), "--format", "json")
    rows = json.loads(out)
    assert all(r["patient_cost"] is None and r["coverage"] is None for r in rows)
    gene = next(r for r in rows if r["id"] == "gene-therapy")
    assert gene["cost"] is None and gene["basis"] == "not_sold"


def test_validate_summary(capsys: pytest.CaptureFixture[str], small_data: Path) -> None:
    code, out, _ = run(capsys, "validate", "--data-dir", str(small_data))
    assert code == 0
    assert out == "valid: 2 conditions, 5 therapies, 3 payers, 7 coverage rules\n"


def test_validate_warnings_and_strict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = make_data(
        tmp_path, payers=SMALL_PAYERS.replace("accessed = 2026-01-05", "accessed = 2020-01-05", 1)
    )
    code, out, _ = run(capsys, "validate", "--data-dir", str(folder))
    assert code == 0 and "warning:" in out and "valid with 1 warning" in out
    code, _, _ = run(capsys, "validate", "--data-dir", str(folder), "--strict")
    assert code == 1


def test_bad_data_exits_1_with_located_messages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = make_data(
        tmp_path, payers=SMALL_PAYERS.replace('status = "not_covered"', 'status = "nope"')
    )
    for command in (["validate"], ["list"], ["compare", "prp-injection", "gene-therapy"]):
        code, _, err = run(capsys, *command, "--data-dir", str(folder))
        assert code == 1
        assert f"{folder / 'payers.toml'}:14: payer[medicare].coverage[prp-injection].status" in err
        assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["list", "--payer", "medicar"], "did you mean: medicare"),
        (["list", "--condition", "knee"], "unknown condition id 'knee'"),
        (["compare", "prp-injection", "steroid-injectoin"], "did you mean: steroid-injection"),
        (["compare", "prp-injection"], "at least two"),
        (["list", "--years", "0"], "years must be between 1 and 30"),
        (["list", "--deductible-met", "lots"], "not an amount"),
        (["list", "--sort", "price"], "invalid choice"),
        (["export", "prp-injection", "--to", "x.docx"], ".docx"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], small_data: Path, args: list[str], words: str
) -> None:
    code, _, err = run(capsys, *args, "--data-dir", str(small_data))
    assert code == 2
    assert words in err
    assert "usage:" in err


def test_profile_options_before_the_command(
    capsys: pytest.CaptureFixture[str], small_data: Path
) -> None:
    code, out, _ = run(
        capsys, "--data-dir", str(small_data), "--payer", "ppo", "list", "--format", "json"
    )
    assert code == 0
    assert json.loads(out)[0]["coverage"] is not None


def test_schema_written_and_valid_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "schema", "--out", str(tmp_path / "schema"))
    assert code == 0
    therapies = json.loads((tmp_path / "schema" / "therapies.schema.json").read_text())
    payers = json.loads((tmp_path / "schema" / "payers.schema.json").read_text())
    assert therapies["additionalProperties"] is False
    assert "Therapy" in therapies["$defs"] and "Coverage" in payers["$defs"]
    assert therapies["$defs"]["Therapy"]["additionalProperties"] is False
    code, out, _ = run(capsys, "schema")
    assert set(json.loads(out)) == {"therapies.schema.json", "payers.schema.json"}


def _subprocess(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_list_compare_export_do_not_import_textual(small_data: Path, tmp_path: Path) -> None:
    probe = (
        "import sys, runpy\n"
        "from regen_compare.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
        "sys.exit(code)\n"
    )
    for args in (
        ["list", "--format", "json"],
        ["compare", "prp-injection", "steroid-injection"],
        ["export", "prp-injection", "--to", str(tmp_path / "h.md")],
        ["validate"],
    ):
        done = _subprocess("-c", probe, *args, "--data-dir", str(small_data))
        assert done.returncode == 0, done.stderr


def test_piped_output_has_no_escape_codes_and_no_colour(small_data: Path) -> None:
    done = _subprocess(
        "-m",
        "regen_compare",
        "list",
        "--data-dir",
        str(small_data),
        "--payer",
        "medicare",
        env={"FORCE_COLOR": ""},
    )
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    forced = _subprocess(
        "-m",
        "regen_compare",
        "list",
        "--data-dir",
        str(small_data),
        env={"NO_COLOR": "1", "TERM": "xterm-256color"},
    )
    assert "\x1b[3" not in forced.stdout


def test_serve_passes_the_profile_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from regen_compare import serve

    seen: dict[str, object] = {}

    def fake_run_serve(host: str, port: int, data_dir: str | None, extra: list[str]) -> int:
        seen.update(host=host, port=port, data_dir=data_dir, extra=extra)
        return 0

    monkeypatch.setattr(serve, "run_serve", fake_run_serve)
    code = main(
        [
            "serve",
            "--port",
            "8123",
            "--payer",
            "medicare",
            "--years",
            "3",
            "--covered-only",
            "--data-dir",
            "d",
        ]
    )
    assert code == 0
    assert seen == {
        "host": "127.0.0.1",
        "port": 8123,
        "data_dir": "d",
        "extra": ["--payer", "medicare", "--years", "3", "--covered-only"],
    }


@pytest.mark.parametrize("large", [False, True])
def test_tui_start_checks_small_data_and_defers_large(
    monkeypatch: pytest.MonkeyPatch, small_data: Path, large: bool
) -> None:
    import regen_compare.cli as cli
    from regen_compare.tui import app as tui_app

    seen: dict[str, object] = {}

    def fake_run_tui(
        data_dir: Path, profile: object, filters: object, marked: object = (), **kwargs: object
    ) -> int:
        seen.update(profile=profile, preloaded=kwargs.get("preloaded"))
        return 0

    monkeypatch.setattr(tui_app, "run_tui", fake_run_tui)
    if large:
        monkeypatch.setattr(cli, "PRELOAD_BELOW_BYTES", 0)
    assert main(["--data-dir", str(small_data), "--payer", "ppo", "--years", "2"]) == 0
    assert seen["profile"].payer == "ppo"
    assert (seen["preloaded"] is None) is large
    if not large:  # small data: an unknown id is a usage error before the screen opens
        with pytest.raises(SystemExit) as caught:
            main(["--data-dir", str(small_data), "--payer", "nope"])
        assert caught.value.code == 2


def test_os_errors_and_bugs_end_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run(capsys, "schema", "--out", str(blocker / "schema"))
    assert code == 1 and "Traceback" not in err and "a-file" in err

    import regen_compare.cli as cli

    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli.COMMANDS, "validate", broken)
    code, _, err = run(capsys, "validate")
    assert code == 70
    assert "internal error (RuntimeError: boom)" in err and "Traceback" not in err
    monkeypatch.setenv("REGEN_COMPARE_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["validate"])


# --- small edges: closed pipe, empty folder option, no terminal, long echoes ------------------


def _pipe_then_close(args: list[str]) -> subprocess.CompletedProcess[bytes]:
    """Run the CLI writing into a pipe whose reader has read one line and gone (`| head -1`).
    Enough rows are asked for that the output cannot fit in the pipe's buffer."""
    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "regen_compare", *args],
        stdout=write_end,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        reader.readline()
    _, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, b"", err)


def _many_therapies(folder: Path, count: int) -> Path:
    from datetime import date

    from regen_compare.catalog import Catalog
    from regen_compare.datafile import catalog_files
    from regen_compare.load import load_catalog

    small = Path(__file__).parent / "data" / "small"
    base = load_catalog(small, today=date(2026, 11, 22)).catalog
    seeds = list(base.therapies.values())
    therapies = seeds + [
        seeds[i % len(seeds)].model_copy(update={"id": f"{seeds[i % len(seeds)].id}-copy-{i:05d}"})
        for i in range(count)
    ]
    catalog = Catalog.build(list(base.conditions.values()), therapies, list(base.payers.values()))
    folder.mkdir(parents=True)
    for name, text in catalog_files(catalog).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_closed_pipe_ends_quietly_with_0(tmp_path: Path, fmt: str) -> None:
    data = _many_therapies(tmp_path / "big", 600)
    done = _pipe_then_close(["list", "--data-dir", str(data), "--format", fmt])
    assert done.returncode == 0, done.stderr.decode()
    assert done.stderr == b""


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--data-dir", ""],
        ["--data-dir", "", "list"],
        ["validate", "--data-dir", ""],
        ["schema", "--out", ""],
        ["data", "diff", "", "x"],
    ],
)
def test_an_empty_folder_option_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert "not an empty string" in err


def test_the_tui_refuses_to_start_without_a_terminal(small_data: Path) -> None:
    for stdin, stdout in ((subprocess.DEVNULL, subprocess.PIPE), (None, subprocess.PIPE)):
        done = subprocess.run(
            [sys.executable, "-m", "regen_compare", "--data-dir", str(small_data)],
            stdin=stdin,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=30,
            check=False,
        )
        assert done.returncode == 2
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1
        assert "needs a terminal" in done.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--years", "x" * 100_000],
        ["list", "--max-patient-cost", "9" * 100_000],
        ["list", "--category", "c" * 100_000],
        ["list", "u" * 100_000],
        ["list", "--payer", "p" * 100_000],
    ],
)
def test_echoed_values_are_cut_to_a_readable_length(
    capsys: pytest.CaptureFixture[str], small_data: Path, argv: list[str]
) -> None:
    code, _, err = run(capsys, *argv, "--data-dir", str(small_data))
    assert code == 2
    assert len(err) < 3_000
    assert "more characters)" in err
