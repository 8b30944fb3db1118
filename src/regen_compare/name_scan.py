"""The therapies that come first by name, found without parsing the whole file.

A first start on large data (nothing cached) parses, checks and prices every therapy before
the table can show any: seconds at 10,000 therapies. The table's first screen, sorted by
name, needs only the few therapies whose names sort first. This finds them with plain text
searches (each `[[therapy]]` header, and the `id = "…"` and `name = "…"` lines of the table
under it) and hands back the text of each one's table, to be parsed and checked on its own
(`preview`).

The choice is exact, or there is none. A file is read only when it has no multi-line string
(`\"\"\"` or `'''`) and no indented table header. Then every therapy starts at a line that
reads `[[therapy]]`, and a line that starts with `name = "` is that key of the table above
it: no other TOML value may span lines with such a line inside (an array holds values, not
`key = value` lines; an inline table is one line; a comment or a quoted string ends at its
line). From the first therapy on, every table header must be `[[therapy]]` or one of its
sub-tables, written plainly (`[[ therapy ]]` would hide a therapy in the one before it). Each
therapy must have, among its own keys (before its first sub-table), exactly one `id` and one
`name` line, each a plain quoted string without escapes, and no id may be used twice. Any
other file gives None, and the start waits for the whole file as it always did. An error the
scan cannot see (a bad value, say) is found by the checks of each chosen therapy or by the
full load that follows.
"""

from __future__ import annotations

import heapq
import re
from typing import NamedTuple

KEY = "therapy"
HEADER = f"[[{KEY}]]"
_SUB_TABLES = (f"[{KEY}.", f"[[{KEY}.")
_MULTILINE = ('"""', "'''")
_INDENTED_HEADER = re.compile(r"\n[ \t]+\[")
"""A table header may be indented; the scan reads only those at the start of a line."""
_ID_OR_NAME = re.compile(r'\n(id|name) = "([^"\\\n]*)"[ \t]*(?:#[^\n]*)?\r?(?=\n|\Z)')
"""A plain `id = "…"` or `name = "…"` line (no escapes), maybe with a comment."""


class Found(NamedTuple):
    """The file's start (schema version, conditions) and the first therapies' tables."""

    head: str
    """The text before the first `[[therapy]]`."""
    tables: tuple[str, ...]
    """Each chosen therapy's text, from its header to the next, in name order."""
    total: int
    """How many therapies the file holds."""


def first_by_name(text: str, count: int) -> Found | None:
    """The `count` therapies that sort first by name (case-folded, then id: the table's
    order), or None when the scan cannot be exact (see the module docstring)."""
    if count < 1 or _unreadable(text):
        return None
    starts = _headers(text)
    if not starts or not _only_therapies_after(text, starts):
        return None
    keyed: list[tuple[str, str, int, int]] = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        sub = text.find("\n[", start + len(HEADER), end)
        top = end if sub < 0 else sub  # its own keys: a sub-table may hold an `id` or a `name`
        found = dict(_ID_OR_NAME.findall(text, start, top))
        if len(found) != 2 or _written_again(text, start, top):
            return None
        keyed.append((found["name"].casefold(), found["id"], start, end))
    if len({ident for _, ident, _, _ in keyed}) != len(keyed):
        return None  # an id twice: the load refuses the file (and one would hide the other)
    chosen = heapq.nsmallest(count, keyed)
    return Found(text[: starts[0]], tuple(text[s:e] for _, _, s, e in chosen), len(keyed))


def _unreadable(text: str) -> bool:
    """A multi-line string, or a table header that is indented (the first line's too)."""
    if any(mark in text for mark in _MULTILINE) or _INDENTED_HEADER.search(text):
        return True
    return text[:1] in (" ", "\t") and text.lstrip(" \t").startswith("[")


def _only_therapies_after(text: str, starts: list[int]) -> bool:
    """Every table header from the first therapy on is a therapy's, or one of its sub-tables,
    written plainly: `[[ therapy ]]` or `[["therapy"]]` would hide a therapy inside the text
    of the one before it, and another table there is not one the scan knows. Before it, no
    header names a therapy at all (one spelled so would be a therapy the scan never saw)."""
    first = starts[0]
    if any(line.startswith("[") and KEY in line for line in text[:first].splitlines()):
        return False
    headers = text.count("\n[", first)  # the first therapy's own is not counted
    known = len(starts) - 1 + sum(text.count("\n" + kind, first) for kind in _SUB_TABLES)
    return headers == known


def _written_again(text: str, start: int, end: int) -> bool:
    """`id` or `name` written on more lines than the one plain line of each."""
    return text.count("\nid = ", start, end) != 1 or text.count("\nname = ", start, end) != 1


def _headers(text: str) -> list[int]:
    """Where each `[[therapy]]` line starts; [] when a line starts with `[[therapy]]` and
    holds more than the header (and maybe a comment)."""
    starts: list[int] = []
    needle = "\n" + HEADER
    pos = 0 if text.startswith(HEADER) else text.find(needle) + 1 or -1
    while pos >= 0:
        line_end = text.find("\n", pos)
        line = text[pos : len(text) if line_end < 0 else line_end].rstrip("\r")
        rest = line[len(HEADER) :].strip(" \t")
        if rest and not rest.startswith("#"):
            return []
        starts.append(pos)
        pos = text.find(needle, pos) + 1 or -1
    return starts
