"""Which therapies the loader's warnings (figures to check: dates more than 2 years old,
figures whose newest source is over 5 years older than the data, home-page sources) are about.

A warning's `where` names what it is about, as a maintainer writes it:
`therapy[prp-injection].as_of`, `payer[medicare].sources[1].accessed`,
`payer[medicare].coverage[prp-injection].sources[1].accessed`. A therapy's own warnings
always apply to it; a payer's apply to every therapy while that plan is chosen; a coverage
rule's only to its therapy under its plan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from regen_compare.model.problems import Problem
from regen_compare.model.text import display_safe

_WHERE = re.compile(r"^(therapy|payer)\[([^\]]+)\](?:\.coverage\[([^\]]+)\])?")


@dataclass(frozen=True)
class StaleIndex:
    therapy: dict[str, list[Problem]] = field(default_factory=dict)
    payer: dict[str, list[Problem]] = field(default_factory=dict)
    coverage: dict[tuple[str, str], list[Problem]] = field(default_factory=dict)
    other: list[Problem] = field(default_factory=list)
    count: int = 0

    def for_therapy(self, therapy_id: str, payer_id: str | None) -> list[Problem]:
        out = list(self.therapy.get(therapy_id, ()))
        if payer_id is not None:
            out += self.payer.get(payer_id, [])
            out += self.coverage.get((payer_id, therapy_id), [])
        return out


def index(warnings: Sequence[Problem]) -> StaleIndex:
    result = StaleIndex(count=len(warnings))
    for problem in warnings:
        match = _WHERE.match(problem.where)
        if match is None:
            result.other.append(problem)
            continue
        kind, ident, rule = match.groups()
        if kind == "therapy":
            result.therapy.setdefault(ident, []).append(problem)
        elif rule is not None:
            result.coverage.setdefault((ident, rule), []).append(problem)
        else:
            result.payer.setdefault(ident, []).append(problem)
    return result


def line(problem: Problem) -> str:
    """One warning for a person: where, then what (display-safe, one line)."""
    where = f"{problem.where}: " if problem.where else ""
    return display_safe(where + problem.message, limit=200)


def banner_text(count: int) -> str:
    figures = "1 figure needs" if count == 1 else f"{count} figures need"
    return (
        f"⚠ {figures} checking (old or hard to trace): see the detail pane (⚠ Old figures) "
        "or F1; regen-compare validate lists them"
    )
