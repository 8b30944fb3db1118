"""The therapies that come first by name, found without parsing the whole file.

A first start on large data (nothing cached) parses, checks and prices every therapy before
the table can show any: seconds at 10,000 therapies. The table's first screen, sorted by
name, needs only the few therapies whose names sort first. This finds them with plain text
searches (each `[[therapy]]` header, and the `id = "…"` and `name = "…"` lines of the table
under it) and hands back the text of each one's table, to be parsed and checked on its own
(`preview`).

The choice is exact, or there is none. Each therapy's text is found by `toml_elements`
(exact, or nothing: no multi-line string, plain headers only). Then a line that starts with
`name = "` is that key of the table above it, and each therapy must have, among its own keys
(before its first sub-table, which may hold an `id` or a `name` of its own), exactly one `id`
and one `name` line, each a plain quoted string without escapes, and no id may be used
twice. Any other file gives None, and the start waits for the whole file as it always did. An
error the scan cannot see (a bad value, say) is found by the checks of each chosen therapy
or by the full load that follows.
"""

from __future__ import annotations

import heapq
import re
from typing import NamedTuple

from regen_compare.toml_elements import element_end, element_starts

KEY = "therapy"
HEADER = f"[[{KEY}]]"
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
    starts = element_starts(text, KEY) if count >= 1 else None
    if not starts:
        return None
    keyed: list[tuple[str, str, int, int]] = []
    for i, start in enumerate(starts):
        end = element_end(text, starts, i)
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


def _written_again(text: str, start: int, end: int) -> bool:
    """`id` or `name` written on more lines than the one plain line of each."""
    return text.count("\nid = ", start, end) != 1 or text.count("\nname = ", start, end) != 1
