"""The first rows of large data before the rest is checked: the very rows the full load gives,
or none at all when any shown therapy has a problem or the start asks for more."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from helpers import SMALL_DATA, SMALL_THERAPIES, make_data
from regen_compare import name_scan
from regen_compare.costs import Profile
from regen_compare.fit import BALANCED, Weights
from regen_compare.load import bundled_data_dir, load_catalog
from regen_compare.model import Category
from regen_compare.preview import applies, first_rows
from regen_compare.query import Filters, Row, build_rows, sort_rows

TODAY = date(2026, 12, 1)
"""After every date in the bundled data."""
FIRST = "steroid-injection"
"""The small data's first therapy by name ("Corticosteroid joint injection")."""


def full_rows(folder: Path, profile: Profile, weights: Weights) -> list[Row]:
    catalog = load_catalog(folder, today=TODAY).catalog
    return sort_rows(build_rows(catalog, profile, weights=weights), "name")


@pytest.mark.parametrize("folder", [SMALL_DATA, bundled_data_dir()], ids=["small", "bundled"])
@pytest.mark.parametrize(
    "profile",
    [Profile(), Profile(years=5), Profile(years=3, deductible_met=Decimal(500))],
    ids=["1-year", "5-years", "amounts-met"],
)
def test_the_preview_is_the_full_loads_first_rows(folder: Path, profile: Profile) -> None:
    weights = Weights(cost=3, recovery=0, invasiveness=1, evidence=2, safety=1)
    full = full_rows(folder, profile, weights)
    found = first_rows(folder, profile, weights, TODAY, 4)
    assert found is not None
    assert found.total == len(full)
    assert [r.id for r in found.rows] == [r.id for r in full[:4]]
    for mine, theirs in zip(found.rows, full, strict=False):
        assert mine.therapy == theirs.therapy
        assert mine.cost == theirs.cost
        assert (mine.evidence, mine.fit) == (theirs.evidence, theirs.fit)


def test_a_start_that_asks_for_more_gets_no_preview() -> None:
    assert applies(Profile(years=4), Filters(), ())
    assert not applies(Profile(payer="medicare"), Filters(), ())
    assert not applies(Profile(region="FL"), Filters(), ())
    assert not applies(Profile(condition="knee-osteoarthritis"), Filters(), ())
    assert not applies(Profile(), Filters(search="prp"), ())
    assert not applies(Profile(), Filters(category=Category.REGENERATIVE), ())
    assert not applies(Profile(), Filters(), ("prp-injection",))
    for profile in (Profile(payer="medicare"), Profile(region="FL"), Profile(condition="x")):
        assert first_rows(SMALL_DATA, profile, BALANCED, TODAY, 3) is None


def first_therapy_edited(old: str, new: str) -> str:
    """The small therapies with the first therapy by name changed."""
    start = SMALL_THERAPIES.index(f'id = "{FIRST}"')
    end = SMALL_THERAPIES.index("[[therapy]]", start)
    part = SMALL_THERAPIES[start:end]
    assert old in part
    return SMALL_THERAPIES[:start] + part.replace(old, new, 1) + SMALL_THERAPIES[end:]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('category = "traditional"', 'category = "magic"'),  # the model's validation
        ('conditions = ["knee-osteoarthritis"]', 'conditions = ["knee-oa"]'),  # a reference
        ("as_of = 2026-06-01", "as_of = 2027-06-01"),  # a date after today (its checks)
    ],
    ids=["invalid", "unknown-condition", "future-date"],
)
def test_a_shown_therapy_with_a_problem_means_no_preview(
    tmp_path: Path, old: str, new: str
) -> None:
    folder = make_data(tmp_path, therapies=first_therapy_edited(old, new))
    assert first_rows(folder, Profile(), BALANCED, TODAY, 3) is None


def test_only_the_shown_therapies_are_vouched_for(tmp_path: Path) -> None:
    """A problem in a therapy not shown is the full load's to report, seconds later."""
    text = SMALL_THERAPIES.replace('category = "regenerative"', 'category = "magic"', 1)
    folder = make_data(tmp_path, therapies=text)
    found = first_rows(folder, Profile(), BALANCED, TODAY, 1)
    assert found is not None and [r.id for r in found.rows] == [FIRST]


def test_old_figures_are_counted_as_the_full_load_counts_them() -> None:
    """They are warnings: still shown, and flagged (`flagged`) as the live screen will."""
    later = date(2031, 1, 1)
    found = first_rows(SMALL_DATA, Profile(), BALANCED, later, 2)
    assert found is not None and len(found.rows) == 2
    shown = {f"therapy[{row.id}]" for row in found.rows}
    warnings = load_catalog(SMALL_DATA, today=later).warnings
    theirs = [w for w in warnings if w.where.partition(".")[0] in shown]
    assert found.flagged == len(theirs) > 0
    fresh = first_rows(SMALL_DATA, Profile(), BALANCED, TODAY, 2)
    assert fresh is not None and fresh.flagged == 0


def test_empty_text_is_flagged_as_the_full_load_flags_it(tmp_path: Path) -> None:
    text = first_therapy_edited('category = "traditional"', 'category = "traditional"\nnotes = ""')
    folder = make_data(tmp_path, therapies=text)
    found = first_rows(folder, Profile(), BALANCED, TODAY, 1)
    assert found is not None and [r.id for r in found.rows] == [FIRST]
    warnings = load_catalog(folder, today=TODAY).warnings
    assert found.flagged == len(warnings) == 1


def test_two_shown_therapies_with_one_id_give_no_preview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The scan refuses such a file first; should it not, the catalog would keep one."""
    real = name_scan.first_by_name

    def twice(text: str, count: int) -> name_scan.Found | None:
        found = real(text, count)
        assert found is not None
        return found._replace(tables=(found.tables[0], found.tables[0]))

    monkeypatch.setattr(name_scan, "first_by_name", twice)
    assert first_rows(SMALL_DATA, Profile(), BALANCED, TODAY, 2) is None


def test_a_therapy_the_scan_did_not_see_means_no_preview(tmp_path: Path) -> None:
    """A header written `[[ therapy ]]` before the first plain one: the head holds it."""
    spaced = '[[ therapy ]]\nid = "aaa"\nname = "AAA first"\n'
    first = SMALL_THERAPIES.index("[[therapy]]")
    text = SMALL_THERAPIES[:first] + spaced + SMALL_THERAPIES[first:]
    folder = make_data(tmp_path, therapies=text)
    assert first_rows(folder, Profile(), BALANCED, TODAY, 2) is None


def test_another_table_inside_a_shown_therapys_text_means_no_preview(tmp_path: Path) -> None:
    """A table after the therapies lands in the last therapy's text; shown, it is one
    therapy's table no longer."""
    last = "Total knee replacement"
    text = SMALL_THERAPIES.replace(f'name = "{last}"', 'name = "AAA knee replacement"')
    text += '\n[notes]\nreviewed = "2026"\n'
    folder = make_data(tmp_path, therapies=text)
    assert first_rows(folder, Profile(), BALANCED, TODAY, 1) is None


def test_unreadable_or_unscannable_files_give_no_preview(tmp_path: Path) -> None:
    missing = tmp_path / "none"
    missing.mkdir()
    assert first_rows(missing, Profile(), BALANCED, TODAY, 3) is None
    folder = make_data(tmp_path / "bytes", therapies=b"\xff\xfe not text")
    assert first_rows(folder, Profile(), BALANCED, TODAY, 3) is None
    multi = SMALL_THERAPIES.replace('category = "traditional"', 'category = """traditional"""', 1)
    folder = make_data(tmp_path / "multi", therapies=multi)
    assert first_rows(folder, Profile(), BALANCED, TODAY, 3) is None
