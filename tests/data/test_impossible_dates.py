"""An impossible date in any date field of any file is a located problem (`FILE:LINE:
key.path: …`, exit 1), never an internal error (exit 70): days the calendar does not have,
year 0, a publication after today."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REGIONS_FL, SMALL_PAYERS, SMALL_THERAPIES, make_data, run_cli
from regen_compare.data.freshness import is_old, published_until

IMPOSSIBLE = ["2023-02-30", "2023-04-31", "9999", "0000-01", "0000", "2023-02-29"]
LOCATED = re.compile(r"^(?P<file>\S+\.toml):(?P<line>\d+)(:\d+)?: (?P<rest>.+)$", re.M)

THERAPY_ACCESSED = "accessed = 2026-05-20"
PAYER_ACCESSED = "accessed = 2026-01-05 }"
REGION_ACCESSED = "accessed = 2026-11-01 }"


def _folder(tmp_path: Path, file: str, value: str) -> Path:
    if file == "therapies":
        text = SMALL_THERAPIES.replace(
            THERAPY_ACCESSED, f'{THERAPY_ACCESSED}\npublished = "{value}"', 1
        )
        return make_data(tmp_path / "data", therapies=text)
    if file == "payers":
        text = SMALL_PAYERS.replace(
            PAYER_ACCESSED, f'accessed = 2026-01-05, published = "{value}" }}', 1
        )
        return make_data(tmp_path / "data", payers=text)
    folder = make_data(tmp_path / "data")
    regions = REGIONS_FL.replace(
        REGION_ACCESSED, f'accessed = 2026-11-01, published = "{value}" }}'
    )
    (folder / "regions.toml").write_text(regions, encoding="utf-8")
    return folder


def _assert_located(code: int, err: str, file: str, key: str) -> None:
    assert code == 1, err
    assert "internal error" not in err and "Traceback" not in err
    found = [m for m in LOCATED.finditer(err) if m.group("file").endswith(f"{file}.toml")]
    assert found, err
    assert any(key in m.group("rest") for m in found), err


@pytest.mark.parametrize("value", IMPOSSIBLE)
@pytest.mark.parametrize(
    ("file", "command"),
    [
        ("therapies", ["validate"]),
        ("therapies", ["list"]),
        ("payers", ["validate"]),
        ("payers", ["list"]),
        ("regions", ["validate"]),
        ("regions", ["list", "--region", "FL"]),
    ],
)
def test_an_impossible_published_date_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, file: str, command: list[str]
) -> None:
    folder = _folder(tmp_path, file, value)
    code, _, err = run_cli(capsys, *command, "--data-dir", str(folder))
    _assert_located(code, err, file, ".published")


@pytest.mark.parametrize("value", ["2023-02-30", "2023-04-31", "0000-01-01", "2023-13-01"])
@pytest.mark.parametrize("file", ["therapies", "payers"])
def test_an_impossible_toml_date_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str, file: str
) -> None:
    if file == "therapies":
        folder = make_data(
            tmp_path / "d", therapies=SMALL_THERAPIES.replace("2026-05-20", value, 1)
        )
    else:
        folder = make_data(tmp_path / "d", payers=SMALL_PAYERS.replace("2026-01-05", value, 1))
    code, _, err = run_cli(capsys, "validate", "--data-dir", str(folder))
    assert code == 1 and "internal error" not in err
    assert LOCATED.search(err), err


def test_data_diff_of_an_impossible_date_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = _folder(tmp_path, "therapies", "2023-02-30")
    good = make_data(tmp_path / "good")
    code, _, err = run_cli(capsys, "data", "diff", str(good), str(bad))
    assert code == 2 and "internal error" not in err
    assert "2023-02-30 is not a real date" in err


def test_the_readings_of_a_published_date_never_overflow() -> None:
    assert published_until("9999").year == 9999
    assert not is_old("9999", published_until("9999"))
    assert published_until("2024-02").day == 29
    with pytest.raises(ValueError):
        published_until("2023-02-30")
