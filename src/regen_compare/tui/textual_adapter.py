"""The one place that touches Textual beyond its documented API.

Checked against textual 8.2.8. Each function says what it relies on; tests/tui/
test_textual_adapter.py fails on an upgrade that removes or changes it, so the fix is made
here and nowhere else.

- `fuzzy_offsets`: the command palette's scorer. `textual.fuzzy.FuzzySearch` is a public class
  but not in the guide; `Matcher.highlight` would parse the candidate as markup, which data
  names must never be.
- `GuardedApp`: Textual has no public hook for an unhandled exception. Its private
  `App._handle_exception` sets exit code 1 and renders a full-screen Rich traceback *with
  locals* (`_fatal_error`), printed when the app ends: the patient's profile, amounts and
  plan on the screen of whoever is watching, and a code that says nothing. The override ends
  the app at once through the public `exit`/`panic` with nothing rendered, keeps the error
  (`crash`) for the command line's one-line report (exit 70), and keeps what Textual's own
  handler records for `run_test` (`_exception`, `_exception_event`), so Pilot still re-raises.
- `page_keys_without_lines`: `OptionList._move_page` (PageUp/PageDown) looks up the
  highlighted option's line in a cache that is empty while the list has no size (the command
  palette's list at 80×24 before it is laid out): `KeyError: 0`. The patched method leaves
  the highlight where it is until the list has lines. Textual 8.2.8 is the newest release
  (checked on PyPI) and still has the bug.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App
from textual.fuzzy import FuzzySearch
from textual.widgets import OptionList

CHECKED_AGAINST = "8.2.8"
EXIT_INTERNAL = 70
"""The exit code of a bug (EX_SOFTWARE), as the command line's `cli.exits.EXIT_INTERNAL`."""
HANDLE_EXCEPTION = "_handle_exception"
"""Textual's private method every unhandled exception of an app goes through."""
MOVE_PAGE = "_move_page"
"""`OptionList`'s private method behind PageUp and PageDown."""

_FUZZY = FuzzySearch()


def fuzzy_offsets(query: str, candidate: str) -> tuple[float, Sequence[int]]:
    """(score, matched character offsets) of `candidate` for what was typed; score 0: no match."""
    return _FUZZY.match(query, candidate)


class GuardedApp(App[int]):
    """An app whose unhandled exception ends it at once with exit code `EXIT_INTERNAL` and
    nothing rendered (no traceback, no locals); the exception is kept in `crash`."""

    crash: Exception | None = None

    def _handle_exception(self, error: Exception) -> None:
        if self.crash is None:
            self.crash = error
        if self._exception is None:  # what Textual's handler records for `run_test`
            self._exception = error
            self._exception_event.set()
        self.exit(return_code=EXIT_INTERNAL)
        self.panic()  # nothing to show: ends the message loop now, as Textual's handler does


_textual_move_page = getattr(OptionList, MOVE_PAGE)


def _move_page_when_laid_out(self: OptionList, direction: int) -> None:
    try:
        _textual_move_page(self, direction)
    except (KeyError, IndexError):  # no lines yet (no size): the highlight stays
        return


def page_keys_without_lines() -> None:
    """Make PageUp/PageDown on an `OptionList` that has no lines yet do nothing instead of
    raising `KeyError` (see the module docstring). Idempotent."""
    setattr(OptionList, MOVE_PAGE, _move_page_when_laid_out)
