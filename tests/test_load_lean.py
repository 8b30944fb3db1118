"""The lean load (`load_lean`, what the TUI's loader child runs): the same catalog, the same
warnings in the same order, the same errors, and each parsed table let go once written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from helpers import SMALL_PAYERS, SMALL_THERAPIES, make_data
from regen_compare import load as load_module
from regen_compare.load import from_entry, load_as_entry, load_catalog
from regen_compare.problems import DataError

TODAY = date(2026, 11, 22)
LATER = date(2029, 1, 1)
"""Every as_of and accessed date of the fixture is then over two years old: warnings."""


def _warned(folder: Path) -> Path:
    """The small fixture with a warning of every kind, two of them on one line."""
    therapies = SMALL_THERAPIES.replace(
        'url = "https://example.org/prp"', 'url = "https://example.org/"', 1
    ).replace("as_of = 2026-06-01", 'as_of = 2026-06-01\nnotes = ""', 1)
    payers = SMALL_PAYERS.replace(
        'url = "https://example.org/medicare"', 'url = "https://example.org/"', 1
    ).replace('policy = "NCD 270.3"', 'policy = ""', 1)
    # An empty policy, a home-page source and (later) an old date on one line: the usual path
    # adds the empty-text warning first (it checks every entity's text before other checks).
    payers += (
        '\n[[payer]]\nid = "inline"\nname = "Inline plan"\nkind = "commercial"\n'
        "deductible = 100\ncoinsurance = 0.1\nas_of = 2026-01-01\n"
        'sources = [{ title = "t", url = "https://example.org/p", accessed = 2026-01-05 }]\n'
        'coverage = [{ therapy = "steroid-injection", status = "covered", policy = "", '
        'sources = [{ title = "t", url = "https://example.org/", accessed = 2026-01-05 }] }]\n'
    )
    return make_data(folder, therapies, payers)


@pytest.mark.parametrize("today", [TODAY, LATER])
def test_the_same_catalog_and_warnings_as_the_usual_load(tmp_path: Path, today: date) -> None:
    data = _warned(tmp_path / "data")
    usual = load_catalog(data, today=today)
    lean = from_entry(data, load_as_entry(data, today=today))
    assert lean is not None
    assert [str(w) for w in lean.warnings] == [str(w) for w in usual.warnings]
    assert lean.catalog.therapies == usual.catalog.therapies
    assert lean.catalog.payers == usual.catalog.payers
    assert lean.catalog.conditions == usual.catalog.conditions
    assert dict(lean.catalog.search_text) == dict(usual.catalog.search_text)
    assert lean.catalog.as_of == usual.catalog.as_of
    assert lean.catalog.coverage_rule_count == usual.catalog.coverage_rule_count
    if today == LATER:
        kinds = " ".join(str(w) for w in usual.warnings)
        assert "home page" in kinds and "is empty" in kinds and "2 years old" in kinds


@pytest.mark.parametrize(
    ("therapies", "payers"),
    [
        (SMALL_THERAPIES.replace("as_of = 2026-06-01", "as_of = 2026-06-01\nstauts = 1", 1), None),
        (SMALL_THERAPIES.replace("as_of = 2026-06-01", "as_of = 2027-06-01", 1), None),
        (SMALL_THERAPIES + '\n[[therapy]]\nid = "prp-injection"\n', None),
        ("schema_version = 1\ntherapy = 3\n", None),
        (None, SMALL_PAYERS.replace('status = "not_covered"', 'status = "x"')),
        (None, SMALL_PAYERS.replace('therapy = "prp-injection"', 'therapy = "prp-injectoin"', 1)),
        (SMALL_THERAPIES.replace("schema_version = 1", "schema_version = 9"), None),
    ],
    ids=["unknown key", "future date", "duplicate", "not an array", "enum", "reference", "v9"],
)
def test_invalid_data_gets_the_usual_messages(
    tmp_path: Path, therapies: str | None, payers: str | None
) -> None:
    data = make_data(tmp_path / "data", therapies, payers)
    with pytest.raises(DataError) as usual:
        load_catalog(data, today=TODAY)
    with pytest.raises(DataError) as lean:
        load_as_entry(data, today=TODAY)
    assert [str(p) for p in lean.value.problems] == [str(p) for p in usual.value.problems]


def test_each_parsed_table_is_let_go_once_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What keeps the child small: a therapy's or payer's parsed table is dropped as soon as
    it is written, not when the whole file is done."""
    data = make_data(tmp_path / "data")
    parsed: list[dict[str, Any]] = []
    real = load_module._toml_loads

    def keep(text: str) -> dict[str, Any]:
        document = real(text)
        parsed.append(document)
        return document

    monkeypatch.setattr(load_module, "_toml_loads", keep)
    load_as_entry(data, today=TODAY)
    therapies, payers = parsed
    assert therapies["therapy"] and all(t is None for t in therapies["therapy"])
    assert payers["payer"] and all(p is None for p in payers["payer"])
