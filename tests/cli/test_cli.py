"""The command line: golden output for each format, exit codes, no tracebacks, no Textual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import SMALL_PAYERS, make_data, run_cli
from helpers import check_golden as check_golden_in
from regen_compare.cli.exits import EXIT_DATA, EXIT_USAGE, EXIT_WRITE
from regen_compare.cli.main import main

GOLDEN = Path(__file__).parents[1] / "golden" / "cli"
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
    assert "usage:" not in err and "hint:" in err  # one line and a hint, not the usage block


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
    regions = json.loads((tmp_path / "schema" / "regions.schema.json").read_text())
    assert regions["$defs"]["Region"]["additionalProperties"] is False
    code, out, _ = run(capsys, "schema")
    assert set(json.loads(out)) == {
        "therapies.schema.json",
        "payers.schema.json",
        "regions.schema.json",
    }


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
        "from regen_compare.cli.main import main\n"
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


def test_a_start_from_the_cache_does_not_import_pydantic(
    small_data: Path, cache_folder: Path
) -> None:
    """Pydantic only validates data read from TOML: the models are plain classes, so once the
    cache holds the data, neither a listing nor the app's start (data, prices, the app built)
    pays pydantic's import (~45 ms of a start). The first run fills the cache and validates."""
    listing = (
        "import sys\n"
        "from regen_compare.cli.main import main\n"
        "code = main(sys.argv[1:])\n"
        "print('pydantic' in sys.modules, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    args = ["list", "--format", "json", "--data-dir", str(small_data)]
    first = _subprocess("-c", listing, *args)
    assert first.returncode == 0 and first.stderr.strip() == "True", first.stderr
    again = _subprocess("-c", listing, *args)
    assert again.returncode == 0 and again.stderr.strip() == "False", again.stderr
    app_start = (
        "import sys\n"
        "from regen_compare.cli.launch import start_arguments\n"
        "from regen_compare.cli.parser import build_parser\n"
        "args = build_parser().parse_args(sys.argv[1:])\n"
        "from regen_compare.tui.app import RegenCompareApp\n"
        "app = RegenCompareApp(watch_files=False, **start_arguments(args))\n"
        "print(len(app.consult.visible_rows()), 'pydantic' in sys.modules)\n"
    )
    started = _subprocess("-c", app_start, "--data-dir", str(small_data), "--payer", "medicare")
    assert started.returncode == 0, started.stderr
    rows, imported = started.stdout.split()
    assert int(rows) > 0 and imported == "False"


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
    from regen_compare.web import serve

    seen: dict[str, object] = {}

    def fake_run_serve(
        host: str, port: int, data_dir: str | None, extra: list[str], allowed: object
    ) -> int:
        seen.update(host=host, port=port, data_dir=data_dir, extra=extra, allowed=allowed)
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
            "--allow-host",
            "clinic.example",
            "--allow-host",
            "room.lan",
        ]
    )
    assert code == 0
    assert seen == {
        "host": "127.0.0.1",
        "port": 8123,
        "data_dir": "d",
        "extra": ["--payer", "medicare", "--years", "3", "--covered-only"],
        "allowed": ["clinic.example", "room.lan"],
    }


def test_tui_start_loads_and_checks_the_data_before_the_screen(
    monkeypatch: pytest.MonkeyPatch, small_data: Path
) -> None:
    from regen_compare.tui import app as tui_app

    seen: dict[str, object] = {}

    def fake_run_tui(
        data_dir: Path, profile: object, filters: object, marked: object = (), **kwargs: object
    ) -> int:
        seen.update(profile=profile, preloaded=kwargs.get("preloaded"))
        return 0

    monkeypatch.setattr(tui_app, "run_tui", fake_run_tui)
    assert main(["--data-dir", str(small_data), "--payer", "ppo", "--years", "2"]) == 0
    assert seen["profile"].payer == "ppo"
    assert seen["preloaded"] is not None
    with pytest.raises(SystemExit) as caught:  # an unknown id: a usage error, no screen
        main(["--data-dir", str(small_data), "--payer", "nope"])
    assert caught.value.code == 2


def test_os_errors_and_bugs_end_without_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    code, _, err = run(capsys, "schema", "--out", str(blocker / "schema"))
    assert code == EXIT_WRITE and "Traceback" not in err and "a-file" in err

    import regen_compare.cli.main as cli

    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setitem(cli.COMMANDS, "validate", broken)
    code, _, err = run(capsys, "validate")
    assert code == 70
    assert "internal error (RuntimeError in " in err and "Traceback" not in err
    assert "boom" not in err  # the message may quote a profile: only with REGEN_COMPARE_DEBUG
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

    from regen_compare.data.load import load_catalog
    from regen_compare.data.writing import catalog_files
    from regen_compare.model.catalog import Catalog

    small = Path(__file__).parents[1] / "fixtures" / "small"
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


# --- issue 14: one line and a hint, one exit code per situation --------------------------------


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--years", "99"],
        ["list", "--payer", "nope"],
        ["list", "--weights", "cots=3"],
        ["compare", "prp-injection"],
        ["list", "--sort", "price"],
    ],
)
def test_a_usage_error_is_one_line_and_a_hint(
    capsys: pytest.CaptureFixture[str], small_data: Path, args: list[str]
) -> None:
    code, out, err = run(capsys, *args, "--data-dir", str(small_data))
    assert code == EXIT_USAGE and out == ""
    lines = _lines(err)
    assert len(lines) == 2, err
    assert "error:" in lines[0] and "usage:" not in err
    assert lines[1].startswith("hint:") and "--help" in lines[1]


def test_an_existing_file_is_the_same_code_for_export_and_scenario_save(
    capsys: pytest.CaptureFixture[str], small_data: Path, tmp_path: Path
) -> None:
    target = tmp_path / "h.md"
    target.write_text("keep me", encoding="utf-8")
    code, _, err = run(
        capsys, "export", "prp-injection", "--to", str(target), "--data-dir", str(small_data)
    )
    assert code == EXIT_WRITE and "already exists" in err
    assert _lines(err) == [line for line in _lines(err) if "usage" not in line]
    assert len(_lines(err)) == 1 and target.read_text(encoding="utf-8") == "keep me"
    assert run(capsys, "scenario", "save", "Mrs A", "--data-dir", str(small_data))[0] == 0
    code, _, err = run(capsys, "scenario", "save", "Mrs A", "--data-dir", str(small_data))
    assert code == EXIT_WRITE and "already exists" in err and len(_lines(err)) == 1


def test_a_missing_scenario_is_a_usage_error_and_a_damaged_one_bad_data(
    capsys: pytest.CaptureFixture[str], small_data: Path
) -> None:
    from regen_compare import scenarios

    code, _, err = run(capsys, "scenario", "show", "nobody", "--data-dir", str(small_data))
    assert code == EXIT_USAGE and "no scenario named" in err
    assert run(capsys, "scenario", "save", "Broken", "--data-dir", str(small_data))[0] == 0
    scenarios.path_for("Broken").write_text("schema_version = 1\nname = 3\n", encoding="utf-8")
    code, _, err = run(capsys, "scenario", "show", "Broken", "--data-dir", str(small_data))
    assert code == EXIT_DATA and "hint:" not in err


def test_exit_codes_are_the_readme_table() -> None:
    from regen_compare.cli import exits as cli_exits

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit codes") :]
    codes = {
        name: getattr(cli_exits, name)
        for name in dir(cli_exits)
        if name.startswith("EXIT_") and not name.startswith("EXIT_DIFF")
    }
    for name, value in codes.items():
        assert f"| `{value}` |" in table, name


@pytest.mark.parametrize(
    ("option", "typed", "expected"),
    [
        ("--payer", "medicare", {"medicare-original", "medicare-advantage-typical"}),
        ("--condition", "knee", {"knee-osteoarthritis"}),
    ],
)
def test_close_matches_include_prefix_matches(
    capsys: pytest.CaptureFixture[str], option: str, typed: str, expected: set[str]
) -> None:
    code, _, err = run(capsys, "list", option, typed)
    assert code == EXIT_USAGE
    assert "did you mean" in err and all(e in err for e in expected)
    assert "valid ids" not in err  # not every id listed


def test_close_matches_rank_prefixes_before_spelling() -> None:
    from regen_compare.model.problems import close_matches

    plans = ["medicaid", "tricare", "medicare-original", "medicare-advantage-typical"]
    assert close_matches("medicare", plans)[:2] == [
        "medicare-original",
        "medicare-advantage-typical",
    ]
    assert close_matches("back", ["low-back-pain-facet", "knee-oa"]) == ["low-back-pain-facet"]
    assert close_matches("medicaer", plans)[0] == "medicaid"


def test_a_piped_table_never_splits_a_word(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")  # what a pipe gets without a terminal
    args = ["list", "--payer", "medicare-original", "--condition", "low-back-pain-facet"]
    code, out, _ = run(capsys, *args)
    assert code == 0
    _, listed, _ = run(capsys, *args, "--format", "json")
    names = [row["name"] for row in json.loads(listed)]
    assert any("Radiofrequency" in n for n in names)
    words = {w for n in names for w in n.split() if len(w) <= 20}
    text = " ".join(out.split())
    for word in words:
        assert word in text, word
    four = ["radiofrequency-ablation", "epidural-steroid-injection", "spinal-cord-stimulator",
            "corticosteroid-joint-injection"]  # fmt: skip
    code, out, _ = run(capsys, "compare", *four, "--payer", "medicare-original")
    assert code == 0 and "Radiofrequency" in out  # the side-by-side's headers too


# --- the parser's facts come from the core ------------------------------------------------------


def test_parser_choices_come_from_the_core() -> None:
    from regen_compare.cli import parser as cli_parser
    from regen_compare.engine.query import SORT_KEYS
    from regen_compare.model.entities import Category, Invasiveness

    assert set(cli_parser.CATEGORIES) == {c.value for c in Category}
    assert set(cli_parser.INVASIVENESS_LEVELS) == {i.value for i in Invasiveness}
    parser = cli_parser.build_parser()
    args = parser.parse_args(["list", "--sort", "fit"])
    assert args.sort == "fit" and "fit" in SORT_KEYS
    for key in SORT_KEYS:
        assert parser.parse_args(["list", "--sort", key]).sort == key


def test_passthrough_hands_on_every_profile_and_filter_option() -> None:
    from regen_compare.cli.parser import FILTER_OPTIONS, PROFILE_OPTIONS, build_parser, passthrough

    argv = [
        "--scenario", "A", "--condition", "c", "--payer", "p", "--deductible-met", "10",
        "--oop-met", "20", "--years", "3", "--region", "fl", "--weights", "cost=3",
        "--category", "traditional", "--max-invasiveness", "injection",
        "--max-patient-cost", "500", "--max-downtime-days", "7", "--covered-only",
        "--search", "knee", "--supplement", "medigap-g",
        "--units", "prp-injection=3,later=1", "--units", "physical-therapy=12",
    ]  # fmt: skip
    parser = build_parser()
    first = parser.parse_args(argv)
    handed = passthrough(first)
    assert vars(parser.parse_args(handed)) == vars(first)
    flags = {o.flag for o in (*PROFILE_OPTIONS, *FILTER_OPTIONS)}
    assert {a for a in handed if a.startswith("--")} == flags


def test_cli_modules_import_at_the_top_except_to_keep_slow_modules_off_the_start() -> None:
    """The command line starts fast: only modules a command alone needs (the app, the server,
    the exports, the schema, scenarios, the traceback of an internal error) wait in a function."""
    import ast

    allowed = {
        "regen_compare.cli.parser",
        "regen_compare.present.export",
        "regen_compare.data.schema",
        "regen_compare.scenarios",
        "regen_compare.web.serve",
        "regen_compare.tui.app",
        "traceback",
    }
    package = Path(__file__).parents[2] / "src" / "regen_compare" / "cli"
    paths = sorted(package.glob("*.py"))
    assert len(paths) >= 5
    inside = set()
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.ImportFrom) and inner.module is not None:
                        names = {f"{inner.module}.{a.name}" for a in inner.names}
                        assert inner.module in allowed or names <= allowed, (path.name, names)
                        inside.add(inner.module)
                    if isinstance(inner, ast.Import):
                        assert {a.name for a in inner.names} <= allowed, (path.name, node.name)
                returns = ast.unparse(node.returns) if node.returns else ""
                assert returns != "Any", (path.name, node.name)
    assert "regen_compare.tui.app" in inside


# --- issue 16: weights, region, fit, detailed handout -------------------------------------------


def test_weights_reach_the_json_and_sort_by_fit(
    capsys: pytest.CaptureFixture[str], small_data: Path
) -> None:
    weights = "cost=3,recovery=0,invasiveness=0,evidence=0,safety=0,relief=0"
    code, out, err = run(
        capsys, "list", *PROFILE, "--data-dir", str(small_data), "--weights", weights,
        "--sort", "fit", "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    rows = json.loads(out)
    assert rows[0]["fit_weights"] == {
        "cost": 3, "recovery": 0, "invasiveness": 0, "evidence": 0, "safety": 0, "relief": 0
    }  # fmt: skip
    middles = [(r["fit"]["min"] + r["fit"]["max"]) / 2 for r in rows if r["fit"] is not None]
    assert middles == sorted(middles, reverse=True) and len(set(middles)) > 1
    code, out, _ = run(
        capsys, "list", *PROFILE, "--data-dir", str(small_data), "--weights", weights
    )
    assert code == 0 and "Fit" in out.splitlines()[1] + out.splitlines()[0]


def test_a_bad_weight_is_a_usage_error_that_says_why(
    capsys: pytest.CaptureFixture[str], small_data: Path
) -> None:
    code, _, err = run(capsys, "list", "--data-dir", str(small_data), "--weights", "cost=5")
    assert code == EXIT_USAGE and "a weight must be 0, 1, 2 or 3" in err


def test_region_reaches_the_json_and_an_unknown_one_lists_the_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "list", "--payer", "medicare-original", "--region", "fl",
                         "--format", "json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)[0]["region"]["code"] == "FL"
    code, _, err = run(capsys, "list", "--region", "ZZ")
    assert code == EXIT_USAGE and "FL" in err and "unknown region" in err


def test_region_needs_a_regions_file(capsys: pytest.CaptureFixture[str], small_data: Path) -> None:
    code, _, err = run(capsys, "list", "--data-dir", str(small_data), "--region", "FL")
    assert code == EXIT_USAGE and "regions.toml" in err


def test_region_changes_medicare_figures(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["compare", "physical-therapy", "corticosteroid-joint-injection", "--payer",
            "medicare-original", "--format", "json"]  # fmt: skip
    plain = json.loads(run(capsys, *base)[1])
    alaska = json.loads(run(capsys, *base, "--region", "AK")[1])
    assert [r["patient_cost"] for r in plain] != [r["patient_cost"] for r in alaska]


def test_export_detailed_keeps_the_worked_figures(
    capsys: pytest.CaptureFixture[str], small_data: Path, tmp_path: Path
) -> None:
    patient, detailed = tmp_path / "p.md", tmp_path / "d.md"
    common = ["steroid-injection", *PROFILE, "--data-dir", str(small_data)]
    assert run(capsys, "export", *common, "--to", str(patient))[0] == 0
    assert run(capsys, "export", *common, "--to", str(detailed), "--detailed")[0] == 0
    assert "Year 1 worked out" not in patient.read_text(encoding="utf-8")
    assert "Year 1 worked out" in detailed.read_text(encoding="utf-8")


def test_export_shows_a_fit_only_when_the_patient_said_what_matters(
    capsys: pytest.CaptureFixture[str], small_data: Path, tmp_path: Path
) -> None:
    common = ["prp-injection", "steroid-injection", *PROFILE, "--data-dir", str(small_data)]
    plain, weighted = tmp_path / "p.html", tmp_path / "w.html"
    assert run(capsys, "export", *common, "--to", str(plain))[0] == 0
    assert run(capsys, "export", *common, "--to", str(weighted), "--weights", "cost=3")[0] == 0
    unasked = plain.read_text(encoding="utf-8")
    assert "not asked yet" in unasked and "★" not in unasked
    asked = weighted.read_text(encoding="utf-8")
    assert "not asked yet" not in asked and "★ best fit" in asked
    data = tmp_path / "p.json"
    assert run(capsys, "export", *common, "--to", str(data))[0] == 0
    handout = json.loads(data.read_text(encoding="utf-8"))
    assert handout["weights_asked"] is False
    assert [t["fit"] for t in handout["therapies"]] == [None, None]


def test_validate_checks_regions_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = make_data(tmp_path)
    (folder / "regions.toml").write_text(
        'schema_version = 1\n\n[[region]]\ncode = "fl"\n', encoding="utf-8"
    )
    code, _, err = run(capsys, "validate", "--data-dir", str(folder))
    assert code == EXIT_DATA and "regions.toml:4" in err


def test_scenarios_keep_weights_and_region(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from regen_compare import scenarios
    from regen_compare.engine.fit.score import BALANCED, Weights

    args = ["scenario", "save", "W", "--payer", "medicare-original", "--region", "FL",
            "--weights", "cost=3,safety=0"]  # fmt: skip
    assert run(capsys, *args)[0] == 0
    saved = scenarios.load("W")
    assert saved.weights == Weights.parse("cost=3,safety=0")
    assert saved.profile.region == "FL"
    code, out, _ = run(capsys, "list", "--scenario", "W", "--format", "json")
    assert code == 0 and json.loads(out)[0]["fit_weights"]["cost"] == 3
    assert json.loads(out)[0]["region"]["code"] == "FL"
    code, out, _ = run(capsys, "list", "--scenario", "W")  # the scenario's weights: a Fit column
    assert code == 0 and "Fit" in " ".join(out.splitlines()[:2])
    old = scenarios.path_for("Old")
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text(
        'schema_version = 1\nname = "Old"\nsaved = 2026-01-01\nyears = 2\n', encoding="utf-8"
    )
    opened = scenarios.load("Old")
    assert opened.weights == BALANCED and opened.profile.region is None


# --- the README is the JSON ---------------------------------------------------------------------


def test_the_readme_documents_every_json_key_and_no_other(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import re

    keys: set[str] = set()
    for args in (
        ["--payer", "medicare-original", "--region", "FL"],
        ["--payer", "medicaid", "--condition", "knee-osteoarthritis"],  # coverage unknown
    ):
        code, out, _ = run(capsys, "list", *args, "--format", "json")
        assert code == 0
        keys |= {k for row in json.loads(out) for k in row}
    assert "patient_cost_if_covered" in keys and "region" in keys
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### JSON rows") : readme.index("### Saved scenarios")]
    documented = set(re.findall(r"^\| `([a-z_]+)`", section, flags=re.MULTILINE))
    assert documented == keys


# --- third round: the consult's units and the supplement on the command line -----------------


def test_units_typed_replace_the_assumed_range_and_change_the_cost(
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ["--condition", "knee-osteoarthritis", "--payer", "self-pay"]

    def prp(*extra: str) -> dict[str, Any]:
        code, out, err = run(
            capsys,
            "compare",
            "prp-injection",
            "physical-therapy",
            *base,
            *extra,
            "--format",
            "json",
        )
        assert code == 0, err
        row: dict[str, Any] = json.loads(out)[0]
        return row

    assumed, one, three = (
        prp(),
        prp("--units", "prp-injection=1"),
        prp("--units", "prp-injection=3"),
    )
    assert assumed["units"]["set_in_consult"] is False
    assert one["units"]["set_in_consult"] is True and one["units"]["assumed"] is False
    assert one["units"]["first_year"] == {"min": 1, "max": 1}
    assert three["patient_cost"]["min"] == 3 * one["patient_cost"]["min"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--units", "prp-injection"], "write THERAPY=N"),
        (["--units", "prp-injection=-1"], "from 0 to 1000"),
        (["--units", "prp-injection=1001"], "from 0 to 1000"),
        (["--units", "prp-injection=1.234"], "at most 2 decimals"),
        (["--units", "prp-injection=nan"], "from 0 to 1000"),
        (["--units", "prp-injection=1,sooner=2"], "later=M"),
        (["--units", "nope=2"], "unknown therapy id 'nope'"),
        (["--units", "prp-injection=1", "--units", "prp-injection=2"], "names a therapy twice"),
        (["--supplement", "nope", "--payer", "medicare-original"], "unknown supplement id"),
        (["--supplement", "medigap-g"], "not after no plan"),
    ],
)
def test_bad_units_and_supplements_are_usage_errors_that_say_why(
    capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    code, _, err = run(capsys, "list", *args)
    assert code == 2
    assert says in err
