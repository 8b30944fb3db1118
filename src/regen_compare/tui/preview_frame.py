"""The first frame of a first start on large data: the first rows, while the rest is checked.

With nothing remembered and nothing cached, a start on 10,000 therapies used to show an
empty "Loading" table for seconds. When its first screen depends only on the therapies that
sort first by name (`preview.applies`), this builds that screen from those therapies alone
(`preview.first_rows`), in the very form of a remembered frame, and the app draws it the same
way (`FirstFrameScreen`: every key but quit waits). The count line and the pane beside the
table say that the rest is still being checked; the live screen replaces it all once the
whole data is loaded, checked and priced, or shows its errors.

The preview is built in a forked child (`forked`) while this process imports Textual, so it
adds little to the time before the first frame, and the child's memory (the whole file's
text, the scan) is gone before the full load starts. Where no child can be forked it is
built here. This module imports no Textual: the child has none to import.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from rich.text import Text

from regen_compare import first_frame, forked, labels, preview
from regen_compare.costs import Profile
from regen_compare.fit import BALANCED
from regen_compare.query import Filters
from regen_compare.table_cells import measure
from regen_compare.tui.bar_text import profile_summary
from regen_compare.tui.display import columns, display_row


class Shown(NamedTuple):
    """A preview as the app draws it: a first frame, and what the pane beside it says."""

    screen: first_frame.Screen
    note: str


def applies(arguments: dict[str, Any]) -> bool:
    """Whether a start with these arguments (`RegenCompareApp._begin`'s) may get a preview."""
    profile: Profile = arguments.get("profile") or Profile()
    filters: Filters = arguments.get("filters") or Filters()
    return preview.applies(profile, filters, arguments.get("marked", ()))


def beside(arguments: dict[str, Any], own_part: Callable[[], None]) -> Shown | None:
    """The preview for a start with these arguments, built in a forked child while
    `own_part()` runs here (importing Textual); None when there is none to show."""
    if not applies(arguments):
        own_part()
        return None
    today = date.today()
    size = shutil.get_terminal_size()
    if not forked.available():
        own_part()
        return build(arguments, size.columns, size.lines, today)
    _, data = forked.beside(
        lambda: pickle.dumps(build(arguments, size.columns, size.lines, today)), own_part
    )
    return _unpickled(data)


def _unpickled(data: bytes | None) -> Shown | None:
    """What our own child sent: whole, or nothing for a child that failed (`forked.beside`
    gives only the bytes of a child that exited cleanly)."""
    shown: Shown | None = pickle.loads(data) if data else None
    return shown


def build(arguments: dict[str, Any], width: int, height: int, today: date) -> Shown | None:
    """The preview for a terminal of this size, or None."""
    profile: Profile = arguments.get("profile") or Profile()
    found = preview.first_rows(
        arguments["data_dir"],
        profile,
        arguments.get("weights") or BALANCED,
        today,
        min(first_frame.MAX_ROWS, max(height, 1)),
    )
    if found is None:
        return None
    return Shown(screen(found, profile, width), note(found.total))


def screen(found: preview.Preview, profile: Profile, width: int) -> first_frame.Screen:
    """The preview as a first frame: the main screen's profile bar, columns and cells."""
    cols = columns(profile)
    rows = tuple(display_row(row) for row in found.rows)
    return first_frame.Screen(
        profile_bar=first_frame.styled(profile_summary(None, profile, width)),
        count_line=first_frame.styled(count_line(found.total)),
        disclaimer=labels.DISCLAIMER,
        columns=tuple(cols),
        rows=rows,
        widths=tuple(measure(cols, rows)),
        stale=STALE_BANNER if found.flagged else None,
    )


STALE_BANNER = "⚠ Some figures shown are old or hard to trace: details once all is loaded"
"""The live banner counts every such figure in the data: not known until all is loaded."""


def count_line(total: int) -> Text:
    noun = "therapy" if total == 1 else "therapies"
    text = Text(f"loading all {total:,} {noun}…", "bold")
    text.append(" · the first by name are shown")
    return text


def note(total: int) -> str:
    """What the pane beside the table says meanwhile."""
    return (
        f"Loading, checking and pricing all {total:,} therapies: the keys work once that is "
        "done.\n\n"
        "The rows shown are the first by name, each already checked and priced the same "
        "way. If the data has errors, they replace this screen. ctrl+q quits."
    )
