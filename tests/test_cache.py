"""The validated-data cache: used only on an exact match, ignored when in doubt."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from helpers import SMALL_PAYERS, make_data
from regen_compare import cache
from regen_compare.load import load_catalog
from regen_compare.problems import DataError

TODAY = date(2026, 11, 22)


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_hit_gives_the_same_catalog(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = make_data(tmp_path / "data")
    first = load_catalog(data, today=TODAY, use_cache=True)
    [entry] = _entries(cache_folder)
    assert os.stat(entry).st_mode & 0o777 == 0o600
    assert os.stat(cache_folder).st_mode & 0o777 == 0o700

    def no_parse(text: str) -> object:
        raise AssertionError("a warm cache must not parse")

    from regen_compare import load as load_module

    monkeypatch.setattr(load_module, "_toml_loads", no_parse)
    second = load_catalog(data, today=TODAY, use_cache=True)
    assert second.catalog.therapies == first.catalog.therapies
    assert second.catalog.payers == first.catalog.payers


def test_any_change_misses(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    load_catalog(data, today=TODAY, use_cache=True)
    (data / "payers.toml").write_text(SMALL_PAYERS.replace("deductible = 283", "deductible = 300"))
    assert (
        load_catalog(data, today=TODAY, use_cache=True).catalog.payers["medicare"].deductible == 300
    )
    # A different day may change staleness warnings: it misses too.
    later = load_catalog(data, today=date(2026, 11, 23), use_cache=True)
    assert later.catalog.payers["medicare"].deductible == 300


def test_broken_data_is_never_served_from_cache(tmp_path: Path, cache_folder: Path) -> None:
    data = make_data(tmp_path / "data")
    load_catalog(data, today=TODAY, use_cache=True)
    (data / "payers.toml").write_text(
        SMALL_PAYERS.replace('status = "not_covered"', 'status = "x"')
    )
    with pytest.raises(DataError):
        load_catalog(data, today=TODAY, use_cache=True)


@pytest.mark.parametrize("damage", ["garbage", "truncate", "world-writable", "wrong-key"])
def test_damaged_or_untrusted_entries_are_ignored(
    tmp_path: Path, cache_folder: Path, damage: str
) -> None:
    data = make_data(tmp_path / "data")
    expected = load_catalog(data, today=TODAY, use_cache=True).catalog
    [entry] = _entries(cache_folder)
    raw = entry.read_bytes()
    if damage == "garbage":
        entry.write_bytes(b"not a cache at all")
    elif damage == "truncate":
        entry.write_bytes(raw[: len(raw) // 2])
    elif damage == "world-writable":
        os.chmod(entry, 0o666)
    else:
        entry.write_bytes(raw[:22] + b"0" * 64 + raw[86:])
    again = load_catalog(data, today=TODAY, use_cache=True)
    assert again.catalog.therapies == expected.therapies


def test_switched_off(tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    load_catalog(make_data(tmp_path / "data"), today=TODAY, use_cache=True)
    assert _entries(cache_folder) == []


def test_unwritable_cache_folder_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    assert load_catalog(make_data(tmp_path / "data"), today=TODAY, use_cache=True).catalog


def test_load_cached_only_returns_an_exact_hit(tmp_path: Path, cache_folder: Path) -> None:
    from regen_compare.load import load_cached

    data = make_data(tmp_path / "data")
    assert load_cached(data, today=TODAY) is None  # nothing cached yet, and nothing parsed
    load_catalog(data, today=TODAY, use_cache=True)
    hit = load_cached(data, today=TODAY)
    assert hit is not None and "medicare" in hit.catalog.payers
    (data / "payers.toml").write_text(SMALL_PAYERS + "\n")
    assert load_cached(data, today=TODAY) is None
