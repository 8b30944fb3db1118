"""regions.toml through the cache (`regions_cache`): the same regions back, validated once,
and never a way around validation — a changed file, another day, or an entry we did not write
is read and checked again."""

from __future__ import annotations

import marshal
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from helpers import REGIONS_FL
from regen_compare.data import regions
from regen_compare.data import regions as regions_cache
from regen_compare.data.load import bundled_data_dir
from regen_compare.data.regions import REGIONS_FILE, load_beside, load_regions
from regen_compare.model.problems import DataError
from regen_compare.store import cache

TODAY = date(2026, 12, 7)
GOOD = REGIONS_FL


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data" / REGIONS_FILE
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.usefixtures("cache_folder")
def test_the_bundled_regions_read_back_the_same_and_are_checked_once(
    regions_checks: list[Path],
) -> None:
    path = regions.regions_path(bundled_data_dir())
    fresh = load_regions(path, today=TODAY)
    first = regions_cache.load_cached(path, TODAY)
    again = regions_cache.load_cached(path, TODAY)
    assert len(regions_checks) == 2  # load_regions, then the first cached load; the second reads
    assert list(again.regions) == list(fresh.regions)
    assert again.regions == fresh.regions == first.regions
    assert again.warnings == fresh.warnings
    assert again.file == path
    for code, region in fresh.regions.items():
        assert again.regions[code].model_dump() == region.model_dump()
        assert str(again.regions[code].medicare_gaf.max) == str(region.medicare_gaf.max)


@pytest.mark.usefixtures("cache_folder")
def test_warnings_come_back_from_the_cache(regions_checks: list[Path]) -> None:
    """Years later every source is old: the warnings an entry keeps are the checker's."""
    path = regions.regions_path(bundled_data_dir())
    later = TODAY.replace(year=TODAY.year + 4)
    fresh = load_regions(path, today=later)
    regions_cache.load_cached(path, later)
    again = regions_cache.load_cached(path, later)
    assert len(regions_checks) == 2
    assert fresh.warnings and again.warnings == fresh.warnings


@pytest.mark.usefixtures("cache_folder")
def test_a_regions_file_that_is_refused_is_named_not_raised(tmp_path: Path) -> None:
    """A folder where regions.toml should be: no region picker and why, the data still loads."""
    folder = tmp_path / "data"
    (folder / REGIONS_FILE).mkdir(parents=True)
    found, why = load_beside(folder, TODAY)
    assert found is None
    assert why is not None and "is a folder, not a file" in why


@pytest.mark.usefixtures("cache_folder")
def test_a_changed_file_is_checked_again(tmp_path: Path, regions_checks: list[Path]) -> None:
    path = _file(tmp_path, GOOD)
    assert regions_cache.load_cached(path, TODAY).get("FL").localities == 3
    path.write_text(GOOD.replace("localities = 3", "localities = 0"), encoding="utf-8")
    with pytest.raises(DataError, match="localities"):
        regions_cache.load_cached(path, TODAY)
    assert len(regions_checks) == 2


@pytest.mark.usefixtures("cache_folder")
def test_another_day_is_checked_again(tmp_path: Path, regions_checks: list[Path]) -> None:
    """Warnings depend on the date (a source grows old): the date is in the key."""
    path = _file(tmp_path, GOOD)
    regions_cache.load_cached(path, TODAY)
    regions_cache.load_cached(path, TODAY + timedelta(days=1))
    assert len(regions_checks) == 2


def test_without_a_cache_every_load_is_checked(
    tmp_path: Path, regions_checks: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    path = _file(tmp_path, GOOD)
    regions_cache.load_cached(path, TODAY)
    regions_cache.load_cached(path, TODAY)
    assert len(regions_checks) == 2


@pytest.mark.parametrize(
    "payload",
    [
        marshal.dumps([1, 2, 3]),
        marshal.dumps((regions_cache.CACHE_FORMAT + 1, (), ())),
        marshal.dumps((regions_cache.CACHE_FORMAT, ("not a region",), ())),
        marshal.dumps((regions_cache.CACHE_FORMAT, ((0, "FL"),), ())),
        marshal.dumps((regions_cache.CACHE_FORMAT, (), "not warnings")),
        b"\x00 not marshal",
    ],
)
def test_an_entry_we_did_not_write_is_refused(payload: bytes) -> None:
    assert regions_cache.decode(payload, Path(REGIONS_FILE)) is None


@pytest.mark.usefixtures("cache_folder")
def test_a_foreign_entry_under_the_right_key_is_read_as_no_entry(
    tmp_path: Path, regions_checks: list[Path]
) -> None:
    path = _file(tmp_path, GOOD)
    key = cache.make_key(TODAY, path.read_bytes())
    cache.store(path, key, marshal.dumps((regions_cache.CACHE_FORMAT, ((0, "FL"),), ())))
    assert regions_cache.load_cached(path, TODAY).get("FL").localities == 3
    assert len(regions_checks) == 1


@pytest.mark.usefixtures("cache_folder")
def test_the_app_reads_the_regions_through_the_cache(
    tmp_path: Path, regions_checks: list[Path]
) -> None:
    """`load_beside` is what the TUI's load calls (an error still comes back as its text, a
    missing file as no regions)."""
    path = _file(tmp_path, GOOD)
    for _ in range(2):
        found, error = load_beside(path.parent, TODAY)
        assert found is not None and error is None
    assert len(regions_checks) == 1
    path.write_text("schema_version = 1\n[[region]]\ncode = 1\n", encoding="utf-8")
    found, error = load_beside(path.parent, TODAY)
    assert found is None and error is not None and "required key is missing" in error
    path.unlink()
    assert load_beside(path.parent, TODAY) == (None, None)


def _region_fields(payload: bytes) -> tuple[list[Any], dict[str, int]]:
    """The first region of an entry as a list, and each field's place in it."""
    from regen_compare.data.regions import Region
    from regen_compare.model.types import field_types

    parts = marshal.loads(payload)
    names = list(field_types(Region))
    return list(parts[1][0]), {name: i for i, name in enumerate(names)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("localities", "3"),  # text where a whole number was written
        ("localities", 3.0),
        ("as_of", 10**15),  # no such date
        ("medicare_gaf", (3, "x", "1.077")),  # not a decimal
        ("name", 5),
    ],
)
def test_an_entry_with_a_wrong_value_is_refused(tmp_path: Path, field: str, value: object) -> None:
    """Read back as no entry (the file is then checked), never an error of the start."""
    path = _file(tmp_path, GOOD)
    good = regions_cache.encode(load_regions(path, today=TODAY))
    assert regions_cache.decode(good, path) is not None
    region, place = _region_fields(good)
    region[place[field]] = value
    parts = marshal.loads(good)
    damaged = marshal.dumps((parts[0], (tuple(region),), parts[2]))
    assert regions_cache.decode(damaged, path) is None
