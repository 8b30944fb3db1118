"""A FIFO or a device as a data file, the regions file or a saved scenario is refused at
once, with a message, on every path that reads one: nothing is opened for reading before it
is known to be a regular file of bounded size.

A hang must fail the test, not block the run: a rescuer thread opens every FIFO for writing
after `HANG_SECONDS` (which lets a blocked reader go on), and each case must have ended well
before that."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from helpers import REGIONS_FL, make_data, make_hazard, rescued, run_cli
from regen_compare import scenarios
from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Filters

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")

QUICK_SECONDS = 3.0
REFUSED = ("not a regular file", "is a FIFO", "is a device")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = make_data(tmp_path / "data")
    (folder / "regions.toml").write_text(REGIONS_FL, encoding="utf-8")
    return folder


def _run(capsys: pytest.CaptureFixture[str], folder: Path, *argv: str) -> tuple[int, str]:
    started = time.monotonic()
    with rescued(folder):
        code, _, err = run_cli(capsys, *argv)
    assert time.monotonic() - started < QUICK_SECONDS, f"{argv} took too long: it waited"
    return code, err


DATA_COMMANDS = [
    ["validate"],
    ["list"],
    ["compare", "prp-injection", "gene-therapy"],
    ["export", "prp-injection", "gene-therapy", "--to", "OUT/h.md"],
    ["data", "report"],
    ["scenario", "save", "Mrs A"],
]


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("name", ["therapies.toml", "payers.toml"])
@pytest.mark.parametrize("command", DATA_COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_a_data_file_that_is_no_regular_file_is_refused_at_once(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    kind: str,
    name: str,
    command: list[str],
) -> None:
    monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(tmp_path / "scenarios"))
    make_hazard(data / name, kind)
    argv = [a.replace("OUT", str(tmp_path)) for a in command]
    code, err = _run(capsys, data, *argv, "--data-dir", str(data))
    assert code == 1, err
    assert name in err and any(word in err for word in REFUSED), err


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_data_diff_of_a_folder_with_a_special_file_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: Path, kind: str
) -> None:
    make_hazard(data / "payers.toml", kind)
    good = make_data(tmp_path / "good")
    code, err = _run(capsys, data, "data", "diff", str(good), str(data))
    assert code == 2 and any(word in err for word in REFUSED), err


REGION_COMMANDS = [["validate"], ["list", "--region", "FL"], ["list", "--payer", "medicare"]]


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize("command", REGION_COMMANDS, ids=lambda c: "-".join(c))
def test_a_regions_file_that_is_no_regular_file_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], data: Path, kind: str, command: list[str]
) -> None:
    """`list --region FL` used to say the file was missing; `list` without a region does not
    read it at all."""
    make_hazard(data / "regions.toml", kind)
    code, err = _run(capsys, data, *command, "--data-dir", str(data))
    if "--region" not in command and command != ["validate"]:
        assert code == 0, err
        return
    assert code == 1, err
    assert "regions.toml" in err and any(word in err for word in REFUSED), err
    assert "missing" not in err


@pytest.mark.parametrize("kind", ["fifo", "device"])
@pytest.mark.parametrize(
    "command",
    [["scenario", "show", "Mrs A"], ["list", "--scenario", "Mrs A"], ["scenario", "list"],
     ["scenario", "compare", "Mrs A", "Mr B"], ["scenario", "save", "Mrs A", "--force"]],
    ids=lambda c: "-".join(c[:2]),
)  # fmt: skip
def test_a_scenario_file_that_is_no_regular_file_is_refused_at_once(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: Path,
    kind: str,
    command: list[str],
) -> None:
    folder = tmp_path / "scenarios"
    monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(folder))
    scenarios.save(scenarios.Scenario("Mr B", Profile(), Filters()))
    folder.mkdir(exist_ok=True)
    path = scenarios.path_for("Mrs A")
    make_hazard(path, kind)
    data_dir = [] if command == ["scenario", "list"] else ["--data-dir", str(data)]
    code, err = _run(capsys, folder, *command, *data_dir)
    if command == ["scenario", "list"]:
        assert code == 0 and any(word in err for word in REFUSED), err
        return
    if kind == "device" and "--force" in command:  # a link: replaced itself, as asked
        assert code == 0 and path.is_file() and not path.is_symlink(), err
        return
    assert code == 1, err
    assert any(word in err for word in (*REFUSED, "is a device", "is a FIFO")), err
