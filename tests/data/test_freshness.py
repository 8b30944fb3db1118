"""How old a figure is: judged by its newest supporting source's publication, not by when it
was read; and which source addresses cannot be traced to a figure."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regen_compare.data.freshness import (
    FIGURES,
    OldFigure,
    is_home_page,
    is_old,
    old_figures,
    published_until,
)
from regen_compare.model.entities import Source, SourceSupport


@pytest.mark.parametrize(
    ("published", "until"),
    [("2014", date(2014, 12, 31)), ("2024-02", date(2024, 2, 29)), ("2023-12", date(2023, 12, 31))],
)
def test_published_is_read_generously(published: str, until: date) -> None:
    assert published_until(published) == until


def test_more_than_five_years_before_as_of_is_old() -> None:
    as_of = date(2026, 11, 22)
    assert is_old("2014", as_of) and is_old("2021-11-21", as_of)
    assert not is_old("2021", as_of) and not is_old("2021-11-22", as_of)


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://fdalawblog.net", True),
        ("https://healthlynked.com/", True),
        ("https://www.cms.gov/medicare/payment/fee-schedules", False),
        ("https://example.org/?page_id=12", False),
    ],
)
def test_home_pages(url: str, home: bool) -> None:
    assert is_home_page(url) is home


PUBLISHED = st.one_of(
    st.none(),
    st.sampled_from(["2009", "2014", "2014-06", "2014-12-31", "2019-02", "2021-11-21", "2024"]),
)
SOURCES = st.lists(
    st.builds(
        lambda published, supports, n: Source(
            title=f"s{n}",
            url=f"https://example.org/{n}",
            accessed=date(2026, 1, 1),
            published=published,
            supports=tuple(supports),
        ),
        PUBLISHED,
        st.lists(st.sampled_from(list(SourceSupport)), max_size=3, unique=True),
        st.integers(0, 9),
    ),
    max_size=6,
)


def newest_published(sources: tuple[Source, ...], support: SourceSupport) -> Source | None:
    """The rule, written plainly: the supporting source with the latest `published` (`max`
    keeps the first of equals)."""
    dated = [s for s in sources if support in s.supports and s.published is not None]
    return max(dated, key=lambda s: published_until(s.published or ""), default=None)


@given(SOURCES)
def test_old_figures_are_the_newest_source_of_each_figure_judged(sources: list[Source]) -> None:
    """The one-pass search gives what asking for each figure's newest source gives, the same
    source object on ties (the first)."""
    therapy: Any = SimpleNamespace(sources=tuple(sources), as_of=date(2026, 11, 22))
    expected = []
    for support in FIGURES:
        newest = newest_published(therapy.sources, support)
        if newest is not None and newest.published and is_old(newest.published, therapy.as_of):
            expected.append(OldFigure(support, newest.published[:4], newest))
    found = old_figures(therapy)
    assert found == expected
    assert [f.source for f in found] == [f.source for f in expected]
    assert all(a.source is b.source for a, b in zip(found, expected, strict=True))
