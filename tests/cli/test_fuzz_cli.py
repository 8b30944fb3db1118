"""The command line under random use: random argument lists over every command and option,
on data with random small edits (dates, numbers, ids). Whatever comes in, a run ends in a
known exit code (0, 1, 2) with messages, never in an internal error (exit 70) or a traceback.

The default run tries a few dozen cases; `pytest -m slow` many more.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import REGIONS_FL, SMALL_PAYERS, SMALL_THERAPIES, make_data, run_cli

# Each pattern's group 1 is the value an edit replaces.
DATES = re.compile(r"(\d{4}-\d{2}-\d{2})")
NUMBERS = re.compile(r"= (-?\d+(?:\.\d+)?)(?=\s|,|\}|$)", re.M)
IDS = re.compile(r'\b(?:id|therapy) = "([a-z0-9-]+)"')
IDS_USED = [
    "knee-osteoarthritis", "tennis-elbow", "prp-injection", "gene-therapy",
    "steroid-injection", "physical-therapy", "knee-replacement", "medicare", "ppo", "self-pay",
]  # fmt: skip

date_text = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2023-02-30", "2023-04-31", "0000-01-01", "9999-12-31", "2023-13-01"]),
    st.sampled_from(['"2023-02-30"', '"9999"', '"0000-01"', "2023-02-30T25:00:00", "1"]),
)
number_text = st.one_of(
    st.integers(-10, 20_000_000).map(str),
    st.sampled_from(["1e400", "-0", "nan", "inf", "0.0000001", "99999999999999999999", "1_0"]),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
)
id_text = st.one_of(
    st.sampled_from(IDS_USED), st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True)
)
published = st.sampled_from(["2014", "2023-02-30", "9999", "0000-01", "2024-02", "20x4"])


@st.composite
def edited(draw: st.DrawFn, text: str) -> str:
    """`text` with a few random edits of its dates, numbers and ids."""
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["date", "number", "id", "published"]))
        if kind == "published":
            at = [m.end() for m in re.finditer(r"accessed = \d{4}-\d{2}-\d{2}", text)]
            if at:
                i = draw(st.sampled_from(at))
                text = (
                    text[:i]
                    + f', published = "{draw(published)}"' * (text[i] == ",")
                    + (f'\npublished = "{draw(published)}"' if text[i] == "\n" else "")
                    + text[i:]
                )
            continue
        pattern, values = {"date": (DATES, date_text), "number": (NUMBERS, number_text),
                           "id": (IDS, id_text)}[kind]  # fmt: skip
        found = list(pattern.finditer(text))
        if found:
            match = draw(st.sampled_from(found))
            text = text[: match.start(1)] + draw(values) + text[match.end(1) :]
    return text


money_arg = st.one_of(
    st.sampled_from(["0", "250", "800.50", "10000000"]),
    st.sampled_from(["0", "1200"]),
    number_text,
    st.sampled_from(["abc", "", "1,000", "$5"]),
)


def _mostly(valid: list[str], junk: list[str]) -> st.SearchStrategy[str]:
    """A valid value three times in four, else junk (usage errors are one path of many)."""
    good = st.sampled_from(valid)
    return st.one_of(good, good, good, st.sampled_from(junk))


PROFILE = {
    "--condition": st.one_of(st.sampled_from(IDS_USED[:2]), id_text),
    "--payer": st.one_of(st.sampled_from(["medicare", "ppo", "self-pay"]), id_text),
    "--deductible-met": money_arg,
    "--oop-met": money_arg,
    "--years": _mostly(["1", "2", "5", "30"], ["0", "31", "-1", "x", "1e3"]),
    "--region": _mostly(["FL", "fl"], ["ZZ", "", "F\x1bL"]),
    "--weights": _mostly(["cost=3", "balanced", "cost=3,safety=0"], ["cost=9", "x=1", ""]),
    "--scenario": _mostly(["Mrs A", "Mr B"], ["nobody", ""]),
    "--supplement": _mostly(["medigap-g"], ["", "nope", "x\x1b[2J"]),
    "--units": _mostly(
        ["prp-injection=3", "physical-therapy=12,later=0", "prp-injection=0.5,later=1"],
        ["prp-injection", "=3", "nope=1", "prp-injection=1e400", "prp-injection=3,sooner=1"],
    ),
}
FILTERS = {
    "--category": _mostly(["regenerative", "traditional"], ["other"]),
    "--max-invasiveness": _mostly(["injection", "inpatient_surgery"], ["x"]),
    "--max-patient-cost": money_arg,
    "--max-downtime-days": _mostly(["0", "14", "3650"], ["3651", "-1", "1e400", "x"]),
    "--search": st.text(max_size=12),
}
FORMAT = _mostly(["table", "json", "csv", "markdown"], ["text"])
SORT = _mostly(["name", "fit", "cost", "patient_cost", "evidence", "downtime"], ["nope"])
OPTIONS_OF: dict[str, dict[str, st.SearchStrategy[str]]] = {
    "": {**PROFILE, **FILTERS},
    "list": {**PROFILE, **FILTERS, "--sort": SORT, "--format": FORMAT},
    "compare": {**PROFILE, "--format": FORMAT},
    "export": PROFILE,
    "scenario save": {**PROFILE, **FILTERS},
    "scenario compare": {"--format": FORMAT},
    "data report": {"--format": _mostly(["table", "markdown", "json"], ["csv"])},
}
FLAGS_OF = {
    "": ["--covered-only"],
    "list": ["--covered-only", "--desc"],
    "export": ["--force", "--detailed"],
    "scenario save": ["--covered-only", "--force"],
    "validate": ["--strict"],
}
COMMANDS = [
    [], ["list"], ["list"], ["list"], ["compare"], ["compare"], ["export"], ["validate"],
    ["schema"], ["data", "report"], ["data", "diff"], ["scenario", "save", "Mrs A"],
    ["scenario", "save", "Mr B"], ["scenario", "show", "Mrs A"],
    ["scenario", "compare", "Mrs A", "Mr B"], ["scenario", "list"],
    ["scenario", "rename", "Mrs A", "Mrs \u0391"], ["scenario", "delete", "Mr B"],
]  # fmt: skip
NO_DATA = (["data", "diff"], ["scenario", "list"], ["scenario", "rename"], ["scenario", "delete"])


@st.composite
def argument_lists(draw: st.DrawFn) -> list[str]:
    """A command (sometimes after saving the scenarios it names) with options it takes,
    mostly valid, sometimes junk, sometimes one it does not take."""
    words = list(draw(st.sampled_from(COMMANDS)))
    key = " ".join(words[:2]) if words[:1] in (["scenario"], ["data"]) else " ".join(words[:1])
    if words[:1] in (["compare"], ["export"]):
        words += draw(st.lists(st.one_of(st.sampled_from(IDS_USED[2:7]), id_text), max_size=4))
    if words[:1] == ["export"]:
        words += ["--to", "OUT/" + draw(st.sampled_from(["h.md", "h.html", "h.csv", "h.x"]))]
    if words[:2] == ["data", "diff"]:
        words += ["DATA", "GOOD"]
    if words[:1] == ["schema"] and draw(st.booleans()):
        words += ["--out", "OUT/schema"]
    options = OPTIONS_OF.get(key, {})
    if options:
        for option in draw(st.lists(st.sampled_from(sorted(options)), max_size=5)):
            words += [option, draw(options[option])]
    flags = FLAGS_OF.get(key, [])
    if flags:
        words += draw(st.lists(st.sampled_from(flags), max_size=2, unique=True))
    if draw(st.integers(0, 19)) == 0:  # an option this command does not take
        words += [draw(st.sampled_from(["--sort", "--to", "--strict", "--nope"])), "x"]
    if words[:2] not in NO_DATA and draw(st.integers(0, 4)) > 0:
        words += ["--data-dir", "DATA"]
    return words


def _check(
    argv: list[str],
    therapies: str,
    payers: str,
    saved: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(root / "scenarios"))
        data = make_data(root / "data", therapies=therapies, payers=payers)
        (data / "regions.toml").write_text(REGIONS_FL, encoding="utf-8")
        good = make_data(root / "good")
        if saved:  # the scenarios the commands name, saved on sound data
            for name, extra in (("Mrs A", ["--region", "FL"]), ("Mr B", ["--payer", "ppo"])):
                run_cli(capsys, "scenario", "save", name, "--payer", "medicare",
                        "--mark", "prp-injection", *extra, "--data-dir", str(good))  # fmt: skip
        (root / "out").mkdir()
        words = [
            w.replace("OUT", str(root / "out"))
            .replace("DATA", str(data))
            .replace("GOOD", str(good))
            for w in argv
        ]
        code, out, err = run_cli(capsys, *words)
    event(f"exit {code}")
    assert code in (0, 1, 2), (argv, code, err[-2000:])
    assert "internal error" not in err, (argv, err[-2000:])
    assert "Traceback" not in out + err, (argv, err[-2000:])


COMMON = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CASES = {
    "argv": argument_lists(),
    "therapies": edited(SMALL_THERAPIES),
    "payers": edited(SMALL_PAYERS),
    "saved": st.booleans(),
}


@settings(COMMON, max_examples=60)
@given(**CASES)
def test_random_command_lines_end_in_a_known_exit_code(
    argv: list[str],
    therapies: str,
    payers: str,
    saved: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    _check(argv, therapies, payers, saved, capsys, monkeypatch)


@pytest.mark.slow
@settings(COMMON, max_examples=1500)
@given(**CASES)
def test_random_command_lines_end_in_a_known_exit_code_at_length(
    argv: list[str],
    therapies: str,
    payers: str,
    saved: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _check(argv, therapies, payers, saved, capsys, monkeypatch)
