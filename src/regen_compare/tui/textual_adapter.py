"""The one place that touches Textual beyond its documented API.

Checked against textual 8.2.8. Each function says what it relies on; tests/tui/
test_textual_adapter.py fails on an upgrade that removes or changes it, so the fix is made
here and nowhere else.

- `fuzzy_offsets`: the command palette's scorer. `textual.fuzzy.FuzzySearch` is a public class
  but not in the guide; `Matcher.highlight` would parse the candidate as markup, which data
  names must never be.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.fuzzy import FuzzySearch

CHECKED_AGAINST = "8.2.8"

_FUZZY = FuzzySearch()


def fuzzy_offsets(query: str, candidate: str) -> tuple[float, Sequence[int]]:
    """(score, matched character offsets) of `candidate` for what was typed; score 0: no match."""
    return _FUZZY.match(query, candidate)
