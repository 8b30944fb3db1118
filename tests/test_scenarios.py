"""Saved scenarios: round trips, file mode, atomic replace, stale references, the CLI."""

from __future__ import annotations

import os
import stat
import tempfile
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regen_compare import scenarios
from regen_compare.cli.main import main
from regen_compare.data.load import load_catalog
from regen_compare.engine.costs import Profile, UnitsChoice
from regen_compare.engine.query import Filters
from regen_compare.model.entities import Category, Invasiveness
from regen_compare.present import side_by_side
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
    supplement=st.none() | st.sampled_from(["medigap-g", "medicaid-qmb"]),
    units=st.lists(
        st.builds(
            UnitsChoice,
            therapy=st.sampled_from(["prp-injection", "physical-therapy", "opioids"]),
            first_year=st.decimals(min_value=0, max_value=1000, places=2),
            later_years=st.none() | st.decimals(min_value=0, max_value=1000, places=2),
        ),
        max_size=3,
        unique_by=lambda u: u.therapy,
    ).map(tuple),
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
        # A search is for the moment: it is not kept.
        kept = replace(scenario, filters=replace(chosen, search=""))
        assert scenarios.load(name, folder=folder) == kept
        assert "search" not in tomllib.loads(path.read_text(encoding="utf-8"))
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
    """An old leftover of a killed save is removed; a young one may be another process's
    save in progress and is kept."""
    leftover = tmp_path / ".mr-b.toml.abc123.rc-tmp"
    leftover.write_text("half a file")
    two_hours_ago = leftover.stat().st_mtime - 7200
    os.utime(leftover, (two_hours_ago, two_hours_ago))
    in_progress = tmp_path / ".mr-c.toml.def456.rc-tmp"
    in_progress.write_text("being written")
    scenarios.save(Scenario("Mr B", Profile(), Filters()), folder=tmp_path, today=TODAY)
    assert not leftover.exists()
    assert in_progress.exists()


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
    resolved = side_by_side.resolve(old, catalog)
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
    scenarios.path_for("x", tmp_path).write_bytes(content)
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


# --- identity: NFC + case-folded name; the stored name is the truth ---------------------------


def _save(folder: Path, name: str, *, years: int = 1, overwrite: bool = False) -> Path:
    return scenarios.save(
        Scenario(name, Profile(years=years), Filters()),
        folder=folder,
        today=TODAY,
        overwrite=overwrite,
    )


def test_names_differing_only_in_case_are_one_scenario(tmp_path: Path) -> None:
    first = _save(tmp_path, "Foo", years=2)
    with pytest.raises(ScenarioError, match="named 'Foo' already exists"):
        _save(tmp_path, "foo")
    assert scenarios.load("FOO", folder=tmp_path).name == "Foo"
    assert _save(tmp_path, "foo", years=3, overwrite=True) == first
    assert scenarios.list_names(tmp_path) == ["foo"]
    assert [p.name for p in tmp_path.glob("*.toml")] == [first.name]


def test_nfc_and_nfd_spellings_are_one_scenario(tmp_path: Path) -> None:
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    assert composed != decomposed
    _save(tmp_path, composed)
    with pytest.raises(ScenarioError, match="already exists"):
        _save(tmp_path, decomposed)
    assert scenarios.list_names(tmp_path) == [composed]
    assert scenarios.load(decomposed, folder=tmp_path).name == composed


def test_a_name_equal_to_another_scenarios_file_name_is_its_own_scenario(tmp_path: Path) -> None:
    path = _save(tmp_path, "Ms C", years=2)
    other = _save(tmp_path, path.stem, years=5)
    assert other != path
    assert scenarios.load("Ms C", folder=tmp_path).profile.years == 2
    assert scenarios.load(path.stem, folder=tmp_path).profile.years == 5
    assert scenarios.list_names(tmp_path) == sorted(["Ms C", path.stem], key=scenarios.identity)


def test_a_file_whose_stored_name_does_not_match_is_reported_not_listed_or_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a = _save(tmp_path, "A", years=4)
    # Someone copied A's file to where B would be.
    b_path = scenarios.path_for("B", tmp_path)
    b_path.write_bytes(a.read_bytes())
    os.chmod(b_path, 0o600)
    listing = scenarios.scan(tmp_path)
    assert listing.names == ["A"]
    assert len(listing.problems) == 1 and "'A'" in listing.problems[0]
    assert b_path.name in listing.problems[0]
    with pytest.raises(ScenarioError, match="holds the scenario 'A', not 'B'"):
        scenarios.load("B", folder=tmp_path)
    with pytest.raises(ScenarioError, match="holds the scenario 'A'"):
        _save(tmp_path, "B", overwrite=True)
    with pytest.raises(ScenarioError, match="not deleted"):
        scenarios.delete("B", folder=tmp_path)
    monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(tmp_path))
    assert main(["scenario", "list"]) == 0
    out = capsys.readouterr()
    assert out.out == "A\n"
    assert "warning:" in out.err and b_path.name in out.err


@pytest.mark.parametrize("version", ["99", "0", "'1'"])
def test_unknown_schema_version_is_a_clear_error(tmp_path: Path, version: str) -> None:
    path = _save(tmp_path, "Later")
    text = path.read_text().replace("schema_version = 1", f"schema_version = {version}")
    assert text != path.read_text()
    path.write_text(text)
    with pytest.raises(ScenarioError, match=r"schema_version: .* is not supported"):
        scenarios.load("Later", folder=tmp_path)
    assert scenarios.list_names(tmp_path) == []
    assert "schema_version" in scenarios.scan(tmp_path).problems[0]


def test_rename_changes_case_in_place_and_refuses_a_taken_name(tmp_path: Path) -> None:
    path = _save(tmp_path, "knee", years=2)
    _save(tmp_path, "Hip")
    assert scenarios.rename("knee", "Knee", folder=tmp_path) == path
    assert scenarios.list_names(tmp_path) == ["Hip", "Knee"]
    with pytest.raises(ScenarioError, match="named 'Hip' already exists"):
        scenarios.rename("Knee", "HIP", folder=tmp_path)
    assert scenarios.load("knee", folder=tmp_path).profile.years == 2


def test_a_huge_name_is_echoed_cut_short(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    small_data: Path,
) -> None:
    monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(tmp_path))
    huge = "n" * 100_000
    data = ["--data-dir", str(small_data)]
    for argv in (["scenario", "show", huge, *data], ["scenario", "delete", huge]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
        err = capsys.readouterr().err
        assert len(err) < 2_000
        assert "… (99920 more characters)" in err
    with pytest.raises(ScenarioError) as raised:
        _save(tmp_path, huge)
    assert len(str(raised.value)) < 500 and "more characters" in str(raised.value)


def test_errors_say_what_kind_of_problem_they_are(tmp_path: Path) -> None:
    """`ScenarioError.kind` lets the command line choose its exit code."""
    _save(tmp_path, "Taken")
    with pytest.raises(ScenarioError) as taken:
        _save(tmp_path, "TAKEN")
    assert taken.value.kind == "write"
    with pytest.raises(ScenarioError) as missing:
        scenarios.load("nobody", folder=tmp_path)
    assert missing.value.kind == "usage"
    path = scenarios.path_for("Taken", tmp_path)
    path.write_text(path.read_text().replace("schema_version = 1", "schema_version = 99"))
    with pytest.raises(ScenarioError) as newer:
        scenarios.load("Taken", folder=tmp_path)
    assert newer.value.kind == "data"


# --- two scenarios with regions -------------------------------------------------------------


def _saved_pair(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    from helpers import run_cli

    medicare = [
        "--condition",
        "knee-osteoarthritis",
        "--payer",
        "medicare",
        "--mark",
        "prp-injection",
    ]
    for name, extra in (
        ("Mrs A, Medicare", ["--region", "FL"]),
        ("Mrs A, plan", ["--payer", "ppo"]),
    ):
        code, _, err = run_cli(
            capsys, "scenario", "save", name, *medicare, *extra, "--data-dir", str(data)
        )
        assert code == 0, err


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_scenario_compare_prices_and_names_each_scenarios_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """The README's own example: a scenario saved with --region FL beside one without."""
    from helpers import REGIONS_FL, make_data, run_cli

    monkeypatch.setenv("COLUMNS", "200")  # the table's cells on one line each

    data = make_data(tmp_path / "data")
    (data / "regions.toml").write_text(REGIONS_FL, encoding="utf-8")
    _saved_pair(capsys, data)
    code, out, err = run_cli(
        capsys, "scenario", "compare", "Mrs A, Medicare", "Mrs A, plan",
        "--format", fmt, "--data-dir", str(data),
    )  # fmt: skip
    assert code == 0, err
    assert "internal error" not in err
    assert "Florida (FL)" in out and "none (national)" in out


def test_scenario_compare_without_regions_data_says_the_prices_are_national(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from helpers import REGIONS_FL, make_data, run_cli

    data = make_data(tmp_path / "data")
    (data / "regions.toml").write_text(REGIONS_FL, encoding="utf-8")
    _saved_pair(capsys, data)
    (data / "regions.toml").unlink()
    code, out, err = run_cli(
        capsys, "scenario", "compare", "Mrs A, Medicare", "Mrs A, plan", "--data-dir", str(data)
    )
    assert code == 0, err
    assert "scenario 'Mrs A, Medicare': region 'FL' cannot be priced" in err
    assert "Florida" not in out
    (data / "regions.toml").write_text("schema_version = 1\n[[region]]\ncode = 1\n")
    code, _, err = run_cli(
        capsys, "scenario", "compare", "Mrs A, Medicare", "Mrs A, plan", "--data-dir", str(data)
    )
    assert code == 1 and "regions.toml:3" in err


# --- names that look the same, and damaged files located -------------------------------------


def test_names_are_compared_trimmed_and_nfkc_folded(tmp_path: Path) -> None:
    first = _save(tmp_path, "Mrs A")
    for same in ("Mrs A ", " mrs a", "Ｍｒｓ Ａ", "Mrs\u00a0A"):  # spaces, case, NFKC forms
        with pytest.raises(ScenarioError, match="named 'Mrs A' already exists"):
            _save(tmp_path, same)
        assert scenarios.path_for(same, tmp_path) == first
        assert scenarios.load(same, folder=tmp_path).name == "Mrs A"
    assert _save(tmp_path, "  Mr B  ").name.startswith("mr-b-")
    assert scenarios.list_names(tmp_path) == ["Mr B", "Mrs A"]  # stored trimmed


@pytest.mark.parametrize(
    "lookalike",
    ["Mrs \u0391", "M\u0433s A", "\u041crs \u0410", "Mrs  A", "mrs \u0251"],
    ids=["greek-alpha", "cyrillic-ghe-is-not-r", "cyrillic-em-a", "two-spaces", "latin-alpha"],
)
def test_a_name_that_only_looks_like_a_saved_one_is_refused_naming_it(
    tmp_path: Path, lookalike: str
) -> None:
    _save(tmp_path, "Mrs A", years=2)
    if lookalike == "M\u0433s A":  # ɡ-like ghe is not an r: a different name, saved
        _save(tmp_path, lookalike)
        return
    with pytest.raises(ScenarioError, match="looks the same as the saved scenario 'Mrs A'") as e:
        _save(tmp_path, lookalike, overwrite=True)
    assert e.value.kind == "write"
    assert scenarios.list_names(tmp_path) == ["Mrs A"]
    _save(tmp_path, "Mr B")
    with pytest.raises(ScenarioError, match="looks the same as the saved scenario 'Mrs A'"):
        scenarios.rename("Mr B", lookalike, folder=tmp_path)
    # Renaming a scenario to a look-alike of its own name is a rename, not a clash.
    scenarios.rename("Mrs A", "Mrs \u0391", folder=tmp_path)
    assert scenarios.list_names(tmp_path) == ["Mr B", "Mrs \u0391"]


def test_a_scenario_saved_under_the_first_versions_file_name_still_opens(tmp_path: Path) -> None:
    """Before names were trimmed and NFKC-folded, "Mrs A " had a file of its own name: it is
    found by that name and by any spelling of the same identity, and a save moves it."""
    written = _save(tmp_path, "Mrs A", years=4)
    old_name = "Mrs A "
    legacy = tmp_path / (scenarios._stem_of(scenarios._legacy_identity(old_name)) + ".toml")
    assert legacy != written
    legacy.write_text(written.read_text().replace('name = "Mrs A"', f'name = "{old_name}"'))
    written.unlink()
    for typed in (old_name, "Mrs A", "MRS A"):
        assert scenarios.path_for(typed, tmp_path) == legacy
        assert scenarios.load(typed, folder=tmp_path).profile.years == 4
    assert scenarios.list_names(tmp_path) == [old_name]
    with pytest.raises(ScenarioError, match="already exists"):
        _save(tmp_path, "Mrs A")
    now = _save(tmp_path, "Mrs A", years=5, overwrite=True)  # moved to its own file name
    assert [p.name for p in tmp_path.glob("*.toml")] == [now.name] == [written.name]
    assert scenarios.list_names(tmp_path) == ["Mrs A"]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("years = 1", 'years = "x"'), "years"),
        (("cost = 2", "cost = 7"), "weights.cost"),
        (("payer = ", "payr = "), "payr"),
        (("schema_version = 1", "schema_version = 9"), "schema_version"),
        (("saved = ", 'saved = "2023-02-30"\nx = '), "saved"),
        # The same therapy's units twice: located, never the profile's ValueError (exit 70).
        (
            ("covered_only = false", 'units = [{ therapy = "prp-injection", first_year = 1 }, '
             '{ therapy = "prp-injection", first_year = 2 }]\ncovered_only = false'),
            "units",
        ),
    ],
)  # fmt: skip
def test_a_damaged_scenario_file_is_located_like_the_data(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    change: tuple[str, str],
    key: str,
) -> None:
    from helpers import SMALL_DATA, line_of, run_cli

    monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(tmp_path))
    path = scenarios.save(Scenario("Mrs A", Profile(payer="medicare"), Filters()), today=TODAY)
    text = path.read_text()
    assert change[0] in text
    line = line_of(text, change[0])
    path.write_text(text.replace(change[0], change[1], 1))
    for command in (["show", "Mrs A"], ["compare", "Mrs A", "Mrs A"]):
        code, _, err = run_cli(capsys, "scenario", *command, "--data-dir", str(SMALL_DATA))
        assert code == 1, err
        assert f"{path}:{line}: {key}: " in err, err
        assert "internal error" not in err
    code, _, err = run_cli(capsys, "scenario", "list")
    assert f"{path}:{line}: {key}: " in err


def test_a_scenario_keeps_the_supplement_and_units_and_the_command_line_overrides_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    monkeypatch.setenv("REGEN_COMPARE_SCENARIOS", str(tmp_path))
    plan = ["--condition", "knee-osteoarthritis", "--payer", "medicare-original"]
    saved = ["--supplement", "medigap-n", "--units", "physical-therapy=6,later=5"]
    assert main(["scenario", "save", "M", *plan, *saved]) == 0
    capsys.readouterr()
    assert main(["scenario", "show", "M"]) == 0
    shown = capsys.readouterr().out
    assert "units: physical-therapy=6,later=5\n" in shown  # as typed, never a Python repr
    assert "supplement: medigap-n\n" in shown and "{" not in shown

    def physical_therapy(*extra: str) -> dict[str, object]:
        assert main(["list", "--scenario", "M", *extra, "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        return next(r for r in rows if r["id"] == "physical-therapy")

    row = physical_therapy()
    assert row["supplement"] == "medigap-n"
    assert row["units"]["first_year"] == {"min": 6, "max": 6}
    assert row["units"]["set_in_consult"] is True
    again = physical_therapy("--units", "physical-therapy=20")
    assert again["units"]["first_year"] == {"min": 20, "max": 20}
    # Typed units replace the scenario's for that therapy whole: later years are the data's.
    assert main(["list", *plan, "--format", "json"]) == 0
    data_row = next(r for r in json.loads(capsys.readouterr().out) if r["id"] == "physical-therapy")
    assert again["units"]["later_years"] == data_row["units"]["later_years"]
    # Under another plan the scenario's supplement does not apply: left out, and said.
    assert main(["list", "--scenario", "M", "--payer", "employer-ppo-typical", "--format",
                 "json"]) == 0  # fmt: skip
    out, err = capsys.readouterr()
    assert "note: supplement 'medigap-n' does not apply to this plan; it was left out" in err
    assert all(r["supplement"] is None for r in json.loads(out))
    # A supplement typed for a plan it does not pay after is refused, saying why.
    with pytest.raises(SystemExit) as caught:
        main(["list", "--scenario", "M", "--payer", "employer-ppo-typical", "--supplement",
              "medigap-g"])  # fmt: skip
    assert caught.value.code == 2
    assert "pays after medicare-original" in capsys.readouterr().err


def test_the_side_by_side_explains_every_mark_its_figures_carry() -> None:
    from regen_compare.model import vocabulary as labels
    from regen_compare.present.side_by_side import SideBySideLine, mark_hints

    plain = [SideBySideLine("t", "You pay, total", "≈$6,000 ($500–$17,500)", "$0")]
    assert mark_hints(plain) == []
    assumed_unknown = [SideBySideLine("t", "You pay, total", "~? $500–$17,500", "$0")]
    assert mark_hints(assumed_unknown) == [labels.UNKNOWN_HINT, labels.ASSUMED_HINT]
    assert mark_hints([SideBySideLine("t", "x", "$0", "? $1–$2")]) == [labels.UNKNOWN_HINT]


def test_a_scenario_naming_a_supplement_or_units_the_data_lacks_opens_without_them(
    small_data: Path,
) -> None:
    from decimal import Decimal

    from regen_compare.engine.costs import UnitsChoice

    catalog = load_catalog(small_data, today=TODAY).catalog
    profile = Profile(
        payer="medicare",
        supplement="gone-supp",
        units=(UnitsChoice("gone-t", Decimal(2)), UnitsChoice("prp-injection", Decimal(1))),
    )
    resolved = side_by_side.resolve(Scenario("x", profile, Filters()), catalog)
    assert resolved.scenario.profile.supplement is None
    assert [u.therapy for u in resolved.scenario.profile.units] == ["prp-injection"]
    assert any("'gone-supp'" in n for n in resolved.notes)
    assert any("'gone-t'" in n for n in resolved.notes)
