"""How old a figure really is: the newest source that supports it, not the day it was read.

An `accessed` date says when a maintainer looked; a price published in 2014 and read in 2026 is
still a 2014 price. A figure whose newest supporting source was published more than five years
before the therapy's `as_of` is flagged by `validate` and shown with its year ("2014 figures")
wherever it is explained. Also here: the check that a source points at a page, not a site's
home page, since a home page cannot be traced to the figure.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import MAXYEAR, date
from urllib.parse import urlsplit

from regen_compare.model.entities import Source, SourceSupport, Therapy
from regen_compare.model.types import published_until as published_until

# (How generously a `published` value is read belongs to its type: validation uses it too.)

OLD_AFTER_YEARS = 5

FIGURES = (SourceSupport.PRICE, SourceSupport.UNITS, SourceSupport.RECOVERY)
"""The therapy figures whose age is judged: the numbers (money, counts, days) that drift.
A status is not judged by its source's age: an FDA clearance letter from 2004 is still the
primary source for that clearance, and a guideline stays current until it is replaced."""


@functools.lru_cache(maxsize=4096)
def is_old(published: str, as_of: date) -> bool:
    until = published_until(published)
    if until.year + OLD_AFTER_YEARS > MAXYEAR:
        return False  # "9999": no figure can be five years older than that
    try:
        limit = until.replace(year=until.year + OLD_AFTER_YEARS)
    except ValueError:  # 29 February
        limit = date(until.year + OLD_AFTER_YEARS, 3, 1)
    return limit < as_of


@dataclass(frozen=True)
class OldFigure:
    support: SourceSupport
    year: str
    """The year of the newest supporting source, e.g. "2014"."""
    source: Source

    @property
    def label(self) -> str:
        return f"{self.support.value}: {self.year} figures"


def old_figures(therapy: Therapy) -> list[OldFigure]:
    """The therapy's figures whose newest supporting source is more than five years older than
    its `as_of`. A figure whose sources carry no `published` date cannot be judged, so it is
    not listed (the maintainers' guide asks for `published` on price sources).

    One pass over the sources, keeping per figure the latest `published` (the first source
    on a tie): the loader runs this for every therapy, 10,000 at a time."""
    newest: dict[SourceSupport, tuple[date, str, Source]] = {}
    for source in therapy.sources:
        if source.published is None:
            continue
        until = published_until(source.published)
        for support in source.supports:
            best = newest.get(support)
            if best is None or until > best[0]:
                newest[support] = (until, source.published, source)
    out = []
    for support in FIGURES:
        if support in newest:
            _, published, source = newest[support]
            if is_old(published, therapy.as_of):
                out.append(OldFigure(support, published[:4], source))
    return out


def is_home_page(url: str) -> bool:
    """A site's home page (no path beyond "/", no query): it cannot be traced to a figure."""
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query
