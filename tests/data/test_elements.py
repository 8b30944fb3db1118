"""Elements of an array of tables found by text search, exactly or not at all; and the line
of a problem in one element, looked up in that element alone, the very line a scan of the
whole file gives."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import tomli
from hypothesis import given, settings

from helpers import SMALL_PAYERS, SMALL_THERAPIES, line_of, make_data
from regen_compare.data import positions as toml_scan
from regen_compare.data.elements import ElementLines, element_end, element_starts
from regen_compare.data.load import load_catalog
from regen_compare.data.reading import FileContext
from regen_compare.model.problems import DataError
from strategies import spelled_files


def test_each_element_from_its_header_to_the_next() -> None:
    starts = element_starts(SMALL_THERAPIES, "therapy")
    assert starts is not None
    parsed = tomli.loads(SMALL_THERAPIES)["therapy"]
    assert len(starts) == len(parsed)
    for i, start in enumerate(starts):
        one = tomli.loads(SMALL_THERAPIES[start : element_end(SMALL_THERAPIES, starts, i)])
        assert one == {"therapy": [parsed[i]]}
    payers = element_starts(SMALL_PAYERS, "payer")
    assert payers is not None and len(payers) == len(tomli.loads(SMALL_PAYERS)["payer"])


def test_no_answer_when_it_could_be_wrong() -> None:
    assert (
        element_starts(SMALL_THERAPIES.replace("[[therapy]]", "[[ therapy ]]", 2), "therapy")
        is None
    )
    assert element_starts(SMALL_THERAPIES + '\nx = """\n[[therapy]]\n"""\n', "therapy") is None
    assert element_starts(SMALL_THERAPIES + "\n  [[therapy]]\n", "therapy") is None
    assert element_starts(SMALL_THERAPIES + "\n[notes]\n", "therapy") is None
    assert (
        element_starts(SMALL_THERAPIES.replace("[[therapy]]", "[[therapy]] x", 1), "therapy")
        is None
    )
    assert element_starts(SMALL_THERAPIES, "payer") is None  # none there


def paths_of(text: str) -> list[tuple[Any, ...]]:
    """Every path the whole-file scan wrote down, and one below each that it did not."""
    recorded = list(toml_scan.scan(text).positions)
    return recorded + [(*path, "not-a-key") for path in recorded]


def assert_same_lines(text: str) -> None:
    whole = toml_scan.scan(text)
    ctx = FileContext("f", text)
    for path in paths_of(text):
        assert ctx.line_of(path) == whole.line_of(path), path


@settings(max_examples=200, deadline=None)
@given(text=spelled_files())
def test_the_line_in_one_element_is_the_whole_scans(text: str) -> None:
    assert_same_lines(text)


def test_the_line_in_one_element_is_the_whole_scans_in_real_files() -> None:
    assert_same_lines(SMALL_THERAPIES)
    assert_same_lines(SMALL_PAYERS)
    assert_same_lines(SMALL_THERAPIES.replace("\n", "\r\n"))


def larger(copies: int, therapies: str = SMALL_THERAPIES) -> str:
    """The small therapies, then `copies` more of them under new ids."""
    one = SMALL_THERAPIES[SMALL_THERAPIES.index("[[therapy]]") :]
    return therapies + "".join(one.replace('id = "', f'id = "n{n}-') for n in range(copies))


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The length of each text the key scanner is given from now on."""
    sizes: list[int] = []
    real = toml_scan.scan

    def counted(part: str) -> toml_scan.ScanResult:
        sizes.append(len(part))
        return real(part)

    monkeypatch.setattr(toml_scan, "scan", counted)
    return sizes


def test_a_problem_deep_in_a_large_file_is_located_without_scanning_all_of_it(
    request: pytest.FixtureRequest,
) -> None:
    text = larger(200)
    expected = toml_scan.scan(text).line_of(("therapy", 900, "price", "max"))
    scanned: list[int] = request.getfixturevalue("scanned")  # only from here on
    ctx = FileContext("f", text)
    assert ctx.line_of(("therapy", 900, "price", "max")) == expected
    assert scanned and max(scanned) < len(text) // 100  # one element, not the file


def test_an_error_in_large_data_is_located_by_one_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scanned: list[int]
) -> None:
    """A problem outside the therapies and payers of a large file (a condition) is located by
    one scan of the whole file, never two."""
    broken = larger(40, SMALL_THERAPIES.replace('name = "Knee osteoarthritis"', "name = 5"))
    folder = make_data(tmp_path, therapies=broken)
    monkeypatch.setenv("REGEN_COMPARE_NO_CACHE", "1")
    with pytest.raises(DataError) as failed:
        load_catalog(folder, today=date(2026, 11, 22))
    assert failed.value.problems[0].line == line_of(broken, "name = 5")
    assert scanned.count(len(broken)) == 1


def test_each_element_is_scanned_once_and_many_go_to_one_whole_scan(
    request: pytest.FixtureRequest,
) -> None:
    """Old figures in every therapy of a large file (20,000 warnings at 10,000 therapies):
    the parts' scans stop at `MAX_SCANS` and the rest come from one scan of the whole."""
    text = larger(30)
    whole = toml_scan.scan(text)
    sizes: list[int] = request.getfixturevalue("scanned")  # only from here on
    ctx = FileContext("f", text)
    count = len(element_starts(text, "therapy") or [])
    assert count > ElementLines.MAX_SCANS
    for i in range(count):
        for path in (("therapy", i, "as_of"), ("therapy", i, "price", "max")):
            assert ctx.line_of(path) == whole.line_of(path)
    parts = [size for size in sizes if size < len(text)]
    assert len(parts) == ElementLines.MAX_SCANS  # once each, two paths apiece
    assert len(sizes) - len(parts) == 1  # then the whole text, once


def test_a_context_given_new_text_looks_in_the_new_text() -> None:
    ctx = FileContext("f", SMALL_THERAPIES)
    path = ("therapy", 1, "price", "max")
    assert ctx.line_of(path) == toml_scan.scan(SMALL_THERAPIES).line_of(path)
    moved = "# a comment\n# and another\n" + SMALL_THERAPIES
    ctx.text = moved  # as a parse sets it
    assert ctx.line_of(path) == toml_scan.scan(moved).line_of(path)
