"""How old a figure is: judged by its newest supporting source's publication, not by when it
was read; and which source addresses cannot be traced to a figure."""

from __future__ import annotations

from datetime import date

import pytest

from regen_compare.freshness import is_home_page, is_old, published_until


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
