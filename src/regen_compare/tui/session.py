"""What one consult holds in memory: the profile, the filters, the sort and the marks.

Kept as an immutable value with pure helpers so "clear session" is one assignment, the
rules (at most four marks, usual care in the data's order) are testable without a screen,
and nothing about a patient lives anywhere but here (it is never written to disk).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from regen_compare.catalog import Catalog
from regen_compare.costs import Profile
from regen_compare.fit import BALANCED, Weights
from regen_compare.query import Filters

MAX_MARKS = 4
"""A side-by-side of more than four columns does not fit a terminal or a handout page."""


@dataclass(frozen=True)
class Session:
    profile: Profile = field(default_factory=Profile)
    filters: Filters = field(default_factory=Filters)
    sort_key: str = "name"
    descending: bool = False
    marks: tuple[str, ...] = ()
    weights: Weights = BALANCED
    """What matters to the patient (the fit column, the detail pane, the side-by-side)."""

    def with_sort(self, key: str) -> Session:
        """Sort by `key`; asking for the current key again flips the direction."""
        if key == self.sort_key:
            return replace(self, descending=not self.descending)
        return replace(self, sort_key=key, descending=False)


@dataclass(frozen=True)
class MarkChange:
    """The outcome of a mark request, with a sentence for the user."""

    marks: tuple[str, ...]
    message: str | None = None
    refused: bool = False


def toggle_mark(marks: tuple[str, ...], therapy_id: str) -> MarkChange:
    if therapy_id in marks:
        return MarkChange(tuple(m for m in marks if m != therapy_id))
    if len(marks) >= MAX_MARKS:
        return MarkChange(
            marks,
            f"At most {MAX_MARKS} therapies can be compared; unmark one first.",
            refused=True,
        )
    return MarkChange((*marks, therapy_id))


@dataclass(frozen=True)
class UsualCareChange:
    marks: tuple[str, ...]
    added: tuple[str, ...]
    left_out: tuple[str, ...]
    """Usual-care therapies that did not fit under the mark limit."""


def add_usual_care(
    marks: tuple[str, ...], catalog: Catalog, condition: str | None
) -> UsualCareChange | None:
    """Add the condition's usual traditional care, in the data's order, up to the limit.

    None when no condition is chosen (there is no "usual" without one).
    """
    if condition is None or condition not in catalog.conditions:
        return None
    wanted = [
        tid
        for tid in catalog.conditions[condition].usual_care
        if tid in catalog.therapies and tid not in marks
    ]
    room = max(0, MAX_MARKS - len(marks))
    added = tuple(wanted[:room])
    return UsualCareChange((*marks, *added), added, tuple(wanted[room:]))


def prune_marks(marks: Iterable[str], catalog: Catalog) -> tuple[str, ...]:
    """Marks that still name a therapy after a reload (a removed therapy drops out)."""
    return tuple(m for m in marks if m in catalog.therapies)
