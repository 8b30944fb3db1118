"""The one place that touches Textual beyond its documented API.

Checked against textual 8.2.8. Each function says what it relies on; tests/tui/
test_textual_adapter.py fails on an upgrade that removes or changes it, so the fix is made
here and nowhere else.

- `prune_closed_watchers`: Textual keeps `(widget, callback)` pairs for `watch()` and
  `data_bind` in the watched object's private `__watchers` mapping (set by
  `textual.reactive._watch`) and drops a closed widget's pairs only when that value changes
  (Textual issue #6666, open). The footer rebinds every key on each screen push and pop, so
  without pruning every key it ever built stays alive.
- `fuzzy_offsets`: the command palette's scorer. `textual.fuzzy.FuzzySearch` is a public class
  but not in the guide; `Matcher.highlight` would parse the candidate as markup, which data
  names must never be.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.dom import DOMNode
from textual.fuzzy import FuzzySearch

CHECKED_AGAINST = "8.2.8"
WATCHERS_ATTRIBUTE = "__watchers"
"""The private attribute `textual.reactive._watch` stores watcher pairs under."""

_FUZZY = FuzzySearch()


def fuzzy_offsets(query: str, candidate: str) -> tuple[float, Sequence[int]]:
    """(score, matched character offsets) of `candidate` for what was typed; score 0: no match."""
    return _FUZZY.match(query, candidate)


def prune_closed_watchers(*roots: DOMNode) -> int:
    """Remove watcher entries whose watching widget has closed; return how many."""
    removed = 0
    for root in roots:
        for node in (root, *root.walk_children(with_self=False)):
            watchers: dict[str, list[tuple[object, object]]] | None = getattr(
                node, WATCHERS_ATTRIBUTE, None
            )
            if not watchers:
                continue
            for entries in watchers.values():
                keep = [
                    entry
                    for entry in entries
                    if not getattr(entry[0], "_closing", False)
                    and not getattr(entry[0], "_closed", False)
                ]
                removed += len(entries) - len(keep)
                entries[:] = keep
    return removed
