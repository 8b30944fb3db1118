"""Which sources the patient's handout lists, and in what groups.

The patient's handout lists the main sources behind what its summary says: for each option,
the trials it leads with, the first source of the plan's rule for it and (when the patient
pays the cash price) the first source of that price; then the plan's first source and the
supplement's the figures include. Each source once (at its first use), with its full title;
the renderers show the link, and its address when printed. Every other source (the other
price surveys, the evidence grade, the FDA status, recovery times, harms, the ethics points)
is in the full-detail handout, and the handout says how many there are in all: a patient's
handout of four options stays readable (at most 1,500 words) only with the main ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from regen_compare.engine.costs import Profile
from regen_compare.engine.query import Row
from regen_compare.model.catalog import Catalog
from regen_compare.model.entities import Source, SourceKind, SourceSupport
from regen_compare.present.export.context import plan_of


@dataclass(frozen=True)
class SourceGroup:
    title: str
    """What the sources back: an option's name, or the plan."""
    sources: tuple[Source, ...]
    listed_above: int = 0
    """How many more of its sources are listed under an earlier group (each source once)."""


BENEFIT_SOURCES = 2
"""At most this many sources of what the trials found, per option (the first ones)."""


def _official_first(sources: Sequence[Source]) -> list[Source]:
    """A rule's sources, a government page (a `.gov` address, or marked `government`) first:
    the one a patient can quote to the plan."""

    def official(source: Source) -> bool:
        host = urlsplit(source.url).hostname or ""
        return source.kind is SourceKind.GOVERNMENT or host == "gov" or host.endswith(".gov")

    return sorted(sources, key=lambda s: not official(s))


def _summary_sources(row: Row) -> Iterable[Source]:
    """The main sources behind an option's summary: the trials it leads with, the plan's
    rule (its official source first) and, when the patient pays the cash price, the first
    source of that price."""
    t = row.therapy
    if row.benefit is not None:
        yield from row.benefit.sources[:BENEFIT_SOURCES]
    rule = row.cost.rule
    if rule is not None and rule.sources:
        yield _official_first(rule.sources)[0]
    if not row.cost.covered:
        yield from [s for s in t.sources if SourceSupport.PRICE in s.supports][:1]


def all_sources(rows: Sequence[Row], profile: Profile, catalog: Catalog) -> set[str]:
    """Every source address behind the options and the plan (what the full-detail handout
    lists), to say how many the patient's handout leaves to it."""
    seen: set[str] = set()
    for row in rows:
        t = row.therapy
        seen.update(s.url for s in t.sources)
        if row.benefit is not None:
            seen.update(s.url for s in row.benefit.sources)
        seen.update(s.url for h in t.harms for s in h.sources)
        if row.cost.rule is not None:
            seen.update(s.url for s in row.cost.rule.sources)
    payer = plan_of(profile, catalog)
    if payer is not None:
        seen.update(s.url for s in payer.sources)
    return seen


def patient_sources(rows: Sequence[Row], profile: Profile, catalog: Catalog) -> list[SourceGroup]:
    """The groups of sources the patient's handout lists, each source once."""
    seen: set[str] = set()
    groups: list[SourceGroup] = []

    def group(title: str, sources: Iterable[Source]) -> None:
        kept: list[Source] = []
        above = 0
        for source in dict((s.url, s) for s in sources).values():
            if source.url in seen:
                above += 1
            else:
                seen.add(source.url)
                kept.append(source)
        if kept or above:
            groups.append(SourceGroup(title, tuple(kept), above))

    for row in rows:
        group(row.therapy.name, _summary_sources(row))
    payer = plan_of(profile, catalog)
    if payer is not None:
        plan: list[Source] = list(payer.sources[:1])
        supplement = catalog.supplements.get(profile.supplement) if profile.supplement else None
        if supplement is not None and payer.id in supplement.supplements:
            plan += supplement.sources[:1]
        group(payer.name, plan)
    return groups
