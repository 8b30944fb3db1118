"""Saved scenarios: round trips, file mode, atomic replace, stale references, the CLI."""

from __future__ import annotations

import os
import stat
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regen_compare import scenarios
from regen_compare.cli import main
from regen_compare.costs import Profile
from regen_compare.load import load_catalog
from regen_compare.model import Category, Invasiveness
from regen_compare.query import Filters
from regen_compare.scenarios import Scenario, ScenarioError

TODAY = date(2026, 11, 22)
money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)

profiles = st.builds(
    Profile,
    condition=st.none() | st.sampled_from(["knee-osteoarthritis", "tennis-elbow"]),
    payer=st.none() | st.sampled_from(["medicare", "ppo", "self-pay"]),
    deductible_met=money,
    oop_met=money,
    years=st.integers(1, 30),
)
filters = st.builds(
    Filters,
    category=st.none() | st.sampled_from(list(Category)),
    max_invasiveness=st.none() | st.sampled_from(list(Invasiveness)),
    max_patient_cost=st.none() | money,
    max_downtime_days=st.none() | st.decimals(min_value=0, max_value=3650, places=0),
    covered_only=st.booleans(),
    search=st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), max_size=30).map(str.strip),
)
names = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs", "Pd"]), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s)


@settings(max_examples=100, deadline=None)
@given(
    name=names,
    profile=profiles,
    chosen=filters,
    marked=st.lists(
        st.sampled_from(["prp-injection", "steroid-injection", "gene-therapy"]),
        max_size=3,
        unique=True,
    ),
)
def test_round_trip(name: str, profile: Profile, chosen: Filters, marked: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario = Scenario(name, profile, chosen, tuple(marked))
        path = scenarios.save(scenario, folder=folder, today=TODAY)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert scenarios.load(name, folder=folder) == scenario
        assert scenarios.list_names(folder) == [name]
        scenarios.delete(name, folder=folder)
        assert scenarios.list_names(folder) == []


def test_replace_only_when_asked_and_atomically(tmp_path: Path) -> None:
    first = Scenario("Mr B", Profile(payer="medicare"), Filters())
    path = scenarios.save(first, folder=tmp_path, today=TODAY)
    before = path.read_bytes()
    with pytest.raises(ScenarioError, match="already exists"):
        scenarios.save(Scenario("Mr B", Profile(payer="ppo"), Filters()), folder=tmp_path)
    assert path.read_bytes() == before
    scenarios.save(
        Scenario("Mr B", Profile(payer="ppo"), Filters()),
        folder=tmp_path,
        overwrite=True,
        today=TODAY,
    )
    assert scenarios.load("Mr B", folder=tmp_path).profile.payer == "ppo"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temp files left


def test_stale_temp_files_are_cleaned(tmp_path: Path) -> None:
    leftover = tmp_path / ".mr-b.toml.abc123.rc-tmp"
    leftover.write_text("half a file")
    scenarios.save(Scenario("Mr B", Profile(), Filters()), folder=tmp_path, today=TODAY)
    assert not leftover.exists()


def test_rename_and_delete(tmp_path: Path) -> None:
    scenarios.save(Scenario("old", Profile(years=3), Filters()), folder=tmp_path, today=TODAY)
    scenarios.rename("old", "new name", folder=tmp_path)
    assert scenarios.list_names(tmp_path) == ["new name"]
    assert scenarios.load("new name", folder=tmp_path).profile.years == 3
    with pytest.raises(ScenarioError, match="no scenario named 'old'"):
        scenarios.load("old", folder=tmp_path)
    scenarios.delete("new name", folder=tmp_path)
    with pytest.raises(ScenarioError):
        scenarios.delete("new name", folder=tmp_path)


def test_missing_references_load_with_notes(small_data: Path) -> None:
    catalog = load_catalog(small_data, today=TODAY).catalog
    old = Scenario(
        "x",
        Profile(condition="gone-condition", payer="gone-plan"),
        Filters(),
        ("prp-injection", "gone-therapy"),
    )
    resolved = scenarios.resolve(old, catalog)
    assert resolved.scenario.marked == ("prp-injection",)
    assert resolved.scenario.profile.payer is None and resolved.scenario.profile.condition is None
    assert len(resolved.notes) == 3 and "gone-therapy" in resolved.notes[2]


@pytest.mark.parametrize(
    "content",
    [
        b"name = 3\n",
        b"\x00\x01",
        b"name = 'x'\nsaved = 2026-01-01\nyears = 99\n",
        b"name = 'x'\nsaved = 2026-01-01\nmystery = 1\n",
    ],
)
def test_damaged_file_is_a_clear_error(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x.toml").write_bytes(content)
    with pytest.raises(ScenarioError):
        scenarios.load("x", folder=tmp_path)
    assert scenarios.list_names(tmp_path) == []


def test_cli_save_compare_and_use(
    capsys: pytest.CaptureFixture[str],
    small_data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(tmp_path))
    data = ["--data-dir", str(small_data)]
    marks = ["--mark", "steroid-injection", "--mark", "knee-replacement"]
    assert main(["scenario", "save", "A", *data, "--payer", "medicare", *marks]) == 0
    assert main(["scenario", "save", "B", *data, "--payer", "ppo", "--years", "2", *marks]) == 0
    capsys.readouterr()
    assert main(["scenario", "compare", "A", "B", *data, "--format", "json"]) == 0
    import json

    lines = json.loads(capsys.readouterr().out)
    plan = next(x for x in lines if x["label"] == "Plan")
    assert plan == {
        "therapy": "",
        "label": "Plan",
        "a": "Original Medicare",
        "b": "Employer PPO (illustrative)",
        "differs": True,
    }
    # The scenario's profile is the default; an explicit option overrides it.
    assert main(["list", *data, "--scenario", "B", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows[0]["patient_cost_by_year"]) == 2
    assert main(["list", *data, "--scenario", "B", "--years", "1", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)[0]["patient_cost_by_year"]) == 1
    with pytest.raises(SystemExit) as caught:
        main(["list", *data, "--scenario", "nope"])
    assert caught.value.code == 2
