"""The loaded, cross-checked data: what the engine, the CLI and the TUI read from.

The maps are read-only `Mapping`s: plain dicts when the data was just validated, lazy maps
(`load_entry.LazyModels`) when it came from the cache, whose models are built on first use.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from regen_compare.model.entities import Condition, Coverage, Payer, Supplement, Therapy


def search_text(therapy: Therapy, conditions: Mapping[str, Condition]) -> str:
    """What a search matches for one therapy: its id, name, short name (what a narrow table
    shows) and summary, and the names and aliases of its conditions, lower-cased."""
    words = [therapy.id, therapy.name, therapy.short_name or "", therapy.summary]
    for cid in therapy.conditions:
        cond = conditions.get(cid)
        if cond is not None:
            words.append(cond.name)
            words.extend(cond.aliases)
    return "\n".join(words).casefold()


@dataclass(frozen=True)
class Catalog:
    conditions: Mapping[str, Condition]
    therapies: Mapping[str, Therapy]
    payers: Mapping[str, Payer]
    files: tuple[Path, ...] = ()
    supplements: Mapping[str, Supplement] = field(default_factory=dict)
    """Coverage that pays after a plan (Medigap, Medicaid for a Medicare patient), by id."""
    coverage_index: Mapping[tuple[str, str], Coverage] = field(default_factory=dict)
    search_text: Mapping[str, str] = field(default_factory=dict)
    """Lower-cased text a search matches per therapy id, built once so typing stays cheap."""
    oldest: date | None = field(default=None, compare=False)
    """`as_of` worked out ahead (by `build`, or kept in the cache), so asking for it does not
    build every model of a lazily loaded catalog."""
    payer_names: Mapping[str, str] | None = field(default=None, compare=False)
    """Each payer's name by id, kept apart from the payers (by `build`, or in the cache): a
    payer holds a rule per therapy, so listing the plans by name must not build every payer."""

    @classmethod
    def build(
        cls,
        conditions: list[Condition],
        therapies: list[Therapy],
        payers: list[Payer],
        files: tuple[Path, ...] = (),
        supplements: list[Supplement] | None = None,
    ) -> Catalog:
        cond_map = {c.id: c for c in conditions}
        index = {(p.id, rule.therapy): rule for p in payers for rule in p.coverage}
        search = {t.id: search_text(t, cond_map) for t in therapies}
        return cls(
            conditions=cond_map,
            therapies={t.id: t for t in therapies},
            payers={p.id: p for p in payers},
            files=files,
            supplements={s.id: s for s in supplements or ()},
            coverage_index=index,
            search_text=search,
            oldest=min([t.as_of for t in therapies] + [p.as_of for p in payers], default=None),
            payer_names={p.id: p.name for p in payers},
        )

    def coverage(self, payer_id: str, therapy_id: str) -> Coverage | None:
        return self.coverage_index.get((payer_id, therapy_id))

    def supplements_for(self, payer_id: str | None) -> list[Supplement]:
        """The supplements that pay after this plan, in data order."""
        if payer_id is None:
            return []
        return [s for s in self.supplements.values() if payer_id in s.supplements]

    def names_of_payers(self) -> Mapping[str, str]:
        """Payer id → name, in data order, without building a payer where the names are kept."""
        if self.payer_names is not None:
            return self.payer_names
        return {pid: payer.name for pid, payer in self.payers.items()}

    @property
    def as_of(self) -> date | None:
        """The oldest `as_of` in the data: every figure is at least this fresh."""
        if self.oldest is not None:
            return self.oldest
        dates = [t.as_of for t in self.therapies.values()] + [p.as_of for p in self.payers.values()]
        return min(dates) if dates else None

    @property
    def coverage_rule_count(self) -> int:
        return len(self.coverage_index)
